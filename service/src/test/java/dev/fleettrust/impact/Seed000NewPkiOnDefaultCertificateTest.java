package dev.fleettrust.impact;

import static dev.fleettrust.impact.Fleet.certs;
import static dev.fleettrust.impact.Fleet.profile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.trust.Provenance;
import dev.fleettrust.trust.ProvisioningMethod;
import dev.fleettrust.trust.TestPki;
import dev.fleettrust.trust.TestPki.Issued;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seed 000 (Quisitive, "Connecting to Lync Server..." after a Default certificate change): the
 * Default certificate alone moves from a single SHA1 root CA to a two-tier SHA256 PKI whose issuing
 * CA names {@code RootCA.custdom.com} in its AIA, a host internal DNS does not resolve. Certified
 * phones (VVX) break on AIA/CDP reachability and recover with the CNAME; LPE stays broken, because
 * the web service infers the chain it hands out from its own (old) certificate, until
 * TrustedCACerts holds the old root, the new root and the issuing CA with InferCertChainFromSSL
 * off.
 */
class Seed000NewPkiOnDefaultCertificateTest {
  static final String POOL = "sfbpool.custdom.com";
  static final Instant AT = Instant.parse("2018-06-01T00:00:00Z");
  static Issued oldRoot;
  static Issued oldLeaf;
  static Issued newRoot;
  static Issued issuing;
  static Issued newLeaf;

  @BeforeAll
  static void pki() {
    TestPki pki = new TestPki();
    oldRoot = pki.root("CN=OldRootCA,DC=custdom,DC=com").signedWith("SHA1withRSA").build();
    oldLeaf =
        pki.leaf("CN=SFBPOOL.custdom.com", oldRoot)
            .signedWith("SHA1withRSA")
            .sans(POOL, "sip.custdom.com")
            .cdp("http://oldrootca.custdom.com/CertEnroll/OldRootCA.crl")
            .build();
    newRoot = pki.root("CN=RootCA,DC=custdom,DC=com").build();
    issuing =
        pki.ca("CN=IssuingCA,DC=custdom,DC=com", newRoot)
            .aia(
                "ldap:///CN=RootCA,CN=AIA,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=custdom,DC=com?cACertificate")
            .aia("http://RootCA.custdom.com/CertEnroll/RootCA.custdom.com_RootCA.crt")
            .cdp("http://IssuingCA.custdom.com/CertEnroll/RootCA.crl")
            .build();
    newLeaf =
        pki.leaf("CN=SFBPOOL.custdom.com", issuing)
            .sans(POOL, "sip.custdom.com")
            .aia("http://IssuingCA.custdom.com/CertEnroll/IssuingCA.custdom.com_IssuingCA.crt")
            .cdp("http://IssuingCA.custdom.com/CertEnroll/IssuingCA.crl")
            .build();
  }

  static Environment environment() {
    Map<Usage, List<dev.fleettrust.x509.Certificate>> certsByUsage = new EnumMap<>(Usage.class);
    certsByUsage.put(Usage.DEFAULT, certs(oldLeaf));
    Pool pool = new Pool(POOL, List.of("sip.custdom.com"), certsByUsage, List.of(), true, Set.of());
    return new Environment(
        List.of(pool),
        List.of(),
        certs(oldRoot, newRoot, issuing),
        List.of(new Site("HQ", true)),
        Set.of("RootCA.custdom.com"));
  }

  static Fleet fleet() {
    return new Fleet()
        .add(
            "lpe",
            40,
            profile("CX600", "4.0.7577.4494")
                .signedInBy(ProvisioningMethod.PIN_AUTH)
                .holds(Provenance.PROVISIONING_SERVICE, oldRoot)
                .get())
        .add(
            "vvx",
            25,
            profile("VVX 500", "5.9.0.9373")
                .signedInBy(ProvisioningMethod.VENDOR_PROFILE)
                .holds(Provenance.VENDOR_PROFILE, oldRoot, newRoot, issuing)
                .get())
        .add("windows", 5, profile("Lync 2013", "15.0.4569.1506").get());
  }

  static List<Change> change(Change... more) {
    List<Change> changes = new ArrayList<>();
    changes.add(new Change.ReplaceCertificate(POOL, Usage.DEFAULT, certs(newLeaf, issuing)));
    changes.addAll(List.of(more));
    return changes;
  }

  @Test
  void everythingSignsInBeforeTheChange() {
    Fleet fleet = fleet();
    Assessment a = fleet.assess(environment(), List.of(), AT);
    assertThat(fleet.outcome(a))
        .containsEntry("lpe", "OK []")
        .containsEntry("vvx", "OK []")
        .containsEntry("windows", "OK []");
  }

  @Test
  void vvxBreaksOnTheUnresolvableRootAiaHostAndLpeOnTheInferredChain() {
    Fleet fleet = fleet();
    Assessment a = fleet.assess(environment(), change(), AT);
    assertThat(fleet.outcome(a))
        .containsEntry("lpe", "BREAKS [PROVISIONED_CHAIN_MISMATCH]")
        .containsEntry("vvx", "BREAKS [REVOCATION_UNREACHABLE]")
        .containsEntry("windows", "OK []");
    assertThat(fleet.result(a, "vvx").findings().get(0).evidence())
        .containsEntry("unreachableHosts", "rootca.custdom.com");
    assertThat(a.summary().verdicts()).isEqualTo(Fleet.counts(Verdict.BREAKS, 65, Verdict.OK, 5));
    assertThat(a.summary().catalogVersion()).isEqualTo(Fleet.CATALOG.version());
  }

  @Test
  void remediationNamesTheCnameAndTheTrustedCaCertsWithTheOldRoot() {
    Fleet fleet = fleet();
    Assessment a = fleet.assess(environment(), change(), AT);
    RemediationAction cname = Fleet.action(a, ActionType.RESOLVE_HOSTS).orElseThrow();
    assertThat(cname.devicesFixed()).isEqualTo(25);
    assertThat(cname.changes())
        .containsExactly(new Change.ResolveHosts(Set.of("rootca.custdom.com")));
    RemediationAction trusted = Fleet.action(a, ActionType.SET_TRUSTED_CA_CERTS).orElseThrow();
    assertThat(trusted.devicesFixed()).isEqualTo(40);
    Change.SetTrustedCaCerts set = (Change.SetTrustedCaCerts) trusted.changes().get(0);
    assertThat(set.inferCertChainFromSsl()).isFalse();
    assertThat(set.trustedCaCerts())
        .containsExactlyInAnyOrder(
            new TrustedCaCert(CaStore.TRUSTED_ROOT_CA, oldRoot.cert()),
            new TrustedCaCert(CaStore.TRUSTED_ROOT_CA, newRoot.cert()),
            new TrustedCaCert(CaStore.INTERMEDIATE_CA, issuing.cert()));
    assertThat(a.summary().remediation().get(0).action())
        .isEqualTo(ActionType.SET_TRUSTED_CA_CERTS);
  }

  @Test
  void theCnameRecoversVvxButNotLpe() {
    Fleet fleet = fleet();
    Assessment a =
        fleet.assess(
            environment(), change(new Change.ResolveHosts(Set.of("RootCA.custdom.com"))), AT);
    assertThat(fleet.outcome(a))
        .containsEntry("lpe", "BREAKS [PROVISIONED_CHAIN_MISMATCH]")
        .containsEntry("vvx", "OK []")
        .containsEntry("windows", "OK []");
  }

  @Test
  void lpeStaysBrokenUntilTrustedCaCertsHoldsOldRootNewRootAndIssuingCaWithInferOff() {
    Change cname = new Change.ResolveHosts(Set.of("RootCA.custdom.com"));
    TrustedCaCert old = new TrustedCaCert(CaStore.TRUSTED_ROOT_CA, oldRoot.cert());
    TrustedCaCert neu = new TrustedCaCert(CaStore.TRUSTED_ROOT_CA, newRoot.cert());
    TrustedCaCert ica = new TrustedCaCert(CaStore.INTERMEDIATE_CA, issuing.cert());
    Fleet fleet = fleet();

    Assessment inferStillOn =
        fleet.assess(
            environment(),
            change(cname, new Change.SetTrustedCaCerts(POOL, List.of(old, neu, ica), true)),
            AT);
    assertThat(fleet.outcome(inferStillOn))
        .containsEntry("lpe", "BREAKS [PROVISIONED_CHAIN_MISMATCH]");

    Assessment withoutOldRoot =
        fleet.assess(
            environment(),
            change(cname, new Change.SetTrustedCaCerts(POOL, List.of(neu, ica), false)),
            AT);
    assertThat(fleet.outcome(withoutOldRoot)).containsEntry("lpe", "BREAKS [UNTRUSTED_ROOT]");
    assertThat(fleet.result(withoutOldRoot, "lpe").findings().get(0).stage())
        .isEqualTo(Stage.PROVISIONING);

    Assessment fixed =
        fleet.assess(
            environment(),
            change(cname, new Change.SetTrustedCaCerts(POOL, List.of(old, neu, ica), false)),
            AT);
    assertThat(fleet.outcome(fixed))
        .containsEntry("lpe", "OK []")
        .containsEntry("vvx", "OK []")
        .containsEntry("windows", "OK []");
    assertThat(fixed.summary().remediation()).isEmpty();
  }
}
