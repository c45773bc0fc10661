package dev.fleettrust.impact;

import static dev.fleettrust.impact.Fleet.certs;
import static dev.fleettrust.impact.Fleet.profile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.trust.BuildNumber;
import dev.fleettrust.trust.BuiltInRoot;
import dev.fleettrust.trust.CapabilityOverrides;
import dev.fleettrust.trust.Catalog;
import dev.fleettrust.trust.CatalogEdit;
import dev.fleettrust.trust.FirmwareBuild;
import dev.fleettrust.trust.ProvisioningMethod;
import dev.fleettrust.trust.RootStore;
import dev.fleettrust.trust.TestPki;
import dev.fleettrust.trust.TestPki.Issued;
import dev.fleettrust.x509.TrustAnchor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The LPE root lists are partial reconstructions (only roots still in Debian's bundle carry a key),
 * so a root the list lacks decides nothing by itself: a pool chain to an older public root (the
 * VeriSign Class 3 generations on Microsoft's "Certificates for Lync Phone Edition" list) is
 * AT_RISK with BUILT_IN_ROOTS_UNKNOWN, not BREAKS. Roots the catalog knows a build lacks (seed 001:
 * the DigiCert roots CU11 added), enterprise roots, and roots missing from a complete list still
 * break.
 */
class IncompleteRootStoreTest {
  static final String POOL = "lyncpool.example.com";
  static final Instant AT = Instant.parse("2014-10-28T00:00:00Z");
  static final String VERISIGN_G5 =
      "CN=VeriSign Class 3 Public Primary Certification Authority - G5,OU=(c) 2006 VeriSign\\,"
          + " Inc. - For authorized use only,OU=VeriSign Trust Network,O=VeriSign\\, Inc.,C=US";
  static final String DIGICERT =
      "CN=DigiCert Global Root CA,OU=www.digicert.com,O=DigiCert Inc,C=US";

  /**
   * A pool whose three usages present leaf and issuing CA of {@code rootName}; AD holds nothing.
   */
  static Environment environmentWithChainTo(TestPki pki, String rootName) {
    Issued root = pki.root(rootName).build();
    Issued ca = pki.ca("CN=Issuing CA for tests,O=Test Issuer,C=US", root).build();
    Issued leaf = pki.leaf("CN=" + POOL, ca).sans(POOL, "sip.example.com").build();
    Map<Usage, List<dev.fleettrust.x509.Certificate>> c = new EnumMap<>(Usage.class);
    for (Usage u : Usage.values()) {
      c.put(u, certs(leaf, ca));
    }
    return new Environment(
        List.of(new Pool(POOL, List.of("sip.example.com"), c, List.of(), true, Set.of())),
        List.of(),
        List.of(),
        List.of(new Site("HQ", true)),
        Set.of());
  }

  static Fleet cu10Usb() {
    return new Fleet()
        .add(
            "cu10-usb",
            12,
            profile("CX600", "4.0.7577.4414").signedInBy(ProvisioningMethod.USB_TETHER).get());
  }

  @Test
  void aChainToAVeriSignRootOnCu10IsAtRiskNotBroken() {
    Fleet fleet = cu10Usb();
    Assessment a = fleet.assess(environmentWithChainTo(new TestPki(), VERISIGN_G5), List.of(), AT);
    assertThat(fleet.outcome(a)).containsEntry("cu10-usb", "AT_RISK [BUILT_IN_ROOTS_UNKNOWN]");
    Finding f = fleet.result(a, "cu10-usb").findings().get(0);
    assertThat(f.effect()).isEqualTo(Verdict.AT_RISK);
    assertThat(f.message())
        .contains("VeriSign Class 3 Public Primary Certification Authority - G5")
        .contains("believed to be in the built-in store of LPE-AIRES:4.0.7577.4414")
        .contains("check the phone's certificate store");
    assertThat(f.evidence())
        .containsEntry("build", "4.0.7577.4414")
        .containsEntry("rootStore", "member without key")
        .containsKey("root");
    assertThat(f.evidence().get("root")).startsWith("CN=VeriSign Class 3");
    assertThat(a.summary().verdicts()).isEqualTo(Fleet.counts(Verdict.AT_RISK, 12));
  }

  @Test
  void aRootTheIncompleteListDoesNotNameIsNotKnownEitherWay() {
    Fleet fleet = cu10Usb();
    String name = "CN=Made-up Trust Root,O=Made-up Trust Services,C=US";
    Assessment a = fleet.assess(environmentWithChainTo(new TestPki(), name), List.of(), AT);
    assertThat(fleet.outcome(a)).containsEntry("cu10-usb", "AT_RISK [BUILT_IN_ROOTS_UNKNOWN]");
    Finding f = fleet.result(a, "cu10-usb").findings().get(0);
    assertThat(f.message())
        .contains(
            "whether firmware LPE-AIRES:4.0.7577.4414 holds "
                + name
                + " is not known: check the phone's certificate store");
    assertThat(f.evidence()).containsEntry("root", name).containsEntry("rootStore", "incomplete");
  }

  @Test
  void aRootKnownAbsentBeforeCu11StillBreaks() {
    Fleet fleet = cu10Usb();
    Assessment a = fleet.assess(environmentWithChainTo(new TestPki(), DIGICERT), List.of(), AT);
    assertThat(fleet.outcome(a)).containsEntry("cu10-usb", "BREAKS [UNTRUSTED_ROOT]");
  }

  @Test
  void anEnterpriseRootStillBreaks() {
    Fleet fleet = cu10Usb();
    Assessment a =
        fleet.assess(
            environmentWithChainTo(new TestPki(), "CN=corp-DC-CA,DC=corp,DC=example,DC=com"),
            List.of(),
            AT);
    assertThat(fleet.outcome(a)).containsEntry("cu10-usb", "BREAKS [UNTRUSTED_ROOT]");
  }

  @Test
  void aRootMissingFromACompleteListStillBreaks() {
    TestPki pki = new TestPki();
    Issued listed = pki.root("CN=Listed Root,O=Listed,C=US").build();
    Catalog edited =
        ((CatalogEdit.Applied)
                Fleet.CATALOG.withBuild(
                    "LPE-AIRES",
                    new FirmwareBuild(
                        BuildNumber.parse("4.0.7577.4414"),
                        Optional.of("CU10"),
                        Optional.empty(),
                        CapabilityOverrides.NONE,
                        Optional.of(
                            RootStore.known(
                                List.of(
                                    BuiltInRoot.of(new TrustAnchor.OfCertificate(listed.cert()))))),
                        Map.of())))
            .catalog();
    Fleet fleet = cu10Usb();
    AssessmentOutcome o =
        Fleet.ENGINE.assess(
            new AssessmentRequest(
                edited, environmentWithChainTo(pki, VERISIGN_G5), fleet.groups(), List.of(), AT));
    Assessment a = ((AssessmentOutcome.Assessed) o).assessment();
    assertThat(fleet.outcome(a)).containsEntry("cu10-usb", "BREAKS [UNTRUSTED_ROOT]");
  }

  @Test
  void remediationCountsTheDoubtRemovedOnlyWhenTheChainIsPublishedAndNeverProposesAnUpgrade() {
    TestPki pki = new TestPki();
    Issued root = pki.root(VERISIGN_G5).build();
    Issued ca = pki.ca("CN=Symantec Class 3 Secure Server CA - G4,O=Symantec,C=US", root).build();
    Issued leaf = pki.leaf("CN=" + POOL, ca).sans(POOL, "sip.example.com").build();
    List<Change> changes = new ArrayList<>();
    for (Usage u : Usage.values()) {
      changes.add(new Change.ReplaceCertificate(POOL, u, certs(leaf, ca)));
    }
    Environment env = environmentWithChainTo(pki, "CN=Old Root,DC=example,DC=com");
    Fleet fleet =
        cu10Usb()
            .add(
                "cu11-usb",
                5,
                profile("HP 4120", "4.0.7577.4420")
                    .signedInBy(ProvisioningMethod.USB_TETHER)
                    .get());
    Assessment a = fleet.assess(env, changes, AT);
    assertThat(fleet.outcome(a))
        .containsEntry("cu10-usb", "AT_RISK [BUILT_IN_ROOTS_UNKNOWN]")
        .containsEntry("cu11-usb", "AT_RISK [BUILT_IN_ROOTS_UNKNOWN]");
    assertThat(Fleet.action(a, ActionType.UPGRADE_FIRMWARE))
        .as("CU11's list is partial too: upgrading removes no doubt")
        .isEmpty();
    for (RemediationAction r : a.summary().remediation()) {
      assertThat(r.devicesBroken()).isZero();
    }
    List<Change> published = new ArrayList<>(changes);
    published.add(new Change.PublishAdCa(root.cert()));
    published.add(new Change.PublishAdCa(ca.cert()));
    assertThat(fleet.outcome(fleet.assess(env, published, AT)))
        .containsEntry("cu10-usb", "OK []")
        .containsEntry("cu11-usb", "OK []");
  }
}
