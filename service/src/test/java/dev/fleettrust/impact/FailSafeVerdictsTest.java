package dev.fleettrust.impact;

import static dev.fleettrust.impact.Fleet.certs;
import static dev.fleettrust.impact.Fleet.profile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.trust.BuildNumber;
import dev.fleettrust.trust.CapabilityOverrides;
import dev.fleettrust.trust.Catalog;
import dev.fleettrust.trust.DeviceModel;
import dev.fleettrust.trust.FirmwareFamily;
import dev.fleettrust.trust.Provenance;
import dev.fleettrust.trust.ProvisioningMethod;
import dev.fleettrust.trust.RootStore;
import dev.fleettrust.trust.TestPki;
import dev.fleettrust.trust.TestPki.Issued;
import dev.fleettrust.trust.TlsVersion;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * contract.md, "Unknown is never OK": each class of wrong OK found on held-out scenarios (issue
 * 10), with exact verdicts, rule IDs and the deciding fact named.
 */
class FailSafeVerdictsTest {
  static final String POOL = "pool.example.com";
  static final Instant AT = Instant.parse("2024-06-01T00:00:00Z");
  static final String MODEL = "Test Phone 1";

  /** Every capability a phone needs for the chains below, RSA 2048 and SHA-256 included. */
  static Map<String, Object> fullCapabilities() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("wildcardNames", true);
    m.put("signatureAlgorithms", List.of("sha1WithRSAEncryption", "sha256WithRSAEncryption"));
    m.put("usbTetherSkipsIntermediates", false);
    m.put("checksRevocationReachability", false);
    m.put("maxTlsVersion", "TLSv1.2");
    m.put("minTlsVersion", "TLSv1.0");
    m.put("ewsTrustsOnlyPoolIssuer", false);
    m.put("requiresServerAuthEku", true);
    m.put("keyTypes", List.of("RSA"));
    m.put("minRsaKeyBits", 1024);
    m.put("maxRsaKeyBits", 4096);
    m.put("maxChainDepth", 6);
    m.put("fetchesIntermediatesFromAia", false);
    m.put("provisioningMethods", List.of("PIN_AUTH", "USB_TETHER"));
    return m;
  }

  static Map<String, Object> without(String... capabilities) {
    Map<String, Object> m = fullCapabilities();
    for (String c : capabilities) {
      m.remove(c);
    }
    return m;
  }

  /** A one-family catalog whose family states {@code capabilities} and no built-in roots. */
  static Catalog catalog(Map<String, Object> capabilities) {
    CapabilityOverrides caps =
        ((CapabilityOverrides.Parsed.Ok) CapabilityOverrides.fromMap(capabilities)).overrides();
    FirmwareFamily family =
        new FirmwareFamily(
            "TEST-PHONE",
            "Test phones",
            "Test",
            List.of(),
            caps,
            RootStore.known(List.of()),
            Optional.of(BuildNumber.parse("1.0")),
            Map.of(),
            List.of());
    return Catalog.of(
        "test-1", List.of(new DeviceModel(MODEL, "Test", "TEST-PHONE", "test")), List.of(family));
  }

  static Environment environment(
      List<dev.fleettrust.x509.Certificate> chain,
      List<dev.fleettrust.x509.Certificate> activeDirectory,
      List<Site> sites,
      Set<TlsVersion> tls) {
    Map<Usage, List<dev.fleettrust.x509.Certificate>> byUsage = new EnumMap<>(Usage.class);
    byUsage.put(Usage.DEFAULT, chain);
    return new Environment(
        List.of(new Pool(POOL, List.of(), byUsage, List.of(), true, tls)),
        List.of(),
        activeDirectory,
        sites,
        Set.of());
  }

  static Environment environment(List<dev.fleettrust.x509.Certificate> chain) {
    return environment(chain, List.of(), List.of(new Site("HQ", true)), Set.of());
  }

  static Fleet usbPhoneHolding(Issued root) {
    return new Fleet()
        .add(
            "phone",
            3,
            profile(MODEL, "1.0")
                .signedInBy(ProvisioningMethod.USB_TETHER)
                .holds(Provenance.ACTIVE_DIRECTORY, root)
                .get());
  }

  @Test
  void anEcLeafOnABuildWhoseKeyTypesAreUnknownIsAtRiskNamingKeyTypes() {
    TestPki pki = new TestPki();
    Issued root = pki.root("CN=Root,O=Example").build();
    Issued leaf = pki.leaf("CN=" + POOL, root).sans(POOL).ec().build();
    Fleet fleet = usbPhoneHolding(root);
    Environment env =
        environment(certs(leaf), certs(root), List.of(new Site("HQ", true)), Set.of());

    Assessment known = fleet.assess(catalog(fullCapabilities()), env, List.of(), AT);
    assertThat(fleet.outcome(known)).containsEntry("phone", "BREAKS [KEY_UNSUPPORTED]");

    Assessment unknown = fleet.assess(catalog(without("keyTypes")), env, List.of(), AT);
    assertThat(fleet.outcome(unknown)).containsEntry("phone", "AT_RISK [KEY_UNSUPPORTED]");
    assertThat(fleet.result(unknown, "phone").findings().get(0).evidence())
        .containsEntry("capability", "keyTypes");
  }

  @Test
  void aFourThousandBitKeyWhereTheRsaLimitsAreUnknownIsAtRiskNamingMaxRsaKeyBits() {
    TestPki pki = new TestPki();
    Issued root = pki.root("CN=Root,O=Example").build();
    Issued leaf = pki.leaf("CN=" + POOL, root).sans(POOL).bits(4096).build();
    Fleet fleet = usbPhoneHolding(root);
    Environment env =
        environment(certs(leaf), certs(root), List.of(new Site("HQ", true)), Set.of());

    Assessment a =
        fleet.assess(catalog(without("minRsaKeyBits", "maxRsaKeyBits")), env, List.of(), AT);
    assertThat(fleet.outcome(a)).containsEntry("phone", "AT_RISK [KEY_UNSUPPORTED]");
    assertThat(fleet.result(a, "phone").findings())
        .extracting(f -> f.evidence().get("capability"))
        .contains("maxRsaKeyBits");
  }

  @Test
  void anEcAnchorIsAKeyTheDeviceMustProcess() {
    TestPki pki = new TestPki();
    Issued root = pki.root("CN=EC Root,O=Example").ec().build();
    Issued ca = pki.ca("CN=RSA Issuing CA,O=Example", root).build();
    Issued leaf = pki.leaf("CN=" + POOL, ca).sans(POOL).build();
    Fleet fleet = usbPhoneHolding(root);
    Environment env =
        environment(certs(leaf, ca), certs(root), List.of(new Site("HQ", true)), Set.of());

    Map<String, Object> verifiesEcdsa = fullCapabilities();
    verifiesEcdsa.put(
        "signatureAlgorithms",
        List.of("sha1WithRSAEncryption", "sha256WithRSAEncryption", "ecdsa-with-SHA256"));
    Assessment a = fleet.assess(catalog(verifiesEcdsa), env, List.of(), AT);
    assertThat(fleet.outcome(a)).containsEntry("phone", "BREAKS [KEY_UNSUPPORTED]");
  }

  @Test
  void aSha256ChainOnABuildWhoseSignatureAlgorithmsAreUnknownIsAtRisk() {
    TestPki pki = new TestPki();
    Issued root = pki.root("CN=Root,O=Example").build();
    Issued leaf = pki.leaf("CN=" + POOL, root).sans(POOL).build();
    Fleet fleet = usbPhoneHolding(root);
    Environment env =
        environment(certs(leaf), certs(root), List.of(new Site("HQ", true)), Set.of());

    Assessment a = fleet.assess(catalog(without("signatureAlgorithms")), env, List.of(), AT);
    assertThat(fleet.outcome(a))
        .containsEntry("phone", "AT_RISK [SIGNATURE_ALGORITHM_UNSUPPORTED]");
    assertThat(fleet.result(a, "phone").findings().get(0).evidence())
        .containsEntry("capability", "signatureAlgorithms");
  }

  @Test
  void aWildcardOnlyMatchWhereWildcardSupportIsUnknownIsAtRiskNamingWildcardNames() {
    TestPki pki = new TestPki();
    Issued root = pki.root("CN=Root,O=Example").build();
    Issued leaf = pki.leaf("CN=" + POOL, root).sans("*.example.com").build();
    Fleet fleet = usbPhoneHolding(root);
    Environment env =
        environment(certs(leaf), certs(root), List.of(new Site("HQ", true)), Set.of());

    assertThat(fleet.outcome(fleet.assess(catalog(fullCapabilities()), env, List.of(), AT)))
        .containsEntry("phone", "OK []");
    Assessment a = fleet.assess(catalog(without("wildcardNames")), env, List.of(), AT);
    assertThat(fleet.outcome(a)).containsEntry("phone", "AT_RISK [WILDCARD_UNSUPPORTED]");
    assertThat(fleet.result(a, "phone").findings().get(0).evidence())
        .containsEntry("capability", "wildcardNames");
  }

  @Test
  void aCapabilityTheChangeDoesNotExerciseIsNotNeeded() {
    TestPki pki = new TestPki();
    Issued root = pki.root("CN=Root,O=Example").build();
    Issued leaf = pki.leaf("CN=" + POOL, root).sans(POOL).build();
    Fleet fleet = usbPhoneHolding(root);
    Environment env =
        environment(certs(leaf), certs(root), List.of(new Site("HQ", true)), Set.of());

    Assessment a =
        fleet.assess(
            catalog(without("wildcardNames", "checksRevocationReachability", "maxTlsVersion")),
            env,
            List.of(),
            AT);
    assertThat(fleet.outcome(a)).containsEntry("phone", "OK []");
  }

  @Test
  void aTls12OnlyBuildBreaksOnAServerThatSpeaksOnlyTls10() {
    TestPki pki = new TestPki();
    Issued root = pki.root("CN=Root,O=Example").build();
    Issued leaf = pki.leaf("CN=" + POOL, root).sans(POOL).build();
    Fleet fleet = usbPhoneHolding(root);
    Map<String, Object> tls12Only = fullCapabilities();
    tls12Only.put("minTlsVersion", "TLSv1.2");
    Environment tls10 =
        environment(
            certs(leaf), certs(root), List.of(new Site("HQ", true)), Set.of(TlsVersion.TLS_1_0));

    Assessment a = fleet.assess(catalog(tls12Only), tls10, List.of(), AT);
    assertThat(fleet.outcome(a)).containsEntry("phone", "BREAKS [TLS_VERSION_UNSUPPORTED]");

    Environment tls11and12 =
        environment(
            certs(leaf),
            certs(root),
            List.of(new Site("HQ", true)),
            Set.of(TlsVersion.TLS_1_1, TlsVersion.TLS_1_2));
    assertThat(fleet.outcome(fleet.assess(catalog(tls12Only), tls11and12, List.of(), AT)))
        .as("the range min..max meets the server's versions")
        .containsEntry("phone", "OK []");
  }

  @Test
  void anUnknownTlsBoundTheServerDoesNotSettleIsAtRiskNamingIt() {
    TestPki pki = new TestPki();
    Issued root = pki.root("CN=Root,O=Example").build();
    Issued leaf = pki.leaf("CN=" + POOL, root).sans(POOL).build();
    Fleet fleet = usbPhoneHolding(root);
    Environment tls10 =
        environment(
            certs(leaf), certs(root), List.of(new Site("HQ", true)), Set.of(TlsVersion.TLS_1_0));

    Assessment a = fleet.assess(catalog(without("minTlsVersion")), tls10, List.of(), AT);
    assertThat(fleet.outcome(a)).containsEntry("phone", "AT_RISK [TLS_VERSION_UNSUPPORTED]");
    assertThat(fleet.result(a, "phone").findings().get(0).evidence())
        .containsEntry("capability", "minTlsVersion");

    Environment tls12 =
        environment(
            certs(leaf), certs(root), List.of(new Site("HQ", true)), Set.of(TlsVersion.TLS_1_2));
    assertThat(fleet.outcome(fleet.assess(catalog(without("minTlsVersion")), tls12, List.of(), AT)))
        .as("the known maxTlsVersion is offered, so the range surely meets it")
        .containsEntry("phone", "OK []");
  }

  @Test
  void aNeverProvisionedDeviceIsNotGivenTheAdPublishedCasByAssumption() {
    TestPki pki = new TestPki();
    Issued root = pki.root("CN=Enterprise Root,DC=example,DC=com").build();
    Issued leaf = pki.leaf("CN=" + POOL, root).sans(POOL).build();
    Environment env =
        environment(certs(leaf), certs(root), List.of(new Site("HQ", false)), Set.of());
    Fleet fleet = new Fleet().add("new", 2, profile(MODEL, "1.0").get());

    Assessment a = fleet.assess(catalog(fullCapabilities()), env, List.of(), AT);
    assertThat(fleet.outcome(a))
        .containsEntry("new", "AT_RISK [UNTRUSTED_ROOT, NEVER_PROVISIONED]");
    Finding first = fleet.result(a, "new").findings().get(0);
    assertThat(first.rule()).isEqualTo(dev.fleettrust.trust.Rule.NEVER_PROVISIONED);
    assertThat(first.evidence()).containsEntry("paths", "USB_TETHER gives OK");
  }

  @Test
  void aNeverProvisionedDeviceWhoseBuiltInsAndReportSufficeIsOk() {
    TestPki pki = new TestPki();
    Issued root = pki.root("CN=Enterprise Root,DC=example,DC=com").build();
    Issued leaf = pki.leaf("CN=" + POOL, root).sans(POOL).build();
    Environment env = environment(certs(leaf));
    Fleet fleet =
        new Fleet()
            .add("reported", 2, profile(MODEL, "1.0").holds(Provenance.REPORTED, root).get());

    assertThat(fleet.outcome(fleet.assess(catalog(fullCapabilities()), env, List.of(), AT)))
        .containsEntry("reported", "OK []");
  }

  @Test
  void aPinDeviceAtASiteWithoutPinIsAtRiskWhereThePinDownloadWouldBringTheIntermediate() {
    TestPki pki = new TestPki();
    Issued root = pki.root("CN=Enterprise Root,DC=example,DC=com").build();
    Issued ca = pki.ca("CN=Issuing CA,DC=example,DC=com", root).build();
    Issued leaf = pki.leaf("CN=" + POOL, ca).sans(POOL).build();
    Map<Usage, List<dev.fleettrust.x509.Certificate>> byUsage = new EnumMap<>(Usage.class);
    byUsage.put(Usage.DEFAULT, certs(leaf));
    byUsage.put(Usage.WEB_SERVICES_INTERNAL, certs(leaf, ca, root));
    Environment env =
        new Environment(
            List.of(new Pool(POOL, List.of(), byUsage, List.of(), true, Set.of())),
            List.of(),
            List.of(),
            List.of(new Site("HQ", true), new Site("Branch", false)),
            Set.of());
    Fleet fleet =
        new Fleet()
            .add(
                "branch",
                2,
                profile(MODEL, "1.0")
                    .signedInBy(ProvisioningMethod.PIN_AUTH)
                    .site("Branch")
                    .holds(Provenance.PROVISIONING_SERVICE, root)
                    .get())
            .add(
                "hq",
                2,
                profile(MODEL, "1.0")
                    .signedInBy(ProvisioningMethod.PIN_AUTH)
                    .holds(Provenance.PROVISIONING_SERVICE, root)
                    .get());

    Assessment a = fleet.assess(catalog(fullCapabilities()), env, List.of(), AT);
    assertThat(fleet.outcome(a))
        .containsEntry("hq", "OK []")
        .containsEntry("branch", "AT_RISK [MISSING_INTERMEDIATE, PROVISIONING_PATH_UNCERTAIN]");
    assertThat(fleet.result(a, "branch").findings().get(0).evidence())
        .containsEntry("site", "Branch");
  }
}
