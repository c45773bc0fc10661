package dev.fleettrust.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleettrust.x509.SignatureAlgorithm;
import dev.fleettrust.x509.TrustAnchor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogTest {
  private static final Catalog BUNDLED = CatalogJson.loadBundled();

  private static ResolvedFirmware resolved(String model, String build) {
    FirmwareResolution r = BUNDLED.resolve(model, build);
    assertThat(r).isInstanceOf(FirmwareResolution.Resolved.class);
    return ((FirmwareResolution.Resolved) r).firmware();
  }

  private static List<String> rootLabels(ResolvedFirmware f) {
    return f.builtInRoots().rootsOrEmpty().stream().map(BuiltInRoot::label).toList();
  }

  @Test
  void bundledCatalogCarriesItsVersionAndEveryFamilyTheIssueNames() {
    assertThat(BUNDLED.version()).isEqualTo("2025.11.0");
    assertThat(BUNDLED.families())
        .extracting(FirmwareFamily::id)
        .containsExactlyInAnyOrder(
            "LPE-AIRES",
            "LPE-TANJAY",
            "POLYCOM-VVX",
            "YEALINK-SFB",
            "AUDIOCODES-SFB",
            "WINDOWS-CLIENT");
    FirmwareFamily aires = BUNDLED.family("lpe-aries").orElseThrow();
    assertThat(aires.builds())
        .extracting(b -> b.build().text())
        .containsExactly(
            "4.0.7577.107",
            "4.0.7577.4100",
            "4.0.7577.4414",
            "4.0.7577.4420",
            "4.0.7577.4463",
            "4.0.7577.4494");
  }

  @Test
  void findsModelsByAnyCommonSpelling() {
    assertThat(BUNDLED.model("Polycom CX600")).map(DeviceModel::family).contains("LPE-AIRES");
    assertThat(BUNDLED.model("cx-600")).map(DeviceModel::family).contains("LPE-AIRES");
    assertThat(BUNDLED.model("HP4120")).map(DeviceModel::family).contains("LPE-AIRES");
    assertThat(BUNDLED.model("4120")).map(DeviceModel::family).contains("LPE-AIRES");
    assertThat(BUNDLED.model("Polycom VVX 600")).map(DeviceModel::family).contains("POLYCOM-VVX");
    assertThat(BUNDLED.model("CX700")).map(DeviceModel::family).contains("LPE-TANJAY");
    assertThat(BUNDLED.model("SIP-T48S")).map(DeviceModel::family).contains("YEALINK-SFB");
    assertThat(BUNDLED.model("HP 4120 IP Phone")).map(DeviceModel::family).contains("LPE-AIRES");
    assertThat(BUNDLED.model("Microsoft Lync 2010"))
        .map(DeviceModel::family)
        .contains("WINDOWS-CLIENT");
    assertThat(BUNDLED.model("Acme 9000")).isEmpty();
  }

  @Test
  void wildcardSupportStartsWithTheJune2012Build() {
    assertThat(resolved("CX600", "4.0.7577.107").capabilities().wildcardNames()).isFalse();
    assertThat(resolved("CX600", "4.0.7577.4100").capabilities().wildcardNames()).isTrue();
    assertThat(resolved("HP 4120", "4.0.7577.4494").capabilities().wildcardNames()).isTrue();
  }

  @Test
  void cu11CarriesTheNewPublicRootsAndOlderBuildsTheExpiredGlobalSignCopy() {
    ResolvedFirmware cu10 = resolved("CX600", "4.0.7577.4414");
    ResolvedFirmware cu11 = resolved("CX600", "4.0.7577.4420");
    assertThat(rootLabels(cu10)).doesNotContain("DigiCert Global Root CA");
    assertThat(rootLabels(cu11)).contains("DigiCert Global Root CA");
    TrustAnchor oldGlobalSign =
        cu10.builtInRoots().rootsOrEmpty().stream()
            .filter(r -> r.label().startsWith("GlobalSign"))
            .findFirst()
            .orElseThrow()
            .anchor();
    assertThat(oldGlobalSign).isInstanceOf(TrustAnchor.OfIdentity.class);
    assertThat(oldGlobalSign.notAfter()).contains(Instant.parse("2014-01-28T12:00:00Z"));
  }

  @Test
  void cx700OnBuild4494HasNoSha2ButOn4066Does() {
    assertThat(resolved("CX700", "4.0.7577.4494").capabilities().signatureAlgorithms())
        .containsExactly(SignatureAlgorithm.SHA1_WITH_RSA);
    assertThat(resolved("CX700", "4.0.7577.4066").capabilities().signatureAlgorithms())
        .contains(SignatureAlgorithm.SHA256_WITH_RSA);
  }

  @Test
  void certifiedLinesCoverUncataloguedBuildsFromTheirMinimumOnly() {
    ResolvedFirmware vvx = resolved("VVX 500", "5.9.0.9373");
    assertThat(vvx.capabilities().checksRevocationReachability()).isTrue();
    assertThat(vvx.builtInRoots().isKnown()).isFalse();
    assertThat(resolved("T48S", "66.8.1.52").entry()).isPresent();
    assertThat(BUNDLED.resolve("VVX 500", "5.3.1"))
        .isInstanceOf(FirmwareResolution.BuildNotInCatalog.class);
  }

  @Test
  void uncataloguedLpeBuildIsNotGuessed() {
    FirmwareResolution r = BUNDLED.resolve("CX600", "4.0.7577.4300");
    assertThat(r).isInstanceOf(FirmwareResolution.BuildNotInCatalog.class);
    assertThat(((FirmwareResolution.BuildNotInCatalog) r).nearestOlder())
        .map(BuildNumber::text)
        .contains("4.0.7577.4100");
    assertThat(BUNDLED.resolve("Acme 9000", "1.0"))
        .isInstanceOf(FirmwareResolution.ModelNotInCatalog.class);
  }

  @Test
  void aBuildPutWithoutCapabilitiesFallsBackToTheFamilyDefaults() {
    FirmwareBuild newBuild =
        FirmwareBuild.of(BuildNumber.parse("4.0.7577.4540"), CapabilityOverrides.NONE);
    Catalog edited = applied(BUNDLED.withBuild("LPE-AIRES", newBuild));
    FirmwareResolution r = edited.resolve("CX600", "4.0.7577.4540");
    ResolvedFirmware f = ((FirmwareResolution.Resolved) r).firmware();
    assertThat(f.capabilities().wildcardNames()).isTrue();
    assertThat(f.capabilities().usbTetherSkipsIntermediates()).isTrue();
    assertThat(edited.version()).startsWith("2025.11.0+").isNotEqualTo(BUNDLED.version());
  }

  @Test
  void editsDeriveAContentAddressedVersion() {
    FirmwareBuild b =
        FirmwareBuild.of(
            BuildNumber.parse("5.4.0A"),
            CapabilityOverrides.builder().checksRevocationReachability(false).build());
    Catalog once = applied(BUNDLED.withBuild("POLYCOM-VVX", b));
    Catalog again = applied(BUNDLED.withBuild("polycom-vvx", b));
    assertThat(once.version()).isEqualTo(again.version());
    Catalog roundTrip = CatalogJson.read(CatalogJson.write(once));
    assertThat(roundTrip.version()).isEqualTo(once.version());
    assertThat(CatalogJson.write(roundTrip)).isEqualTo(CatalogJson.write(once));
    assertThat(BUNDLED.withModel(new DeviceModel("X1", "Acme", "NO-SUCH", "test")))
        .isEqualTo(new CatalogEdit.Rejected("family", "unknown family 'NO-SUCH'"));
  }

  @Test
  void familyDefaultsPutWithoutRootsMakeTheRootStoreUnknown() {
    Catalog edited =
        applied(
            BUNDLED.withFamilyDefaults(
                "ACME-PHONES", CapabilityOverrides.NONE, RootStore.UNKNOWN, Map.of()));
    assertThat(edited.family("acme-phones")).isPresent();
    assertThat(edited.family("ACME-PHONES").orElseThrow().builtInRoots().isKnown()).isFalse();
  }

  @Test
  void bundledFormRefusesAFactWithoutASource() {
    String catalog =
        """
        {"version": "t", "models": [], "families": ["f.json"]}
        """;
    String family =
        """
        {"family": "F", "defaults": {"capabilities": {"wildcardNames": true}}, "sources": {}}
        """;
    assertThatThrownBy(
            () -> CatalogJson.read(catalog, n -> n.equals("f.json") ? family : null, true))
        .isInstanceOf(CatalogFormatException.class)
        .hasMessageContaining("no source for 'wildcardNames'");
  }

  @Test
  void refusesAnUnknownCapabilityName() {
    assertThat(CapabilityOverrides.fromMap(Map.of("wildcards", true)))
        .isEqualTo(new CapabilityOverrides.Parsed.Invalid("wildcards", "unknown capability"));
    assertThat(CapabilityOverrides.fromMap(Map.of("signatureAlgorithms", List.of("sha256"))))
        .isInstanceOf(CapabilityOverrides.Parsed.Invalid.class);
    assertThat(CapabilityOverrides.fromMap(Map.of("signatureAlgorithms", List.of("RSASSA-PSS"))))
        .isEqualTo(
            new CapabilityOverrides.Parsed.Ok(
                CapabilityOverrides.builder()
                    .signatureAlgorithms(java.util.Set.of(SignatureAlgorithm.RSASSA_PSS))
                    .build()));
  }

  private static Catalog applied(CatalogEdit edit) {
    assertThat(edit).isInstanceOf(CatalogEdit.Applied.class);
    return ((CatalogEdit.Applied) edit).catalog();
  }

  @Test
  void familyRootsPutThroughTheApiReachTheBuildsThatDoNotStateTheirOwn() {
    TestPki.Issued root = new TestPki().root("CN=Fleet Root,O=Example,C=US").build();
    Catalog edited =
        applied(
            BUNDLED.withFamilyDefaults(
                "LPE-ARIES",
                BUNDLED.family("LPE-AIRES").orElseThrow().defaults(),
                RootStore.known(
                    List.of(BuiltInRoot.of(new TrustAnchor.OfCertificate(root.cert())))),
                Map.of()));
    assertThat(
            rootLabels(
                ((FirmwareResolution.Resolved) edited.resolve("CX600", "4.0.7577.4414"))
                    .firmware()))
        .containsExactly("CN=Fleet Root,O=Example,C=US");
    assertThat(
            rootLabels(
                ((FirmwareResolution.Resolved) edited.resolve("CX600", "4.0.7577.4420"))
                    .firmware()))
        .contains("DigiCert Global Root CA");
    assertThat(edited.family("LPE-AIRES").orElseThrow().name())
        .isEqualTo(BUNDLED.family("LPE-AIRES").orElseThrow().name());
  }

  @Test
  void rootIdentitiesAreReadFromTheirRfc4514Subject() {
    TrustAnchor bundled =
        resolved("CX600", "4.0.7577.4414").builtInRoots().rootsOrEmpty().stream()
            .filter(r -> r.label().equals("Baltimore CyberTrust Root"))
            .findFirst()
            .orElseThrow()
            .anchor();
    String doc =
        """
        {"version": "t", "models": [], "families": [{"family": "F", "defaults": {"builtInRoots": [
          {"subject": "CN=Baltimore CyberTrust Root,OU=CyberTrust,O=Baltimore,C=IE", "spkiSha256": "%s"}]}}]}
        """
            .formatted(bundled.spkiSha256());
    TrustAnchor read =
        CatalogJson.read(doc)
            .family("F")
            .orElseThrow()
            .builtInRoots()
            .rootsOrEmpty()
            .get(0)
            .anchor();
    assertThat(read.subjectCanonical()).isEqualTo(bundled.subjectCanonical());
    assertThat(read.spkiSha256()).isEqualTo(bundled.spkiSha256());
  }

  @Test
  void familiesAnswerToTheSpellingsTheApiExamplesUse() {
    for (String alias :
        List.of(
            "LPE-ARIES",
            "lpe-aires",
            "POLYCOM-VVX-UCS",
            "YEALINK-T4",
            "AUDIOCODES-IPP",
            "LPE-TANJAY",
            "WINDOWS-CLIENT")) {
      assertThat(BUNDLED.family(alias)).as(alias).isPresent();
    }
  }
}
