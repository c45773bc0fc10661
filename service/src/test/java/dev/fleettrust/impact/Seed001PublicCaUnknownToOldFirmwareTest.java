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
import dev.fleettrust.trust.Provenance;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seed 001 (Schertz, "Lync Phone Edition and Public Certificates"): the pool's certificate, on all
 * three usages, is renewed from a public CA whose root old LPE firmware does not carry.
 * USB-tethered devices on builds before CU11 break (they learn roots only from firmware and AD);
 * PIN-authenticated devices recover, because the web service hands out the chain it infers from its
 * own certificate; CU11 (4.0.7577.4420) devices are fine. The test's root carries the DigiCert
 * root's name: the catalog knows firmware roots by name and key, and a copy whose key is nowhere to
 * be had is matched by name, as a device matching its store by issuer name does.
 */
class Seed001PublicCaUnknownToOldFirmwareTest {
  static final String POOL = "lyncpool.schertz.name";
  static final Instant AT = Instant.parse("2014-10-28T00:00:00Z");
  static Issued internalRoot;
  static Issued internalLeaf;
  static Issued digicertRoot;
  static Issued digicertCa;
  static Issued digicertLeaf;

  @BeforeAll
  static void pki() {
    TestPki pki = new TestPki();
    internalRoot = pki.root("CN=schertz-DC-CA,DC=schertz,DC=name").build();
    internalLeaf = pki.leaf("CN=" + POOL, internalRoot).sans(POOL, "sip.schertz.name").build();
    digicertRoot =
        pki.root("CN=DigiCert Global Root CA,OU=www.digicert.com,O=DigiCert Inc,C=US").build();
    digicertCa =
        pki.ca("CN=DigiCert SHA2 Secure Server CA,O=DigiCert Inc,C=US", digicertRoot).build();
    digicertLeaf = pki.leaf("CN=" + POOL, digicertCa).sans(POOL, "sip.schertz.name").build();
  }

  static Environment environment() {
    Map<Usage, List<dev.fleettrust.x509.Certificate>> c = new EnumMap<>(Usage.class);
    c.put(Usage.DEFAULT, certs(internalLeaf));
    return new Environment(
        List.of(new Pool(POOL, List.of("sip.schertz.name"), c, List.of(), true, Set.of())),
        List.of(),
        certs(internalRoot),
        List.of(new Site("HQ", true), new Site("Branch", false)),
        Set.of());
  }

  /** The DigiCert chain on all three usages, as Get-CsCertificate shows one thumbprint for all. */
  static List<Change> publicCertificate(boolean withRoot) {
    List<Change> changes = new ArrayList<>();
    List<dev.fleettrust.x509.Certificate> chain =
        withRoot ? certs(digicertLeaf, digicertCa, digicertRoot) : certs(digicertLeaf, digicertCa);
    for (Usage u : Usage.values()) {
      changes.add(new Change.ReplaceCertificate(POOL, u, chain));
    }
    return changes;
  }

  static Fleet fleet() {
    return new Fleet()
        .add(
            "cu10-usb",
            30,
            profile("CX600", "4.0.7577.4414")
                .signedInBy(ProvisioningMethod.USB_TETHER)
                .holds(Provenance.ACTIVE_DIRECTORY, internalRoot)
                .get())
        .add(
            "cu10-pin",
            50,
            profile("CX600", "4.0.7577.4414")
                .signedInBy(ProvisioningMethod.PIN_AUTH)
                .holds(Provenance.PROVISIONING_SERVICE, internalRoot)
                .get())
        .add(
            "cu11-usb",
            20,
            profile("HP 4120", "4.0.7577.4420")
                .signedInBy(ProvisioningMethod.USB_TETHER)
                .holds(Provenance.ACTIVE_DIRECTORY, internalRoot)
                .get())
        .add(
            "cu1-usb-branch",
            4,
            profile("CX3000", "4.0.7577.107")
                .signedInBy(ProvisioningMethod.USB_TETHER)
                .site("Branch")
                .holds(Provenance.ACTIVE_DIRECTORY, internalRoot)
                .get())
        .add("stockpile", 6, profile("CX600", "4.0.7577.4100").get())
        .add("windows", 3, profile("Skype for Business", "16.0.4266.1001").get());
  }

  @Test
  void usbTetheredDevicesBeforeCu11BreakWhilePinAuthenticatedAndCu11DevicesSignIn() {
    Fleet fleet = fleet();
    Assessment a = fleet.assess(environment(), publicCertificate(false), AT);
    assertThat(fleet.outcome(a))
        .containsEntry("cu10-usb", "BREAKS [UNTRUSTED_ROOT]")
        .containsEntry("cu10-pin", "OK []")
        .containsEntry("cu11-usb", "OK []")
        .containsEntry("cu1-usb-branch", "BREAKS [UNTRUSTED_ROOT]")
        .containsEntry("stockpile", "AT_RISK [UNTRUSTED_ROOT, PROVISIONING_PATH_UNCERTAIN]")
        .containsEntry("windows", "OK []");
    assertThat(a.summary().verdicts())
        .isEqualTo(Fleet.counts(Verdict.BREAKS, 34, Verdict.AT_RISK, 6, Verdict.OK, 73));
  }

  @Test
  void aRootTheServerSendsIsNotTrustedForBeingThere() {
    Fleet fleet = fleet();
    Assessment a = fleet.assess(environment(), publicCertificate(true), AT);
    assertThat(fleet.outcome(a))
        .containsEntry("cu10-usb", "BREAKS [UNTRUSTED_ROOT]")
        .containsEntry("cu10-pin", "OK []");
  }

  @Test
  void everythingSignsInBeforeTheRenewal() {
    Fleet fleet = fleet();
    Assessment a = fleet.assess(environment(), List.of(), AT);
    assertThat(a.summary().verdicts().get(Verdict.BREAKS)).isZero();
    assertThat(fleet.outcome(a))
        .containsEntry("cu10-usb", "OK []")
        .containsEntry("cu11-usb", "OK []");
  }

  @Test
  void remediationUpgradesToCu11PublishesInAdOrSignsInByPin() {
    Fleet fleet = fleet();
    Assessment a = fleet.assess(environment(), publicCertificate(false), AT);
    RemediationAction upgrade = Fleet.action(a, ActionType.UPGRADE_FIRMWARE).orElseThrow();
    assertThat(upgrade.details())
        .containsEntry("family", "LPE-AIRES")
        .containsEntry("build", "4.0.7577.4420");
    assertThat(upgrade.devicesFixed()).isEqualTo(30 + 4 + 6);
    RemediationAction ad = Fleet.action(a, ActionType.PUBLISH_AD_CA).orElseThrow();
    assertThat(ad.changes()).containsExactly(new Change.PublishAdCa(digicertCa.cert()));
    assertThat(ad.details())
        .containsEntry(
            "exportRoot", "CN=DigiCert Global Root CA,OU=www.digicert.com,O=DigiCert Inc,C=US");
    assertThat(ad.devicesFixed())
        .as(
            "the stockpile, never seen provisioning, is not given the AD-published CAs by"
                + " assumption (contract.md, 'Unknown is never OK')")
        .isEqualTo(30 + 4);
    RemediationAction pin = Fleet.action(a, ActionType.REPROVISION_WITH_PIN).orElseThrow();
    assertThat(pin.devicesFixed())
        .as("the branch site offers no PIN authentication")
        .isEqualTo(30 + 6);
    assertThat(a.summary().remediation().subList(0, 3))
        .as("the upgrade and a PIN sign-in fix the stockpile too")
        .containsExactly(upgrade, pin, ad);
  }

  @Test
  void publishingTheChainInAdRecoversUsbTetheredDevices() {
    Fleet fleet = fleet();
    List<Change> changes = new ArrayList<>(publicCertificate(false));
    changes.add(new Change.PublishAdCa(digicertRoot.cert()));
    changes.add(new Change.PublishAdCa(digicertCa.cert()));
    Assessment a = fleet.assess(environment(), changes, AT);
    assertThat(fleet.outcome(a))
        .containsEntry("cu10-usb", "OK []")
        .containsEntry("cu1-usb-branch", "OK []");
  }

  @Test
  void aCatalogEditPuttingTheRootIntoABuildIsHonoured() {
    Catalog edited =
        applied(
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
                                BuiltInRoot.of(
                                    new TrustAnchor.OfCertificate(digicertRoot.cert()))))),
                    Map.of())));
    Fleet fleet = fleet();
    AssessmentOutcome o =
        Fleet.ENGINE.assess(
            new AssessmentRequest(
                edited, environment(), fleet.groups(), publicCertificate(false), AT));
    Assessment a = ((AssessmentOutcome.Assessed) o).assessment();
    assertThat(a.catalogVersion())
        .isEqualTo(edited.version())
        .isNotEqualTo(Fleet.CATALOG.version());
    assertThat(fleet.outcome(a))
        .containsEntry("cu10-usb", "OK []")
        .containsEntry("cu1-usb-branch", "BREAKS [UNTRUSTED_ROOT]");
  }

  private static Catalog applied(CatalogEdit e) {
    return ((CatalogEdit.Applied) e).catalog();
  }

  /**
   * Seed 001, comments: "the GlobalSign root has expired in January this year, so the phones
   * couldn't sign in if they carried the old firmware". No change at all: the same environment
   * evaluated before and after the expiry of the copy old firmware carries.
   */
  @Test
  void oldFirmwareLosesTheGlobalSignRootWhenItsCopyExpires() {
    TestPki pki = new TestPki();
    Issued root = pki.root("CN=GlobalSign Root CA,OU=Root CA,O=GlobalSign nv-sa,C=BE").build();
    Issued ca =
        pki.ca("CN=GlobalSign Organization Validation CA - G2,O=GlobalSign nv-sa,C=BE", root)
            .build();
    Issued leaf = pki.leaf("CN=" + POOL, ca).sans(POOL, "sip.schertz.name").build();
    Map<Usage, List<dev.fleettrust.x509.Certificate>> c = new EnumMap<>(Usage.class);
    c.put(Usage.DEFAULT, certs(leaf, ca));
    Environment env =
        new Environment(
            List.of(new Pool(POOL, List.of(), c, List.of(), true, Set.of())),
            List.of(),
            List.of(),
            List.of(new Site("HQ", true)),
            Set.of());
    Fleet fleet =
        new Fleet()
            .add(
                "cu10-usb",
                12,
                profile("CX600", "4.0.7577.4414").signedInBy(ProvisioningMethod.USB_TETHER).get())
            .add(
                "cu11-usb",
                8,
                profile("CX600", "4.0.7577.4420").signedInBy(ProvisioningMethod.USB_TETHER).get());
    Assessment before = fleet.assess(env, List.of(), Instant.parse("2013-06-01T00:00:00Z"));
    assertThat(fleet.outcome(before))
        .containsEntry("cu10-usb", "OK []")
        .containsEntry("cu11-usb", "OK []");
    Assessment after = fleet.assess(env, List.of(), Instant.parse("2014-06-01T00:00:00Z"));
    assertThat(fleet.outcome(after))
        .containsEntry("cu10-usb", "BREAKS [ANCHOR_EXPIRED]")
        .containsEntry("cu11-usb", "OK []");
    assertThat(Fleet.action(after, ActionType.UPGRADE_FIRMWARE).orElseThrow().details())
        .containsEntry("build", "4.0.7577.4420");
  }
}
