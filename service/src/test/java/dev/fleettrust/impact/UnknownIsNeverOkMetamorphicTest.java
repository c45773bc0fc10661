package dev.fleettrust.impact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.trust.BuildNumber;
import dev.fleettrust.trust.BuiltInRoot;
import dev.fleettrust.trust.CapabilityOverrides;
import dev.fleettrust.trust.Catalog;
import dev.fleettrust.trust.DeviceModel;
import dev.fleettrust.trust.DeviceProfile;
import dev.fleettrust.trust.FirmwareFamily;
import dev.fleettrust.trust.HeldCertificate;
import dev.fleettrust.trust.Provenance;
import dev.fleettrust.trust.ProvisioningMethod;
import dev.fleettrust.trust.RootStore;
import dev.fleettrust.trust.TestPki;
import dev.fleettrust.trust.TestPki.Issued;
import dev.fleettrust.trust.TlsVersion;
import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.TrustAnchor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * contract.md, "Unknown is never OK", as a property over generated catalogs, fleets and
 * environments (a seeded generator: every case is reproducible from its number). Removing one piece
 * of knowledge (a capability, a held anchor, a provisioning event, the catalog's model entry, a
 * {@code builtInRoots} list) never turns BREAKS, DEGRADED, AT_RISK or UNKNOWN into OK; adding a
 * root to a device's firmware never turns OK into BREAKS. {@code -Dmetamorphic.cases=N} runs more.
 */
class UnknownIsNeverOkMetamorphicTest {
  static final String POOL = "pool.example.com";
  static final String EWS = "mail.example.com";
  static final String MODEL = "Generated Phone";
  static final Instant AT = Instant.parse("2024-06-01T00:00:00Z");
  static final int CASES = Integer.getInteger("metamorphic.cases", 2000);
  static final ImpactEngine ENGINE = new ImpactEngine();

  static List<Issued> roots;
  static List<Issued> cas;
  static List<List<Certificate>> poolChains;
  static List<List<Certificate>> ewsChains;

  @BeforeAll
  static void universe() {
    TestPki pki = new TestPki();
    Issued rootA = pki.root("CN=Root A,O=Gen").build();
    Issued rootB = pki.root("CN=Root B,O=Gen").signedWith("SHA1withRSA").build();
    Issued rootE = pki.root("CN=Root E,O=Gen").ec().build();
    Issued subA =
        pki.ca("CN=Sub A,O=Gen", rootA)
            .aia("http://aia.example.com/rootA.crt")
            .cdp("http://crl.example.com/rootA.crl")
            .build();
    Issued subE = pki.ca("CN=Sub E,O=Gen", rootE).build();
    roots = List.of(rootA, rootB, rootE);
    cas = List.of(rootA, rootB, rootE, subA, subE);
    Issued exact = pki.leaf("CN=" + POOL, subA).sans(POOL, "sip.example.com").build();
    Issued wildcard = pki.leaf("CN=Wildcard", subA).sans("*.example.com").build();
    Issued big = pki.leaf("CN=" + POOL, subA).sans(POOL, "sip.example.com").bits(4096).build();
    Issued ecLeaf = pki.leaf("CN=" + POOL, subE).sans(POOL, "sip.example.com").build();
    Issued sha1 =
        pki.leaf("CN=" + POOL, rootB)
            .signedWith("SHA1withRSA")
            .sans(POOL, "sip.example.com")
            .build();
    Issued ecKeyLeaf = pki.leaf("CN=" + POOL, subA).sans(POOL, "sip.example.com").ec().build();
    poolChains =
        List.of(
            TestPki.chain(exact, subA),
            TestPki.chain(exact),
            TestPki.chain(wildcard, subA),
            TestPki.chain(big, subA, rootA),
            TestPki.chain(ecLeaf, subE),
            TestPki.chain(sha1),
            TestPki.chain(ecKeyLeaf, subA));
    Issued mailA = pki.leaf("CN=" + EWS, subA).sans(EWS).build();
    Issued mailB = pki.leaf("CN=" + EWS, rootB).sans(EWS).build();
    ewsChains = List.of(TestPki.chain(mailA, subA), TestPki.chain(mailB));
  }

  /** One generated world: catalog facts, environment, fleet. */
  record Case(
      Map<String, Object> capabilities,
      Optional<List<Issued>> builtInRoots,
      Environment environment,
      List<DeviceProfile> profiles) {

    Catalog catalog() {
      return catalog(capabilities, builtInRoots, true);
    }

    static Catalog catalog(
        Map<String, Object> capabilities, Optional<List<Issued>> roots, boolean withModel) {
      CapabilityOverrides caps =
          ((CapabilityOverrides.Parsed.Ok) CapabilityOverrides.fromMap(capabilities)).overrides();
      RootStore store =
          roots
              .map(
                  list ->
                      RootStore.known(
                          list.stream()
                              .map(r -> BuiltInRoot.of(new TrustAnchor.OfCertificate(r.cert())))
                              .toList()))
              .orElse(RootStore.UNKNOWN);
      FirmwareFamily family =
          new FirmwareFamily(
              "GEN",
              "Generated",
              "Gen",
              List.of(),
              caps,
              store,
              Optional.of(BuildNumber.parse("1.0")),
              Map.of(),
              List.of());
      List<DeviceModel> models =
          withModel ? List.of(new DeviceModel(MODEL, "Gen", "GEN", "generated")) : List.of();
      return Catalog.of("gen-1", models, List.of(family));
    }
  }

  static <T> T pick(Random r, List<T> from) {
    return from.get(r.nextInt(from.size()));
  }

  static <T> List<T> subset(Random r, List<T> from) {
    List<T> out = new ArrayList<>();
    for (T t : from) {
      if (r.nextBoolean()) {
        out.add(t);
      }
    }
    return out;
  }

  static Case generate(long seed) {
    Random r = new Random(seed);
    // Mostly what a working phone states, with one restriction now and then, so that many
    // devices are OK and a removed fact has something to turn.
    Map<String, Object> caps = new LinkedHashMap<>();
    caps.put("wildcardNames", r.nextInt(4) != 0);
    List<String> algorithms =
        new ArrayList<>(
            List.of("sha1WithRSAEncryption", "sha256WithRSAEncryption", "ecdsa-with-SHA256"));
    algorithms.removeIf(a -> r.nextInt(6) == 0);
    caps.put("signatureAlgorithms", algorithms);
    caps.put("usbTetherSkipsIntermediates", r.nextInt(4) == 0);
    caps.put("checksRevocationReachability", r.nextInt(4) == 0);
    int lo = r.nextInt(4) == 0 ? r.nextInt(4) : 0;
    int hi = r.nextInt(4) == 0 ? lo + r.nextInt(4 - lo) : Math.max(lo, 2);
    caps.put("minTlsVersion", TlsVersion.values()[lo].wireName());
    caps.put("maxTlsVersion", TlsVersion.values()[hi].wireName());
    caps.put("ewsTrustsOnlyPoolIssuer", r.nextInt(4) == 0);
    caps.put("requiresServerAuthEku", r.nextBoolean());
    List<String> keyTypes = new ArrayList<>(List.of("RSA", "EC"));
    keyTypes.removeIf(k -> r.nextInt(k.equals("RSA") ? 8 : 2) == 0);
    caps.put("keyTypes", keyTypes);
    caps.put("minRsaKeyBits", r.nextInt(6) == 0 ? 4096 : 1024);
    caps.put("maxRsaKeyBits", r.nextInt(4) == 0 ? 2048 : 4096);
    if ((Integer) caps.get("minRsaKeyBits") > (Integer) caps.get("maxRsaKeyBits")) {
      caps.put("minRsaKeyBits", 2048);
    }
    caps.put("maxChainDepth", r.nextInt(6) == 0 ? 2 : 6);
    caps.put("fetchesIntermediatesFromAia", r.nextInt(4) == 0);
    List<String> methods = new ArrayList<>(List.of("PIN_AUTH", "USB_TETHER", "AD_CREDENTIALS"));
    methods.removeIf(m -> r.nextInt(4) == 0);
    caps.put("provisioningMethods", methods);
    caps.keySet().removeIf(k -> r.nextInt(8) == 0 && !k.equals("provisioningMethods"));
    Optional<List<Issued>> builtIns =
        switch (r.nextInt(3)) {
          case 0 -> Optional.empty();
          case 1 -> Optional.of(List.of());
          default -> Optional.of(subset(r, roots));
        };

    Map<Usage, List<Certificate>> chains = new EnumMap<>(Usage.class);
    chains.put(Usage.DEFAULT, pick(r, poolChains));
    if (r.nextBoolean()) {
      chains.put(Usage.WEB_SERVICES_INTERNAL, pick(r, poolChains));
    }
    List<TrustedCaCert> trusted = new ArrayList<>();
    for (Issued ca : subset(r, cas)) {
      trusted.add(
          new TrustedCaCert(
              ca.cert().facts().selfSigned() ? CaStore.TRUSTED_ROOT_CA : CaStore.INTERMEDIATE_CA,
              ca.cert()));
    }
    Set<TlsVersion> tls = EnumSet.noneOf(TlsVersion.class);
    if (r.nextInt(3) == 0) {
      for (TlsVersion v : TlsVersion.values()) {
        if (r.nextBoolean()) {
          tls.add(v);
        }
      }
    }
    Pool pool =
        new Pool(
            POOL,
            r.nextBoolean() ? List.of() : List.of("sip.example.com"),
            chains,
            trusted,
            r.nextBoolean(),
            tls);
    List<ExchangeHost> exchange =
        r.nextBoolean() ? List.of() : List.of(new ExchangeHost(EWS, pick(r, ewsChains)));
    Environment env =
        new Environment(
            List.of(pool),
            exchange,
            subset(r, cas).stream().map(Issued::cert).toList(),
            List.of(new Site("HQ", r.nextBoolean()), new Site("Branch", r.nextBoolean())),
            r.nextInt(4) != 0 ? Set.of() : Set.of("aia.example.com"));

    List<DeviceProfile> profiles = new ArrayList<>();
    List<ProvisioningMethod> all = List.of(ProvisioningMethod.values());
    for (int i = 0; i < 3; i++) {
      List<ProvisioningMethod> used = new ArrayList<>();
      int n = r.nextInt(3);
      for (int k = 0; k < n; k++) {
        used.add(pick(r, all));
      }
      List<HeldCertificate> held = new ArrayList<>();
      for (Issued ca : subset(r, cas)) {
        Provenance p =
            r.nextInt(4) == 0 || used.isEmpty() ? Provenance.REPORTED : pick(r, used).provenance();
        held.add(new HeldCertificate(ca.cert(), p));
      }
      profiles.add(
          new DeviceProfile(
              MODEL,
              "1." + i,
              used,
              held,
              Optional.empty(),
              Optional.of(r.nextBoolean() ? "HQ" : "Branch"),
              Optional.empty()));
    }
    return new Case(caps, builtIns, env, profiles);
  }

  static List<Verdict> verdicts(Catalog catalog, Environment env, List<DeviceProfile> profiles) {
    List<DeviceGroup> groups = new ArrayList<>();
    for (int i = 0; i < profiles.size(); i++) {
      groups.add(
          new DeviceGroup(profiles.get(i), List.of(String.format("00:04:f2:00:00:%02x", i))));
    }
    AssessmentOutcome o =
        ENGINE.assess(new AssessmentRequest(catalog, env, groups, List.of(), AT, false));
    Assessment a = ((AssessmentOutcome.Assessed) o).assessment();
    List<Verdict> out = new ArrayList<>();
    for (int i = 0; i < profiles.size(); i++) {
      out.add(a.forDevice(String.format("00:04:f2:00:00:%02x", i)).orElseThrow().verdict());
    }
    return out;
  }

  /** A piece of knowledge removed from a case, or a root added to its firmware. */
  record Variant(String name, Catalog catalog, List<DeviceProfile> profiles) {}

  static List<Variant> lessKnowledge(Case c) {
    List<Variant> out = new ArrayList<>();
    for (String cap : c.capabilities().keySet()) {
      Map<String, Object> fewer = new LinkedHashMap<>(c.capabilities());
      fewer.remove(cap);
      out.add(
          new Variant(
              "without capability " + cap,
              Case.catalog(fewer, c.builtInRoots(), true),
              c.profiles()));
    }
    if (c.builtInRoots().isPresent()) {
      out.add(
          new Variant(
              "builtInRoots unknown",
              Case.catalog(c.capabilities(), Optional.empty(), true),
              c.profiles()));
    }
    out.add(
        new Variant(
            "model not in catalog",
            Case.catalog(c.capabilities(), c.builtInRoots(), false),
            c.profiles()));
    for (int i = 0; i < c.profiles().size(); i++) {
      DeviceProfile p = c.profiles().get(i);
      for (int h = 0; h < p.held().size(); h++) {
        if (p.held().get(h).provenance() == Provenance.REPORTED) {
          // A reported anchor taken out changes the report (the device says it lacks it); it does
          // not remove knowledge (contract.md, "Trust-store reports").
          continue;
        }
        List<HeldCertificate> held = new ArrayList<>(p.held());
        HeldCertificate gone = held.remove(h);
        out.add(
            replace(
                c,
                i,
                "device "
                    + i
                    + " without held "
                    + gone.certificate().facts().subject().rfc4514()
                    + " ("
                    + gone.provenance()
                    + ")",
                q ->
                    new DeviceProfile(
                        q.model(),
                        q.build(),
                        q.methods(),
                        held,
                        q.pool(),
                        q.site(),
                        q.dialedFqdn())));
      }
      for (int m = 0; m < p.methods().size(); m++) {
        if (m == p.methods().size() - 1
            && (m > 0 || p.methods().get(m) == ProvisioningMethod.PIN_AUTH)) {
          // The newest PIN_AUTH event stays (case 503): the PIN course itself can fail (the web
          // service's TLS, an inferred chain), while contract.md judges a device never seen
          // provisioning on what it holds alone ("if those suffice: OK").
          // Without the newest of several events the device repeats an older method: another
          // course (contract.md: it re-provisions by the most recent method), not less knowledge.
          continue;
        }
        int index = m;
        ProvisioningMethod gone = p.methods().get(m);
        out.add(
            replace(
                c,
                i,
                "device " + i + " without its " + gone + " provisioning event",
                q -> {
                  List<ProvisioningMethod> methods = new ArrayList<>(q.methods());
                  methods.remove(index);
                  boolean stillUsed =
                      methods.stream().anyMatch(x -> x.provenance() == gone.provenance());
                  List<HeldCertificate> held =
                      q.held().stream()
                          .filter(x -> stillUsed || x.provenance() != gone.provenance())
                          .toList();
                  return new DeviceProfile(
                      q.model(), q.build(), methods, held, q.pool(), q.site(), q.dialedFqdn());
                }));
      }
    }
    return out;
  }

  static Variant replace(Case c, int index, String name, Function<DeviceProfile, DeviceProfile> f) {
    List<DeviceProfile> profiles = new ArrayList<>(c.profiles());
    profiles.set(index, f.apply(profiles.get(index)));
    return new Variant(name, c.catalog(), profiles);
  }

  /** A counterexample the property found, kept as a regression test (case 736). */
  @Test
  void twoUnknownCapabilitiesThatDecideOnlyTogetherStillGiveAtRisk() {
    Case c = generate(736);
    Map<String, Object> fewer = new LinkedHashMap<>(c.capabilities());
    fewer.remove("fetchesIntermediatesFromAia");
    assertThat(fewer).doesNotContainKey("usbTetherSkipsIntermediates");
    assertThat(
            verdicts(Case.catalog(fewer, c.builtInRoots(), true), c.environment(), c.profiles())
                .get(1))
        .isEqualTo(Verdict.AT_RISK);
  }

  /** A counterexample the property found, kept as a regression test (case 278). */
  @Test
  void aPinDeviceAtASiteWithoutPinWhoseHoldingsSufficeIsOkAsItWouldBeUnprovisioned() {
    Case c = generate(278);
    DeviceProfile pinAtBranch = c.profiles().get(1);
    assertThat(pinAtBranch.latestMethod()).contains(ProvisioningMethod.PIN_AUTH);
    assertThat(c.environment().site("Branch").orElseThrow().pinAuthentication()).isFalse();
    assertThat(verdicts(c.catalog(), c.environment(), c.profiles()).get(1)).isEqualTo(Verdict.OK);
  }

  @Test
  void removingKnowledgeNeverTurnsAnyOtherVerdictIntoOkAndAnAddedFirmwareRootNeverBreaks() {
    List<String> counterexamples = new ArrayList<>();
    int comparisons = 0;
    int ok = 0;
    int judged = 0;
    for (long seed = 0; seed < CASES && counterexamples.size() < 5; seed++) {
      Case c = generate(seed);
      List<Verdict> base = verdicts(c.catalog(), c.environment(), c.profiles());
      judged += base.size();
      ok += (int) base.stream().filter(v -> v == Verdict.OK).count();
      for (Variant v : lessKnowledge(c)) {
        List<Verdict> after = verdicts(v.catalog(), c.environment(), v.profiles());
        for (int i = 0; i < base.size(); i++) {
          comparisons++;
          if (base.get(i) != Verdict.OK && after.get(i) == Verdict.OK) {
            counterexamples.add(
                "case " + seed + ", device " + i + ", " + v.name() + ": " + base.get(i) + " -> OK");
          }
        }
      }
      if (c.builtInRoots().isPresent()) {
        for (Issued root : roots) {
          if (c.builtInRoots().get().contains(root)) {
            continue;
          }
          List<Issued> more = new ArrayList<>(c.builtInRoots().get());
          more.add(root);
          List<Verdict> after =
              verdicts(
                  Case.catalog(c.capabilities(), Optional.of(more), true),
                  c.environment(),
                  c.profiles());
          for (int i = 0; i < base.size(); i++) {
            comparisons++;
            if (base.get(i) == Verdict.OK && after.get(i) == Verdict.BREAKS) {
              counterexamples.add(
                  "case "
                      + seed
                      + ", device "
                      + i
                      + ", firmware root "
                      + root.cert().facts().subject().rfc4514()
                      + " added: OK -> BREAKS");
            }
          }
        }
      }
    }
    assertThat(counterexamples).as("after %d comparisons", comparisons).isEmpty();
    assertThat(comparisons).isGreaterThan(CASES * 10);
    assertThat(ok)
        .as("OK verdicts among %d, so that the property has something to turn", judged)
        .isGreaterThan(judged / 20);
  }
}
