package dev.fleettrust.impact;

import static dev.fleettrust.impact.Fleet.certs;
import static dev.fleettrust.impact.Fleet.profile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.trust.DeviceProfile;
import dev.fleettrust.trust.HeldCertificate;
import dev.fleettrust.trust.Provenance;
import dev.fleettrust.trust.ProvisioningMethod;
import dev.fleettrust.trust.Rule;
import dev.fleettrust.trust.TestPki;
import dev.fleettrust.trust.TestPki.Issued;
import dev.fleettrust.trust.TlsVersion;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine's behaviour beyond the seeds: TLS, keys, expiry, uncertainty, unknowns, grouping. */
class EngineBehaviourTest {
  static final String POOL = "pool.example.net";
  static final Instant AT = Instant.parse("2024-05-01T00:00:00Z");
  static Issued root;
  static Issued sub;
  static Issued leaf;

  @BeforeAll
  static void pki() {
    TestPki pki = new TestPki();
    root = pki.root("CN=Example Root,O=Example,C=US").build();
    sub = pki.ca("CN=Example Issuing CA,O=Example,C=US", root).build();
    leaf = pki.leaf("CN=" + POOL, sub).sans(POOL, "sip.example.net").build();
  }

  static Environment env(Set<TlsVersion> tls, List<String> sipFqdns, List<Site> sites) {
    Map<Usage, List<dev.fleettrust.x509.Certificate>> c = new EnumMap<>(Usage.class);
    c.put(Usage.DEFAULT, certs(leaf, sub));
    return new Environment(
        List.of(new Pool(POOL, sipFqdns, c, List.of(), true, tls)),
        List.of(),
        certs(root),
        sites,
        Set.of());
  }

  static Environment env() {
    return env(Set.of(), List.of(), List.of(new Site("HQ", true)));
  }

  static DeviceProfile lpeUsb(String build) {
    return profile("CX600", build).signedInBy(ProvisioningMethod.USB_TETHER).get();
  }

  @Test
  void disablingTls10StopsEveryLpeDeviceAndKeepingItIsTheFix() {
    Fleet fleet =
        new Fleet()
            .add("lpe", 50, lpeUsb("4.0.7577.4494"))
            .add(
                "vvx",
                10,
                profile("VVX 600", "5.9.0").signedInBy(ProvisioningMethod.AD_CREDENTIALS).get());
    Assessment a =
        fleet.assess(
            env(), List.of(new Change.SetTlsVersions(POOL, Set.of(TlsVersion.TLS_1_2))), AT);
    assertThat(fleet.outcome(a))
        .containsEntry("lpe", "BREAKS [TLS_VERSION_UNSUPPORTED]")
        .containsEntry("vvx", "OK []");
    RemediationAction keep = a.summary().remediation().get(0);
    assertThat(keep.action()).isEqualTo(ActionType.KEEP_TLS_VERSIONS);
    assertThat(keep.devicesFixed()).isEqualTo(50);
    assertThat(keep.changes())
        .containsExactly(
            new Change.SetTlsVersions(POOL, Set.of(TlsVersion.TLS_1_0, TlsVersion.TLS_1_2)));
  }

  @Test
  void aKeyBeyondTheFirmwareLimitIsKeyUnsupported() {
    TestPki pki = new TestPki();
    Issued bigRoot = pki.root("CN=Big Root,O=Example,C=US").bits(4096).build();
    Issued bigLeaf = pki.leaf("CN=" + POOL, bigRoot).sans(POOL).build();
    Fleet fleet =
        new Fleet()
            .add(
                "cx700-ocs",
                2,
                profile("CX700", "1.0.522.101")
                    .signedInBy(ProvisioningMethod.AD_CREDENTIALS)
                    .get());
    Assessment a =
        fleet.assess(
            env(),
            List.of(
                new Change.ReplaceCertificate(POOL, Usage.DEFAULT, certs(bigLeaf)),
                new Change.PublishAdCa(bigRoot.cert())),
            AT);
    assertThat(fleet.rules(a, "cx700-ocs")).contains(Rule.KEY_UNSUPPORTED);
  }

  @Test
  void anExpiredLeafAtTheEvaluationDateBreaksEveryoneAndRenewalFixesThem() {
    TestPki pki = new TestPki();
    Issued shortLeaf =
        pki.leaf("CN=" + POOL, sub)
            .sans(POOL)
            .valid(Instant.parse("2023-01-01T00:00:00Z"), Instant.parse("2024-04-01T00:00:00Z"))
            .build();
    Fleet fleet =
        new Fleet()
            .add("lpe", 5, lpeUsb("4.0.7577.4494"))
            .add("windows", 5, profile("Lync 2013", "15.0.1").get());
    Assessment a =
        fleet.assess(
            env(),
            List.of(new Change.ReplaceCertificate(POOL, Usage.DEFAULT, certs(shortLeaf, sub))),
            AT);
    assertThat(fleet.outcome(a))
        .containsEntry("lpe", "BREAKS [CERTIFICATE_EXPIRED]")
        .containsEntry("windows", "BREAKS [CERTIFICATE_EXPIRED]");
    assertThat(Fleet.action(a, ActionType.REISSUE_CERTIFICATE).orElseThrow().devicesFixed())
        .isEqualTo(10);
    Assessment earlier =
        fleet.assess(
            env(),
            List.of(new Change.ReplaceCertificate(POOL, Usage.DEFAULT, certs(shortLeaf, sub))),
            Instant.parse("2024-03-01T00:00:00Z"));
    assertThat(earlier.summary().verdicts().get(Verdict.OK)).isEqualTo(10);
  }

  @Test
  void srvTargetsWithDifferentOutcomesMakeTheDeviceAtRiskUnlessItsDialedFqdnIsKnown() {
    TestPki pki = new TestPki();
    Issued partial = pki.leaf("CN=" + POOL, sub).sans(POOL, "*.example.net").build();
    Environment e = env(Set.of(), List.of(POOL, "sip.example.net"), List.of(new Site("HQ", true)));
    List<Change> change =
        List.of(new Change.ReplaceCertificate(POOL, Usage.DEFAULT, certs(partial, sub)));
    Fleet fleet =
        new Fleet()
            .add("unknown-target", 3, lpeUsb("4.0.7577.107"))
            .add(
                "dials-sip",
                4,
                profile("CX600", "4.0.7577.107")
                    .signedInBy(ProvisioningMethod.USB_TETHER)
                    .dials("sip.example.net")
                    .get());
    Assessment a = fleet.assess(e, change, AT);
    assertThat(fleet.outcome(a))
        .containsEntry("unknown-target", "AT_RISK [WILDCARD_UNSUPPORTED]")
        .containsEntry("dials-sip", "BREAKS [WILDCARD_UNSUPPORTED]");
    assertThat(fleet.result(a, "unknown-target").findings().get(0).evidence())
        .containsEntry("dependsOn", "which SRV target the device dials");
  }

  @Test
  void aPinDeviceAtASiteThatNoLongerOffersPinIsAtRiskWhereThePinDownloadDecides() {
    TestPki pki = new TestPki();
    // An enterprise root (named from its AD domain): no firmware store can hold it, even one the
    // catalog lists only in part.
    Issued otherRoot = pki.root("CN=Other Root,DC=example,DC=net").build();
    Issued otherLeaf = pki.leaf("CN=" + POOL, otherRoot).sans(POOL).build();
    Environment e =
        env(Set.of(), List.of(), List.of(new Site("HQ", true), new Site("Branch", false)));
    Fleet fleet =
        new Fleet()
            .add(
                "branch-pin",
                3,
                profile("CX600", "4.0.7577.4494")
                    .signedInBy(ProvisioningMethod.PIN_AUTH)
                    .site("Branch")
                    .holds(Provenance.PROVISIONING_SERVICE, root, sub)
                    .get())
            .add(
                "hq-pin",
                3,
                profile("CX600", "4.0.7577.4494")
                    .signedInBy(ProvisioningMethod.PIN_AUTH)
                    .holds(Provenance.PROVISIONING_SERVICE, root, sub)
                    .get());
    List<Change> change =
        List.of(
            new Change.ReplaceCertificate(POOL, Usage.DEFAULT, certs(otherLeaf)),
            new Change.ReplaceCertificate(
                POOL, Usage.WEB_SERVICES_INTERNAL, certs(otherLeaf, otherRoot)));
    Assessment a = fleet.assess(e, change, AT);
    assertThat(fleet.outcome(a))
        .containsEntry("hq-pin", "OK []")
        .containsEntry("branch-pin", "AT_RISK [UNTRUSTED_ROOT, PROVISIONING_PATH_UNCERTAIN]");
    assertThat(fleet.result(a, "branch-pin").findings().get(0).evidence())
        .containsEntry("site", "Branch")
        .containsEntry("paths", "PIN_AUTH gives OK");
    List<Change> published = new java.util.ArrayList<>(change);
    published.add(new Change.PublishAdCa(otherRoot.cert()));
    Assessment b = fleet.assess(e, published, AT);
    assertThat(fleet.outcome(b))
        .containsEntry("branch-pin", "AT_RISK [UNTRUSTED_ROOT, PROVISIONING_PATH_UNCERTAIN]");
    assertThat(fleet.result(b, "branch-pin").findings().get(0))
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo(Rule.PROVISIONING_PATH_UNCERTAIN);
              assertThat(f.message())
                  .contains("no longer offers PIN authentication")
                  .contains("USB_TETHER gives OK");
            });
  }

  @Test
  void unknownModelUnknownBuildAndUnknownPoolAreUnknownNotGuessed() {
    Fleet fleet =
        new Fleet()
            .add("acme", 2, profile("Acme Phone 9000", "1.0").get())
            .add("uncatalogued-lpe", 3, lpeUsb("4.0.7577.4300"))
            .add("below-certified-vvx", 1, profile("VVX 500", "5.3.0").get())
            .add(
                "elsewhere",
                1,
                profile("CX600", "4.0.7577.4494")
                    .signedInBy(ProvisioningMethod.USB_TETHER)
                    .pool("other.example.net")
                    .get())
            .add("nothing-known", 1, profile("T48S", "66.9.0.45").get());
    Assessment a = fleet.assess(env(), List.of(), AT);
    assertThat(fleet.outcome(a))
        .containsEntry("acme", "UNKNOWN [MODEL_NOT_IN_CATALOG]")
        .containsEntry("uncatalogued-lpe", "UNKNOWN [FIRMWARE_NOT_IN_CATALOG]")
        .containsEntry("below-certified-vvx", "UNKNOWN [FIRMWARE_NOT_IN_CATALOG]")
        .containsEntry("elsewhere", "UNKNOWN [POOL_NOT_IN_ENVIRONMENT]")
        .containsEntry(
            "nothing-known", "AT_RISK [UNTRUSTED_ROOT, BUILT_IN_ROOTS_UNKNOWN, NEVER_PROVISIONED]");
    assertThat(fleet.result(a, "uncatalogued-lpe").findings().get(0).evidence())
        .containsEntry("nearestCataloguedBuild", "4.0.7577.4100");
    assertThat(a.summary().verdicts()).containsEntry(Verdict.UNKNOWN, 7);
  }

  @Test
  void aNeverProvisionedDeviceWithNothingKnownOfItsTrustStoreIsUnknown() {
    TestPki pki = new TestPki();
    Issued unpublished = pki.root("CN=Unpublished Root,O=Example,C=US").build();
    Issued leafOfIt = pki.leaf("CN=" + POOL, unpublished).sans(POOL).build();
    Environment e =
        env(Set.of(), List.of(), List.of(new Site("HQ", true), new Site("Remote", false)));
    Fleet fleet =
        new Fleet()
            .add("yealink-remote", 2, profile("T48S", "66.9.0.45").site("Remote").get())
            .add("yealink-hq", 2, profile("T48S", "66.9.0.45").get());
    Assessment a =
        fleet.assess(
            e,
            List.of(
                new Change.ReplaceCertificate(POOL, Usage.DEFAULT, certs(leafOfIt)),
                new Change.ReplaceCertificate(
                    POOL, Usage.WEB_SERVICES_INTERNAL, certs(leafOfIt, unpublished))),
            AT);
    assertThat(fleet.outcome(a))
        .containsEntry("yealink-remote", "UNKNOWN [NEVER_PROVISIONED]")
        .containsEntry(
            "yealink-hq",
            "AT_RISK [UNTRUSTED_ROOT, BUILT_IN_ROOTS_UNKNOWN, PROVISIONING_PATH_UNCERTAIN]");
  }

  @Test
  void aChangeNamingAnUnknownPoolIsRejectedWithItsField() {
    AssessmentOutcome o =
        Fleet.ENGINE.assess(
            new AssessmentRequest(
                Fleet.CATALOG,
                env(),
                new Fleet().add("lpe", 1, lpeUsb("4.0.7577.4494")).groups(),
                List.of(
                    new Change.ResolveHosts(Set.of("x")),
                    new Change.SetTlsVersions("nope.example.net", Set.of())),
                AT));
    assertThat(o)
        .isEqualTo(
            new AssessmentOutcome.Rejected(
                new ChangeResult.Rejected(1, "pool", "unknown pool 'nope.example.net'")));
  }

  @Test
  void equalProfilesShareOneEvaluationAndOneStableHash() {
    DeviceProfile a =
        new DeviceProfile(
            " CX600 ",
            "4.0.7577.4494",
            List.of(
                ProvisioningMethod.PIN_AUTH,
                ProvisioningMethod.USB_TETHER,
                ProvisioningMethod.PIN_AUTH),
            List.of(
                new HeldCertificate(sub.cert(), Provenance.PROVISIONING_SERVICE),
                new HeldCertificate(root.cert(), Provenance.PROVISIONING_SERVICE)),
            Optional.of("POOL.example.net."),
            Optional.of("HQ"),
            Optional.empty());
    DeviceProfile b =
        new DeviceProfile(
            "CX600",
            "4.0.7577.4494",
            List.of(ProvisioningMethod.USB_TETHER, ProvisioningMethod.PIN_AUTH),
            List.of(
                new HeldCertificate(root.cert(), Provenance.PROVISIONING_SERVICE),
                new HeldCertificate(sub.cert(), Provenance.PROVISIONING_SERVICE)),
            Optional.of("pool.example.net"),
            Optional.of("HQ"),
            Optional.of(" "));
    assertThat(a).isEqualTo(b);
    assertThat(a.hash()).isEqualTo(b.hash()).hasSize(64);
    assertThat(a.latestMethod()).contains(ProvisioningMethod.PIN_AUTH);
    assertThat(a.hash()).isNotEqualTo(a.onBuild("4.0.7577.4420").hash());
    List<DeviceGroup> groups =
        DeviceGroup.group(
            List.of(
                new Device("d1", a),
                new Device("d2", b),
                new Device("d3", lpeUsb("4.0.7577.4494"))));
    assertThat(groups).hasSize(2);
    assertThat(groups.get(0).deviceIds()).containsExactly("d1", "d2");
  }

  @Test
  void comparisonRanksTheInternalChainAboveThePublicOneForOldFirmware() {
    TestPki pki = new TestPki();
    // A public root the catalog knows 4.0.7577.4414 lacks (seed 001): a root the catalog merely
    // does not list is AT_RISK on LPE, whose lists are partial reconstructions.
    Issued publicRoot =
        pki.root("CN=DigiCert Global Root CA,OU=www.digicert.com,O=DigiCert Inc,C=US").build();
    Issued publicCa =
        pki.ca("CN=DigiCert SHA2 Secure Server CA,O=DigiCert Inc,C=US", publicRoot).build();
    Issued publicLeaf = pki.leaf("CN=" + POOL, publicCa).sans(POOL).build();
    Issued internalLeaf = pki.leaf("CN=" + POOL, sub).sans(POOL).build();
    Fleet fleet =
        new Fleet()
            .add("lpe", 20, lpeUsb("4.0.7577.4414"))
            .add("windows", 5, profile("Lync 2013", "15.0.1").get());
    Comparison c =
        Fleet.ENGINE.compare(
            Fleet.CATALOG,
            env(),
            fleet.groups(),
            List.of(
                new Candidate(
                    "public",
                    List.of(
                        new Change.ReplaceCertificate(
                            POOL, Usage.DEFAULT, certs(publicLeaf, publicCa)))),
                new Candidate(
                    "internal",
                    List.of(
                        new Change.ReplaceCertificate(
                            POOL, Usage.DEFAULT, certs(internalLeaf, sub))))),
            AT);
    List<Comparison.RankedCandidate> ranked = ((Comparison.Ranked) c).ranked();
    assertThat(ranked)
        .extracting(Comparison.RankedCandidate::name)
        .containsExactly("internal", "public");
    assertThat(ranked).extracting(Comparison.RankedCandidate::rank).containsExactly(1, 2);
    assertThat(ranked.get(1).assessment().summary().verdicts().get(Verdict.BREAKS)).isEqualTo(20);
  }
}
