package dev.fleettrust.impact;

import static dev.fleettrust.impact.Fleet.certs;
import static dev.fleettrust.impact.Fleet.profile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.trust.ProvisioningMethod;
import dev.fleettrust.trust.TestPki;
import dev.fleettrust.trust.TestPki.Issued;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seed 004 (Microsoft support, "Exchange integration error on HP4120 desktop phones"): the pool's
 * certificate comes from "Issuing CA for contoso", the Exchange CAS array's from "Issuing-CA for
 * contoso", a different CA with a near-identical name. LPE trusts for Exchange only the pool's
 * issuing CA beyond its built-in roots: sign-in works, Exchange integration fails (DEGRADED). The
 * fix the report found: reissue the CAS certificate from the pool's issuing CA.
 */
class Seed004LookAlikeExchangeIssuerTest {
  static final String POOL = "lyncpool.contoso.com";
  static final String EWS = "casarray.contoso.com";
  static final Instant AT = Instant.parse("2012-10-19T00:00:00Z");
  static Issued root;
  static Issued poolCa;
  static Issued lookAlikeCa;
  static Issued poolLeaf;
  static Issued casLeaf;

  @BeforeAll
  static void pki() {
    TestPki pki = new TestPki();
    root = pki.root("CN=contoso Root CA,DC=contoso,DC=com").build();
    poolCa = pki.ca("CN=Issuing CA for contoso,DC=contoso,DC=com", root).build();
    lookAlikeCa = pki.ca("CN=Issuing-CA for contoso,DC=contoso,DC=com", root).build();
    poolLeaf = pki.leaf("CN=" + POOL, poolCa).sans(POOL).build();
    casLeaf = pki.leaf("CN=" + EWS, lookAlikeCa).bits(1024).sans(EWS, "cas01.contoso.com").build();
  }

  static Environment environment(List<dev.fleettrust.x509.Certificate> casChain) {
    Map<Usage, List<dev.fleettrust.x509.Certificate>> c = new EnumMap<>(Usage.class);
    c.put(Usage.DEFAULT, certs(poolLeaf, poolCa));
    return new Environment(
        List.of(new Pool(POOL, List.of(), c, List.of(), true, Set.of())),
        List.of(new ExchangeHost(EWS, casChain)),
        certs(root, poolCa, lookAlikeCa),
        List.of(new Site("HQ", true)),
        Set.of());
  }

  static Fleet fleet() {
    return new Fleet()
        .add(
            "hp4120-usb",
            25,
            profile("HP 4120", "4.0.7577.4494").signedInBy(ProvisioningMethod.USB_TETHER).get())
        .add(
            "cx600-pin",
            10,
            profile("CX600", "4.0.7577.4420").signedInBy(ProvisioningMethod.PIN_AUTH).get())
        .add(
            "vvx",
            6,
            profile("VVX 500", "5.9.0").signedInBy(ProvisioningMethod.AD_CREDENTIALS).get())
        .add("windows", 30, profile("Lync 2010", "4.0.7577.4103").get());
  }

  @Test
  void lookAlikeIssuerDegradesLpeWithSignInIntact() {
    Fleet fleet = fleet();
    Assessment a =
        fleet.assess(
            environment(certs(poolLeaf, poolCa)),
            List.of(new Change.ReplaceExchangeCertificate(EWS, certs(casLeaf, lookAlikeCa))),
            AT);
    assertThat(fleet.outcome(a))
        .containsEntry("hp4120-usb", "DEGRADED [EWS_ISSUER_NOT_TRUSTED]")
        .containsEntry("cx600-pin", "DEGRADED [EWS_ISSUER_NOT_TRUSTED]")
        .containsEntry("vvx", "OK []")
        .containsEntry("windows", "OK []");
    Finding f = fleet.result(a, "hp4120-usb").findings().get(0);
    assertThat(f.stage()).isEqualTo(Stage.EXCHANGE);
    assertThat(f.evidence())
        .containsEntry("poolIssuer", "CN=Issuing CA for contoso,DC=contoso,DC=com")
        .containsEntry("ewsIssuer", "CN=Issuing-CA for contoso,DC=contoso,DC=com");
    assertThat(a.summary().verdicts())
        .isEqualTo(Fleet.counts(Verdict.DEGRADED, 35, Verdict.OK, 36));
  }

  @Test
  void remediationReissuesTheCasCertificateFromThePoolsIssuingCa() {
    Fleet fleet = fleet();
    Assessment a = fleet.assess(environment(certs(casLeaf, lookAlikeCa)), List.of(), AT);
    RemediationAction first = a.summary().remediation().get(0);
    assertThat(first.action()).isEqualTo(ActionType.REISSUE_CERTIFICATE);
    assertThat(first.devicesFixed()).isEqualTo(35);
    assertThat(first.description()).contains("CN=Issuing CA for contoso,DC=contoso,DC=com");
    RemediationAction trusted = Fleet.action(a, ActionType.SET_TRUSTED_CA_CERTS).orElseThrow();
    assertThat(trusted.devicesFixed()).isEqualTo(35);

    Issued reissued =
        new TestPki().leaf("CN=" + EWS, poolCa).sans(EWS, "cas01.contoso.com").build();
    Assessment fixed =
        fleet.assess(
            environment(certs(casLeaf, lookAlikeCa)),
            List.of(new Change.ReplaceExchangeCertificate(EWS, certs(reissued, poolCa))),
            AT);
    assertThat(fixed.summary().verdicts()).isEqualTo(Fleet.counts(Verdict.OK, 71));
  }
}
