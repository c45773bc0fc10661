package dev.fleettrust.impact;

import static dev.fleettrust.impact.Fleet.certs;
import static dev.fleettrust.impact.Fleet.profile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.trust.Provenance;
import dev.fleettrust.trust.ProvisioningMethod;
import dev.fleettrust.trust.TestPki;
import dev.fleettrust.trust.TestPki.Issued;
import dev.fleettrust.x509.RuleId;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seed 002 (a Skype for Business administrator's notes): USB-tethered LPE skips the intermediate
 * download that PIN authentication does over port 80; an MD5 CA stops the pool's services; a CA
 * with AlternateSignatureAlgorithm=1 issues RSASSA-PSS certificates Lync/SfB cannot use; and SHA256
 * fails on builds without SHA-2 (CX700 on 4.0.7577.4494, seed 001 comments).
 */
class Seed002IntermediatesAndSignatureAlgorithmsTest {
  static final String POOL = "fe01.contoso.com";
  static final Instant AT = Instant.parse("2016-03-01T00:00:00Z");

  private static Environment environment(
      List<dev.fleettrust.x509.Certificate> defaultChain,
      List<dev.fleettrust.x509.Certificate> adCas) {
    Map<Usage, List<dev.fleettrust.x509.Certificate>> c = new EnumMap<>(Usage.class);
    c.put(Usage.DEFAULT, defaultChain);
    return new Environment(
        List.of(new Pool(POOL, List.of(), c, List.of(), true, Set.of())),
        List.of(),
        adCas,
        List.of(new Site("HQ", true)),
        Set.of());
  }

  @Test
  void usbTetheredOnlyDevicesMissTheIntermediateThatPinAuthenticationDownloads() {
    TestPki pki = new TestPki();
    Issued root = pki.root("CN=Contoso Root CA,DC=contoso,DC=com").build();
    Issued sub = pki.ca("CN=Contoso Issuing CA,DC=contoso,DC=com", root).build();
    Issued leaf = pki.leaf("CN=" + POOL, sub).sans(POOL).build();
    // The server sends only its own certificate; the enterprise CAs are published in AD.
    Environment env = environment(certs(leaf), certs(root, sub));
    Fleet fleet =
        new Fleet()
            .add(
                "lpe-usb-only",
                14,
                profile("CX600", "4.0.7577.4494").signedInBy(ProvisioningMethod.USB_TETHER).get())
            .add(
                "lpe-pin",
                30,
                profile("CX600", "4.0.7577.4494").signedInBy(ProvisioningMethod.PIN_AUTH).get())
            .add(
                "lpe-usb-after-pin",
                9,
                profile("HP 4120", "4.0.7577.4494")
                    .signedInBy(ProvisioningMethod.PIN_AUTH, ProvisioningMethod.USB_TETHER)
                    .holds(Provenance.PROVISIONING_SERVICE, root, sub)
                    .get())
            .add(
                "vvx-ad",
                5,
                profile("VVX 410", "5.6.0.17325")
                    .signedInBy(ProvisioningMethod.AD_CREDENTIALS)
                    .get())
            .add("windows", 2, profile("Lync 2013", "15.0.5023.1000").get());
    Assessment a = fleet.assess(env, List.of(), AT);
    assertThat(fleet.outcome(a))
        .containsEntry("lpe-usb-only", "BREAKS [MISSING_INTERMEDIATE]")
        .containsEntry("lpe-pin", "OK []")
        .containsEntry("lpe-usb-after-pin", "OK []")
        .containsEntry("vvx-ad", "OK []")
        .containsEntry("windows", "OK []");
    RemediationAction pin = Fleet.action(a, ActionType.REPROVISION_WITH_PIN).orElseThrow();
    assertThat(pin.devicesFixed()).isEqualTo(14);
    RemediationAction fullChain = Fleet.action(a, ActionType.SERVE_FULL_CHAIN).orElseThrow();
    assertThat(fullChain.devicesFixed()).isEqualTo(14);
    assertThat(fullChain.changes())
        .containsExactly(new Change.ReplaceCertificate(POOL, Usage.DEFAULT, certs(leaf, sub)));
    assertThat(Fleet.action(a, ActionType.PUBLISH_AD_CA))
        .as("AD already holds both; the skip is the bug")
        .isEmpty();
  }

  @Test
  void anMd5CaStopsThePoolForEveryDeviceWindowsIncluded() {
    TestPki pki = new TestPki();
    Issued md5Root = pki.root("CN=Contoso-CA,DC=contoso,DC=com").signedWith("MD5withRSA").build();
    Issued md5Leaf = pki.leaf("CN=" + POOL, md5Root).signedWith("MD5withRSA").sans(POOL).build();
    Environment env = environment(certs(md5Leaf), certs(md5Root));
    Fleet fleet =
        new Fleet()
            .add(
                "lpe",
                10,
                profile("CX600", "4.0.7577.4494").signedInBy(ProvisioningMethod.USB_TETHER).get())
            .add(
                "vvx",
                4,
                profile("VVX 600", "5.9.0").signedInBy(ProvisioningMethod.AD_CREDENTIALS).get())
            .add("windows", 3, profile("Lync 2013", "15.0.5023.1000").get());
    Assessment a = fleet.assess(env, List.of(), AT);
    assertThat(fleet.outcome(a))
        .containsEntry("lpe", "BREAKS [SIGNATURE_ALGORITHM_UNSUPPORTED]")
        .containsEntry("vvx", "BREAKS [SIGNATURE_ALGORITHM_UNSUPPORTED]")
        .containsEntry("windows", "BREAKS [SIGNATURE_ALGORITHM_UNSUPPORTED]");
    assertThat(fleet.result(a, "windows").findings().get(0).stage()).isEqualTo(Stage.POOL);
    RemediationAction reissue = Fleet.action(a, ActionType.REISSUE_CERTIFICATE).orElseThrow();
    assertThat(reissue.details()).containsEntry("signatureAlgorithm", "sha256WithRSAEncryption");
    assertThat(reissue.devicesFixed()).isEqualTo(17);
    assertThat(a.summary().lint()).anyMatch(l -> l.finding().rule() == RuleId.LINT_MD5_SIGNATURE);
  }

  @Test
  void anRsassaPssChainFailsOnPhonesButIsNoPoolOutage() {
    TestPki pki = new TestPki();
    Issued root = pki.root("CN=Contoso Root CA,DC=contoso,DC=com").build();
    Issued pssCa =
        pki.ca("CN=Contoso Issuing CA,DC=contoso,DC=com", root)
            .signedWith("SHA256withRSAandMGF1")
            .build();
    Issued pssLeaf =
        pki.leaf("CN=" + POOL, pssCa).signedWith("SHA256withRSAandMGF1").sans(POOL).build();
    Issued oldLeaf = pki.leaf("CN=" + POOL, root).sans(POOL).build();
    Environment env = environment(certs(oldLeaf), certs(root));
    Fleet fleet =
        new Fleet()
            .add(
                "lpe",
                10,
                profile("CX600", "4.0.7577.4494").signedInBy(ProvisioningMethod.USB_TETHER).get())
            .add(
                "cx700",
                2,
                profile("CX700", "4.0.7577.4066")
                    .signedInBy(ProvisioningMethod.AD_CREDENTIALS)
                    .get())
            .add("windows", 3, profile("Lync 2013", "15.0.5023.1000").get());
    Assessment a =
        fleet.assess(
            env,
            List.of(new Change.ReplaceCertificate(POOL, Usage.DEFAULT, certs(pssLeaf, pssCa))),
            AT);
    assertThat(fleet.outcome(a))
        .containsEntry("lpe", "BREAKS [SIGNATURE_ALGORITHM_UNSUPPORTED]")
        .containsEntry("cx700", "BREAKS [SIGNATURE_ALGORITHM_UNSUPPORTED]")
        .containsEntry("windows", "OK []");
    assertThat(fleet.result(a, "lpe").findings()).allMatch(f -> f.stage() == Stage.SIGN_IN);
    assertThat(Fleet.action(a, ActionType.REISSUE_CERTIFICATE).orElseThrow().devicesFixed())
        .isEqualTo(12);
    assertThat(a.summary().lint()).anyMatch(l -> l.finding().rule() == RuleId.LINT_RSASSA_PSS);
  }

  @Test
  void sha256FailsOnTheCx700BuildWithoutSha2() {
    TestPki pki = new TestPki();
    Issued sha1Root =
        pki.root("CN=Contoso Root CA,DC=contoso,DC=com").signedWith("SHA1withRSA").build();
    Issued sha1Leaf = pki.leaf("CN=" + POOL, sha1Root).signedWith("SHA1withRSA").sans(POOL).build();
    Issued sha2Leaf = pki.leaf("CN=" + POOL, sha1Root).sans(POOL).build();
    Environment env = environment(certs(sha1Leaf), certs(sha1Root));
    Fleet fleet =
        new Fleet()
            .add(
                "cx700-4494",
                6,
                profile("CX700", "4.0.7577.4494")
                    .signedInBy(ProvisioningMethod.AD_CREDENTIALS)
                    .get())
            .add(
                "cx700-4066",
                3,
                profile("CX700", "4.0.7577.4066")
                    .signedInBy(ProvisioningMethod.AD_CREDENTIALS)
                    .get())
            .add(
                "cx600",
                20,
                profile("CX600", "4.0.7577.4494").signedInBy(ProvisioningMethod.USB_TETHER).get());
    Assessment before = fleet.assess(env, List.of(), AT);
    assertThat(before.summary().verdicts().get(Verdict.OK)).isEqualTo(29);
    Assessment a =
        fleet.assess(
            env, List.of(new Change.ReplaceCertificate(POOL, Usage.DEFAULT, certs(sha2Leaf))), AT);
    assertThat(fleet.outcome(a))
        .containsEntry("cx700-4494", "BREAKS [SIGNATURE_ALGORITHM_UNSUPPORTED]")
        .containsEntry("cx700-4066", "OK []")
        .containsEntry("cx600", "OK []");
    RemediationAction sha1 =
        a.summary().remediation().stream()
            .filter(r -> r.action() == ActionType.REISSUE_CERTIFICATE)
            .filter(r -> r.details().get("signatureAlgorithm").equals("sha1WithRSAEncryption"))
            .findFirst()
            .orElseThrow();
    assertThat(sha1.devicesFixed()).isEqualTo(6);
  }
}
