package dev.fleettrust.impact;

import static dev.fleettrust.impact.Fleet.certs;
import static dev.fleettrust.impact.Fleet.profile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.trust.Provenance;
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
 * Seed 003 (Schertz, "Lync Phone Edition Incompatible with Wildcard Certificates"): the SRV target
 * {@code sip.mslync.net} is covered only by {@code *.mslync.net}. LPE before 4.0.7577.4100 (CU1
 * 4.0.7577.107 here) cannot sign in, by PIN or USB; the Windows Lync 2010 client and later builds
 * can; a certificate with the exact FQDN as a SAN fixes every device.
 */
class Seed003WildcardOnlySrvTargetTest {
  static final String POOL = "lyncfe.schertz.local";
  static final String SRV_TARGET = "sip.mslync.net";
  static final Instant AT = Instant.parse("2012-09-01T00:00:00Z");
  static Issued root;
  static Issued wildcardLeaf;
  static Issued exactLeaf;

  @BeforeAll
  static void pki() {
    TestPki pki = new TestPki();
    root = pki.root("CN=schertz-DC-CA,DC=schertz,DC=local").build();
    wildcardLeaf = pki.leaf("CN=" + POOL, root).sans(POOL, "*.mslync.net").build();
    exactLeaf = pki.leaf("CN=" + POOL, root).sans(POOL, SRV_TARGET, "*.mslync.net").build();
  }

  static Environment environment() {
    Map<Usage, List<dev.fleettrust.x509.Certificate>> c = new EnumMap<>(Usage.class);
    c.put(Usage.DEFAULT, certs(exactLeaf));
    return new Environment(
        List.of(new Pool(POOL, List.of(SRV_TARGET), c, List.of(), true, Set.of())),
        List.of(),
        certs(root),
        List.of(new Site("HQ", true)),
        Set.of());
  }

  static Fleet fleet() {
    return new Fleet()
        .add(
            "cu1-pin",
            12,
            profile("CX600", "4.0.7577.107").signedInBy(ProvisioningMethod.PIN_AUTH).get())
        .add(
            "cu1-usb",
            7,
            profile("CX600", "4.0.7577.107")
                .signedInBy(ProvisioningMethod.USB_TETHER)
                .holds(Provenance.ACTIVE_DIRECTORY, root)
                .get())
        .add(
            "june2012",
            20,
            profile("CX600", "4.0.7577.4100").signedInBy(ProvisioningMethod.PIN_AUTH).get())
        .add(
            "cu11",
            15,
            profile("HP 4120", "4.0.7577.4420").signedInBy(ProvisioningMethod.USB_TETHER).get())
        .add("windows", 40, profile("Lync 2010", "4.0.7577.4103").get());
  }

  static List<Change> wildcardOnly() {
    return List.of(new Change.ReplaceCertificate(POOL, Usage.DEFAULT, certs(wildcardLeaf)));
  }

  @Test
  void wildcardOnlySrvTargetBreaksLpeBeforeJune2012Only() {
    Fleet fleet = fleet();
    Assessment a = fleet.assess(environment(), wildcardOnly(), AT);
    assertThat(fleet.outcome(a))
        .containsEntry("cu1-pin", "BREAKS [WILDCARD_UNSUPPORTED]")
        .containsEntry("cu1-usb", "BREAKS [WILDCARD_UNSUPPORTED]")
        .containsEntry("june2012", "OK []")
        .containsEntry("cu11", "OK []")
        .containsEntry("windows", "OK []");
    assertThat(fleet.result(a, "cu1-pin").findings().get(0).evidence())
        .containsEntry("host", SRV_TARGET);
  }

  @Test
  void addingTheExactSanIsTheFirstActionAndFixesEveryDevice() {
    Fleet fleet = fleet();
    Assessment a = fleet.assess(environment(), wildcardOnly(), AT);
    RemediationAction first = a.summary().remediation().get(0);
    assertThat(first.action()).isEqualTo(ActionType.ADD_SAN);
    assertThat(first.details()).containsEntry("names", SRV_TARGET);
    assertThat(first.devicesFixed()).isEqualTo(19);
    RemediationAction upgrade = Fleet.action(a, ActionType.UPGRADE_FIRMWARE).orElseThrow();
    assertThat(upgrade.details()).containsEntry("build", "4.0.7577.4100");
    assertThat(upgrade.description()).contains("before the change");

    Assessment withSan =
        fleet.assess(
            environment(),
            List.of(new Change.ReplaceCertificate(POOL, Usage.DEFAULT, certs(exactLeaf))),
            AT);
    assertThat(withSan.summary().verdicts().get(Verdict.OK)).isEqualTo(94);
  }

  @Test
  void aDeviceDialingThePoolFqdnItselfIsUnaffected() {
    Fleet fleet =
        new Fleet()
            .add(
                "cu1-dials-pool",
                3,
                profile("CX600", "4.0.7577.107")
                    .signedInBy(ProvisioningMethod.PIN_AUTH)
                    .dials(POOL)
                    .get());
    Assessment a = fleet.assess(environment(), wildcardOnly(), AT);
    assertThat(fleet.outcome(a)).containsEntry("cu1-dials-pool", "OK []");
  }
}
