package dev.fleettrust.impact;

import dev.fleettrust.trust.BuildNumber;
import dev.fleettrust.trust.DeviceProfile;
import dev.fleettrust.trust.FirmwareBuild;
import dev.fleettrust.trust.FirmwareFamily;
import dev.fleettrust.trust.ProvisioningMethod;
import dev.fleettrust.trust.ResolvedFirmware;
import dev.fleettrust.trust.Rule;
import dev.fleettrust.trust.TlsVersion;
import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.SignatureAlgorithm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;

/**
 * Turns the findings of a run into actions (issue 4, item 5; trust-rules.md, "remediation the
 * engine should propose") and measures each one by re-running the simulation with the action
 * applied: an environment edit as a change set, a reissued certificate as a {@link Reissue}, a
 * firmware upgrade or a PIN sign-in as a changed device profile. Actions that fix no device are
 * dropped; the rest are ordered by devices fixed, then devices broken, then cost.
 */
final class RemediationPlanner {
  private static final Set<Rule> FIRMWARE_RULES =
      EnumSet.of(
          Rule.UNTRUSTED_ROOT,
          Rule.ANCHOR_EXPIRED,
          Rule.MISSING_INTERMEDIATE,
          Rule.SIGNATURE_ALGORITHM_UNSUPPORTED,
          Rule.WILDCARD_UNSUPPORTED,
          Rule.TLS_VERSION_UNSUPPORTED,
          Rule.KEY_UNSUPPORTED,
          Rule.PROVISIONED_CHAIN_MISMATCH,
          Rule.EWS_ISSUER_NOT_TRUSTED);

  private final SignInSimulator simulator;

  RemediationPlanner(SignInSimulator simulator) {
    this.simulator = simulator;
  }

  /**
   * A candidate action and how to apply it in a what-if run. {@code cost} breaks ties between
   * actions that fix as many devices: one DNS record before a configuration change before a
   * reissued certificate before touching every device.
   */
  private record WhatIf(
      int cost,
      ActionType type,
      String action,
      Set<Rule> addresses,
      List<Change> changes,
      Overlay overlay,
      IntPredicate applies,
      UnaryOperator<DeviceProfile> deviceChange,
      Map<String, String> details,
      Optional<Instant> evaluateAt) {
    WhatIf(
        int cost,
        ActionType type,
        String action,
        Set<Rule> addresses,
        List<Change> changes,
        Overlay overlay,
        IntPredicate applies,
        UnaryOperator<DeviceProfile> deviceChange,
        Map<String, String> details) {
      this(
          cost,
          type,
          action,
          addresses,
          changes,
          overlay,
          applies,
          deviceChange,
          details,
          Optional.empty());
    }
  }

  private record Measured(WhatIf whatIf, int fixed, int improved, int broken) {}

  List<RemediationAction> plan(Run base, List<Certificate> fleetHeld, ValidationMemo memo) {
    Findings f = collect(base);
    List<WhatIf> candidates = new ArrayList<>();
    resolveHosts(f, candidates);
    trustedCaCerts(base, f, candidates);
    keepTls(base, f, candidates);
    serveFullChain(base, f, candidates);
    publishInAd(base, f, candidates);
    addSans(base, f, candidates);
    reissueEws(base, f, candidates);
    reissueSignatures(base, f, candidates);
    reissueKeys(f, candidates);
    renew(base, f, candidates);
    signInWithPin(base, f, candidates);

    List<Measured> measured = new ArrayList<>();
    for (WhatIf w : candidates) {
      measure(base, w, fleetHeld, memo).ifPresent(measured::add);
    }
    measured.addAll(upgrades(base, f, fleetHeld, memo));
    measured.removeIf(m -> m.fixed() == 0 && m.improved() == 0);
    measured.sort(
        Comparator.comparingInt(Measured::fixed)
            .reversed()
            .thenComparing(Comparator.comparingInt(Measured::improved).reversed())
            .thenComparingInt(Measured::broken)
            .thenComparingInt(m -> m.whatIf().cost())
            .thenComparing(m -> m.whatIf().action()));
    List<RemediationAction> out = new ArrayList<>();
    List<WhatIf> applied = new ArrayList<>();
    for (Measured m : measured) {
      WhatIf w = m.whatIf();
      applied.add(w);
      out.add(
          new RemediationAction(
              w.type(),
              w.action(),
              m.fixed(),
              m.improved(),
              m.broken(),
              List.copyOf(new TreeSet<>(w.addresses())),
              w.changes(),
              w.details(),
              stillNotOk(base, applied, fleetHeld, memo)));
    }
    out.addAll(catalogGaps(base));
    return out;
  }

  /**
   * The devices not OK with every action so far applied together: their changes, reissues and
   * device actions at once, at the latest rescheduled date (the cumulative plan).
   */
  private int stillNotOk(
      Run base, List<WhatIf> applied, List<Certificate> fleetHeld, ValidationMemo memo) {
    World world = base.world();
    List<Change> changes = new ArrayList<>();
    Map<String, Reissue> reissues = new HashMap<>();
    List<String> assumed = new ArrayList<>();
    Instant at = world.at;
    for (WhatIf w : applied) {
      changes.addAll(w.changes());
      w.overlay().reissues().forEach((k, r) -> reissues.merge(k, r, Reissue::and));
      assumed.addAll(w.overlay().assumedAdRoots());
      if (w.evaluateAt().isPresent()) {
        at = w.evaluateAt().get();
      }
    }
    ChangeResult result = world.env.apply(changes);
    if (!(result instanceof ChangeResult.Applied a)) {
      return -1;
    }
    World all =
        new World(
            world.catalog, a.environment(), at, new Overlay(reissues, assumed), fleetHeld, memo);
    int notOk = 0;
    for (int i = 0; i < base.groups().size(); i++) {
      DeviceProfile p = base.groups().get(i).profile();
      for (WhatIf w : applied) {
        if (w.applies().test(i)) {
          p = w.deviceChange().apply(p);
        }
      }
      if (simulator.evaluate(p, all).verdict() != Verdict.OK) {
        notOk += base.groups().get(i).size();
      }
    }
    return notOk;
  }

  /**
   * Devices UNKNOWN because the catalog or the environment lacks something (contract.md): no
   * simulation can fix them until the fact is recorded, so {@code devicesFixed} is 0 and the
   * details count them.
   */
  private static List<RemediationAction> catalogGaps(Run base) {
    Map<String, Integer> models = new TreeMap<>();
    Map<String, Integer> builds = new TreeMap<>();
    Map<String, Integer> pools = new TreeMap<>();
    for (int i = 0; i < base.groups().size(); i++) {
      int n = base.groups().get(i).size();
      for (Finding f : base.outcomes().get(i).findings()) {
        switch (f.rule()) {
          case MODEL_NOT_IN_CATALOG -> models.merge(f.evidence().get("model"), n, Integer::sum);
          case FIRMWARE_NOT_IN_CATALOG ->
              builds.merge(
                  f.evidence().get("family") + " " + f.evidence().get("build"), n, Integer::sum);
          case POOL_NOT_IN_ENVIRONMENT ->
              pools.merge(f.evidence().getOrDefault("pool", "(no pool)"), n, Integer::sum);
          default -> {}
        }
      }
    }
    List<RemediationAction> out = new ArrayList<>();
    models.forEach(
        (model, n) ->
            out.add(
                gap(
                    ActionType.ADD_TO_CATALOG,
                    "Add the model " + model + " to the catalog (PUT /catalog/models/{model})",
                    Rule.MODEL_NOT_IN_CATALOG,
                    Map.of("model", model, "devices", Integer.toString(n)),
                    n)));
    builds.forEach(
        (build, n) -> {
          String[] parts = build.split(" ", 2);
          out.add(
              gap(
                  ActionType.ADD_TO_CATALOG,
                  "Add build "
                      + parts[1]
                      + " of "
                      + parts[0]
                      + " to the catalog (PUT /catalog/families/{family}/builds/{build})",
                  Rule.FIRMWARE_NOT_IN_CATALOG,
                  Map.of("family", parts[0], "build", parts[1], "devices", Integer.toString(n)),
                  n));
        });
    pools.forEach(
        (pool, n) ->
            out.add(
                gap(
                    ActionType.ADD_POOL_TO_ENVIRONMENT,
                    "Add the pool " + pool + " and its certificates to the environment document",
                    Rule.POOL_NOT_IN_ENVIRONMENT,
                    Map.of("pool", pool, "devices", Integer.toString(n)),
                    n)));
    return out;
  }

  private static RemediationAction gap(
      ActionType type, String description, Rule rule, Map<String, String> details, int devices) {
    return new RemediationAction(
        type, description, 0, 0, 0, List.of(rule), List.of(), details, devices);
  }

  /** What the failing devices' findings point at, gathered once. */
  private static final class Findings {
    final Set<String> unreachableHosts = new TreeSet<>();
    final Map<String, Set<Rule>> trustedCaPools = new TreeMap<>();
    final Set<String> ewsPools = new TreeSet<>();
    final Map<String, Set<Rule>> adPools = new TreeMap<>();
    final Map<String, Set<Rule>> fullChain = new TreeMap<>();
    final Map<String, Set<String>> sans = new TreeMap<>();
    final Map<String, Set<Rule>> sanRules = new TreeMap<>();
    final Map<String, String> ewsFromPool = new TreeMap<>();
    final Set<String> signatureChains = new TreeSet<>();
    boolean someLackSha256;
    final Map<String, TlsVersion> tls = new TreeMap<>();
    final Set<String> keyChains = new TreeSet<>();
    final Map<String, Set<Rule>> expiredChains = new TreeMap<>();
    final Set<Integer> pinCandidates = new LinkedHashSet<>();
    final Map<String, Set<Rule>> families = new TreeMap<>();
  }

  private static Findings collect(Run base) {
    Findings f = new Findings();
    for (int i = 0; i < base.outcomes().size(); i++) {
      Outcome o = base.outcomes().get(i);
      if (o.verdict() == Verdict.OK || o.verdict() == Verdict.UNKNOWN || o.firmware().isEmpty()) {
        continue;
      }
      ResolvedFirmware fw = o.firmware().get();
      DeviceProfile p = base.groups().get(i).profile();
      for (Finding x : o.findings()) {
        Map<String, String> ev = x.evidence();
        String pool = ev.getOrDefault("pool", "");
        String chain = chainKey(x);
        if (FIRMWARE_RULES.contains(x.rule()) && x.stage() != Stage.POOL
            || x.rule() == Rule.TLS_VERSION_UNSUPPORTED) {
          f.families
              .computeIfAbsent(fw.family().id(), k -> EnumSet.noneOf(Rule.class))
              .add(x.rule());
        }
        switch (x.rule()) {
          case REVOCATION_UNREACHABLE ->
              f.unreachableHosts.addAll(
                  List.of(ev.getOrDefault("unreachableHosts", "").split(" ")));
          case PROVISIONED_CHAIN_MISMATCH -> add(f.trustedCaPools, pool, x.rule());
          case EWS_ISSUER_NOT_TRUSTED -> {
            add(f.trustedCaPools, pool, x.rule());
            f.ewsPools.add(pool);
            f.ewsFromPool.put(ev.getOrDefault("ewsFqdn", ""), pool);
          }
          case UNTRUSTED_ROOT, MISSING_INTERMEDIATE, ANCHOR_EXPIRED -> {
            String method = ev.getOrDefault("provisioning", "");
            if (x.stage() == Stage.EXCHANGE) {
              add(f.trustedCaPools, pool, x.rule());
              f.ewsPools.add(pool);
            } else if (method.equals(ProvisioningMethod.PIN_AUTH.name())) {
              add(f.trustedCaPools, pool, x.rule());
            } else if (method.equals(ProvisioningMethod.USB_TETHER.name())
                || method.equals(ProvisioningMethod.AD_CREDENTIALS.name())) {
              add(f.adPools, pool, x.rule());
            }
            if (x.stage() == Stage.SIGN_IN
                && !method.equals(ProvisioningMethod.PIN_AUTH.name())
                && fw.capabilities().provisioningMethods().contains(ProvisioningMethod.PIN_AUTH)
                && p.site()
                    .flatMap(base.world().env::site)
                    .map(Site::pinAuthentication)
                    .orElse(true)) {
              f.pinCandidates.add(i);
            }
            if (x.rule() == Rule.MISSING_INTERMEDIATE && chain != null) {
              add(f.fullChain, chain, x.rule());
            }
          }
          case WILDCARD_UNSUPPORTED, HOSTNAME_MISMATCH -> {
            if (chain != null && ev.containsKey("host")) {
              f.sans.computeIfAbsent(chain, k -> new TreeSet<>()).add(ev.get("host"));
              add(f.sanRules, chain, x.rule());
            }
          }
          case SIGNATURE_ALGORITHM_UNSUPPORTED -> {
            if (x.stage() == Stage.POOL) {
              for (Usage u : Usage.values()) {
                f.signatureChains.add(Reissue.poolChain(pool, u));
              }
            } else if (chain != null) {
              f.signatureChains.add(chain);
            }
            f.someLackSha256 |=
                !fw.capabilities()
                    .signatureAlgorithms()
                    .contains(SignatureAlgorithm.SHA256_WITH_RSA);
          }
          case TLS_VERSION_UNSUPPORTED ->
              f.tls.merge(
                  pool, fw.capabilities().maxTlsVersion(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
          case KEY_UNSUPPORTED -> {
            if (chain != null) {
              f.keyChains.add(chain);
            }
          }
          case CERTIFICATE_EXPIRED, NOT_YET_VALID -> {
            if (chain != null) {
              add(f.expiredChains, chain, x.rule());
            }
          }
          default -> {}
        }
      }
    }
    f.unreachableHosts.remove("");
    return f;
  }

  private static void add(Map<String, Set<Rule>> m, String key, Rule rule) {
    m.computeIfAbsent(key, k -> EnumSet.noneOf(Rule.class)).add(rule);
  }

  /** The reissue key of the chain a finding is about, if it is about one. */
  private static String chainKey(Finding x) {
    Map<String, String> ev = x.evidence();
    if (x.stage() == Stage.EXCHANGE && ev.containsKey("ewsFqdn")) {
      return Reissue.exchangeChain(ev.get("ewsFqdn"));
    }
    if (ev.containsKey("pool") && ev.containsKey("usage")) {
      return Reissue.poolChain(ev.get("pool"), Usage.valueOf(ev.get("usage")));
    }
    return null;
  }

  private static WhatIf envEdit(
      int cost,
      ActionType type,
      String action,
      Set<Rule> rules,
      List<Change> changes,
      Map<String, String> details) {
    return new WhatIf(
        cost,
        type,
        action,
        rules,
        changes,
        Overlay.NONE,
        i -> false,
        UnaryOperator.identity(),
        details);
  }

  private static WhatIf reissue(
      int cost,
      ActionType type,
      String action,
      Set<Rule> rules,
      Map<String, Reissue> reissues,
      Map<String, String> details) {
    return new WhatIf(
        cost,
        type,
        action,
        rules,
        List.of(),
        Overlay.reissuing(reissues),
        i -> false,
        UnaryOperator.identity(),
        details);
  }

  private static void resolveHosts(Findings f, List<WhatIf> out) {
    if (f.unreachableHosts.isEmpty()) {
      return;
    }
    String hosts = String.join(", ", f.unreachableHosts);
    out.add(
        envEdit(
            1,
            ActionType.RESOLVE_HOSTS,
            "Publish "
                + hosts
                + " in internal DNS (a CNAME to an online CA that holds the CRL and the CA"
                + " certificate), so devices that check AIA/CDP reachability can reach it",
            EnumSet.of(Rule.REVOCATION_UNREACHABLE),
            List.of(new Change.ResolveHosts(f.unreachableHosts)),
            Map.of("hosts", hosts)));
  }

  /**
   * Seed 000's fix: TrustedCACerts with every CA the phones need (the roots and issuing CAs of the
   * DEFAULT and web services chains, what is already there, and the Exchange chain's CAs when
   * Exchange fails), with InferCertChainFromSSL off so the web service hands them out.
   */
  private static void trustedCaCerts(Run base, Findings f, List<WhatIf> out) {
    for (Map.Entry<String, Set<Rule>> e : f.trustedCaPools.entrySet()) {
      Optional<Pool> pool = base.world().env.pool(e.getKey());
      if (pool.isEmpty()) {
        continue;
      }
      World.PoolView pv = base.world().pool(pool.get());
      Map<String, TrustedCaCert> entries = new LinkedHashMap<>();
      pool.get().trustedCaCerts().forEach(t -> entries.put(t.certificate().sha256(), t));
      List<List<Certificate>> chains = new ArrayList<>();
      for (Usage u : List.of(Usage.WEB_SERVICES_INTERNAL, Usage.DEFAULT)) {
        Optional.ofNullable(pv.completed.get(u)).ifPresent(chains::add);
      }
      if (f.ewsPools.contains(e.getKey())) {
        base.world()
            .env
            .exchange()
            .forEach(x -> chains.add(base.world().known.complete(x.chain())));
      }
      for (List<Certificate> chain : chains) {
        for (Certificate c : chain.subList(1, chain.size())) {
          entries.putIfAbsent(
              c.sha256(),
              new TrustedCaCert(
                  c.facts().selfSigned() ? CaStore.TRUSTED_ROOT_CA : CaStore.INTERMEDIATE_CA, c));
        }
      }
      List<TrustedCaCert> list = List.copyOf(entries.values());
      if (!pool.get().inferCertChainFromSsl() && list.equals(pool.get().trustedCaCerts())) {
        continue;
      }
      List<String> roots = new ArrayList<>();
      List<String> intermediates = new ArrayList<>();
      for (TrustedCaCert t : list) {
        (t.store() == CaStore.TRUSTED_ROOT_CA ? roots : intermediates)
            .add(
                t.certificate().facts().subject().rfc4514()
                    + " ["
                    + t.certificate().facts().sha1Thumbprint()
                    + "]");
      }
      Map<String, String> details = new LinkedHashMap<>();
      details.put("pool", e.getKey());
      details.put("trustedRootCA", String.join("; ", roots));
      details.put("intermediateCA", String.join("; ", intermediates));
      details.put("inferCertChainFromSsl", "false");
      out.add(
          envEdit(
              6,
              ActionType.SET_TRUSTED_CA_CERTS,
              "On "
                  + e.getKey()
                  + ": New-CsWebTrustedCACertificate for "
                  + String.join("; ", roots)
                  + " (TrustedRootCA)"
                  + (intermediates.isEmpty()
                      ? ""
                      : " and " + String.join("; ", intermediates) + " (IntermediateCA)")
                  + ", then Set-CsWebServiceConfiguration -TrustedCACerts @{Add=...}"
                  + " -InferCertChainFromSSL $False and let the phones re-provision",
              e.getValue(),
              List.of(new Change.SetTrustedCaCerts(e.getKey(), list, false)),
              details));
    }
  }

  private static void keepTls(Run base, Findings f, List<WhatIf> out) {
    for (Map.Entry<String, TlsVersion> e : f.tls.entrySet()) {
      base.world()
          .env
          .pool(e.getKey())
          .ifPresent(
              pool -> {
                Set<TlsVersion> versions = EnumSet.noneOf(TlsVersion.class);
                versions.addAll(pool.effectiveTlsVersions());
                for (TlsVersion v : TlsVersion.values()) {
                  if (v.compareTo(e.getValue()) <= 0) {
                    versions.add(v);
                  }
                }
                out.add(
                    envEdit(
                        2,
                        ActionType.KEEP_TLS_VERSIONS,
                        "Keep "
                            + e.getValue().wireName()
                            + " enabled on "
                            + e.getKey()
                            + " for the devices that speak no later version",
                        EnumSet.of(Rule.TLS_VERSION_UNSUPPORTED),
                        List.of(new Change.SetTlsVersions(e.getKey(), versions)),
                        Map.of("pool", e.getKey(), "tlsVersion", e.getValue().wireName())));
              });
    }
  }

  /** Seed 002: serve the intermediate, where FleetTrust knows it. */
  private static void serveFullChain(Run base, Findings f, List<WhatIf> out) {
    for (Map.Entry<String, Set<Rule>> e : f.fullChain.entrySet()) {
      String[] parts = e.getKey().split(":");
      if (!parts[0].equals("pool")) {
        continue;
      }
      Optional<Pool> pool = base.world().env.pool(parts[1]);
      Usage usage = Usage.valueOf(parts[2]);
      if (pool.isEmpty() || pool.get().chain(usage).isEmpty()) {
        continue;
      }
      List<Certificate> presented = pool.get().chain(usage).get();
      List<Certificate> full = new ArrayList<>(presented);
      List<String> added = new ArrayList<>();
      for (Certificate c : base.world().pool(pool.get()).completed.get(usage)) {
        if (!c.facts().selfSigned() && !full.contains(c)) {
          full.add(c);
          added.add(c.facts().subject().rfc4514());
        }
      }
      if (added.isEmpty()) {
        continue;
      }
      out.add(
          envEdit(
              3,
              ActionType.SERVE_FULL_CHAIN,
              "Serve the full chain on "
                  + parts[1]
                  + " "
                  + usage
                  + ": send "
                  + String.join("; ", added)
                  + " with the certificate",
              e.getValue(),
              List.of(new Change.ReplaceCertificate(parts[1], usage, full)),
              Map.of(
                  "pool",
                  parts[1],
                  "usage",
                  usage.name(),
                  "certificates",
                  String.join("; ", added))));
    }
  }

  /**
   * Seed 001: publish the chain's CAs in AD for USB-tethered and AD-credential devices. A root the
   * server does not send and no document carries is still named: the administrator exports it from
   * the server's certificate path, and the what-if run assumes it published.
   */
  private static void publishInAd(Run base, Findings f, List<WhatIf> out) {
    for (Map.Entry<String, Set<Rule>> e : f.adPools.entrySet()) {
      Optional<Pool> pool = base.world().env.pool(e.getKey());
      if (pool.isEmpty()) {
        continue;
      }
      List<Certificate> chain = base.world().pool(pool.get()).completed.get(Usage.DEFAULT);
      if (chain == null) {
        continue;
      }
      List<Change> changes = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (Certificate c : chain.subList(1, chain.size())) {
        if (!base.world().env.activeDirectoryCas().contains(c)) {
          changes.add(new Change.PublishAdCa(c));
          names.add(c.facts().subject().rfc4514());
        }
      }
      Certificate top = chain.get(chain.size() - 1);
      List<String> assumed = new ArrayList<>();
      Map<String, String> details = new LinkedHashMap<>();
      details.put("pool", e.getKey());
      if (!top.facts().selfSigned()) {
        assumed.add(top.facts().issuer().canonical());
        names.add(
            top.facts().issuer().rfc4514() + " (export it from the server's certificate path)");
        details.put("exportRoot", top.facts().issuer().rfc4514());
      }
      if (names.isEmpty()) {
        continue;
      }
      details.put("certificates", String.join("; ", names));
      out.add(
          new WhatIf(
              7,
              ActionType.PUBLISH_AD_CA,
              "Publish "
                  + String.join("; ", names)
                  + " in Active Directory (certutil -f -dspublish <file> RootCA) and sign the"
                  + " USB-tethered/AD-credential devices in again",
              e.getValue(),
              changes,
              new Overlay(Map.of(), assumed),
              i -> false,
              UnaryOperator.identity(),
              details));
    }
  }

  private static void addSans(Run base, Findings f, List<WhatIf> out) {
    for (Map.Entry<String, Set<String>> e : f.sans.entrySet()) {
      String names = String.join(", ", e.getValue());
      out.add(
          reissue(
              4,
              ActionType.ADD_SAN,
              "Reissue the "
                  + describe(e.getKey())
                  + " certificate with "
                  + names
                  + " as exact SAN entries",
              f.sanRules.get(e.getKey()),
              Map.of(e.getKey(), Reissue.withNames(e.getValue())),
              Map.of("chain", describe(e.getKey()), "names", names)));
    }
  }

  /** Seed 004's fix: the Exchange certificate from the pool's issuing CA. */
  private static void reissueEws(Run base, Findings f, List<WhatIf> out) {
    for (Map.Entry<String, String> e : f.ewsFromPool.entrySet()) {
      String issuer =
          base.world()
              .env
              .pool(e.getValue())
              .flatMap(p -> base.world().pool(p).defaultIssuer())
              .map(c -> c.facts().subject().rfc4514())
              .orElse("the pool's issuing CA");
      out.add(
          reissue(
              5,
              ActionType.REISSUE_CERTIFICATE,
              "Reissue the Exchange certificate of "
                  + e.getKey()
                  + " from "
                  + issuer
                  + ", the CA that issued the certificate of "
                  + e.getValue(),
              EnumSet.of(Rule.EWS_ISSUER_NOT_TRUSTED),
              Map.of(Reissue.exchangeChain(e.getKey()), Reissue.FROM_POOL_ISSUER),
              Map.of("ewsFqdn", e.getKey(), "issuer", issuer, "reissue", "FROM_POOL_ISSUER")));
    }
  }

  private static void reissueSignatures(Run base, Findings f, List<WhatIf> out) {
    if (f.signatureChains.isEmpty()) {
      return;
    }
    List<SignatureAlgorithm> targets = new ArrayList<>(List.of(SignatureAlgorithm.SHA256_WITH_RSA));
    if (f.someLackSha256) {
      targets.add(SignatureAlgorithm.SHA1_WITH_RSA);
    }
    List<String> chains = f.signatureChains.stream().map(RemediationPlanner::describe).toList();
    for (SignatureAlgorithm alg : targets) {
      Map<String, Reissue> reissues = new HashMap<>();
      f.signatureChains.forEach(k -> reissues.put(k, Reissue.signedWith(alg)));
      out.add(
          reissue(
              8,
              ActionType.REISSUE_CERTIFICATE,
              "Reissue the CA and the "
                  + String.join(", ", chains)
                  + " certificates signed with "
                  + alg.wireName()
                  + (alg == SignatureAlgorithm.SHA1_WITH_RSA
                      ? " (for the devices without SHA-2)"
                      : ""),
              EnumSet.of(Rule.SIGNATURE_ALGORITHM_UNSUPPORTED),
              reissues,
              Map.of(
                  "chains", String.join("; ", chains),
                  "signatureAlgorithm", alg.wireName(),
                  "reissue", "SIGNATURE_ALGORITHM")));
    }
  }

  private static void reissueKeys(Findings f, List<WhatIf> out) {
    for (String k : f.keyChains) {
      out.add(
          reissue(
              9,
              ActionType.REISSUE_CERTIFICATE,
              "Reissue the " + describe(k) + " certificate with an RSA 2048 key",
              EnumSet.of(Rule.KEY_UNSUPPORTED),
              Map.of(k, Reissue.SUPPORTED_KEY),
              Map.of("chain", describe(k), "reissue", "KEY")));
    }
  }

  /**
   * A chain outside its validity at the evaluation time: renew what has expired, or move the change
   * date when what the change brings is not valid yet.
   */
  private static void renew(Run base, Findings f, List<WhatIf> out) {
    Instant earliest = null;
    List<String> notYetValid = new ArrayList<>();
    for (Map.Entry<String, Set<Rule>> e : f.expiredChains.entrySet()) {
      if (!e.getValue().contains(Rule.CERTIFICATE_EXPIRED)) {
        Optional<List<Certificate>> chain = chain(base.world(), e.getKey());
        if (chain.isPresent()) {
          notYetValid.add(describe(e.getKey()));
          for (Certificate c : base.world().known.complete(chain.get())) {
            Instant from = c.facts().notBefore();
            earliest = earliest == null || from.isAfter(earliest) ? from : earliest;
          }
        }
      }
    }
    if (earliest != null && earliest.isAfter(base.world().at)) {
      // The whole assessment moves, not one chain: every chain is judged at the new date, and a
      // certificate that expires before it breaks (issue 10: the count is measured, not assumed).
      out.add(
          new WhatIf(
              10,
              ActionType.RESCHEDULE_CHANGE,
              "Move the change date to "
                  + earliest
                  + ", when the "
                  + String.join(" and ", notYetValid)
                  + " certificates are valid",
              EnumSet.of(Rule.NOT_YET_VALID),
              List.of(),
              Overlay.NONE,
              i -> false,
              UnaryOperator.identity(),
              Map.of("evaluateAt", earliest.toString(), "chain", String.join(", ", notYetValid)),
              Optional.of(earliest)));
    }
    for (Map.Entry<String, Set<Rule>> e : f.expiredChains.entrySet()) {
      boolean expired = e.getValue().contains(Rule.CERTIFICATE_EXPIRED);
      if (!expired) {
        continue;
      }
      out.add(
          reissue(
              10,
              expired ? ActionType.REISSUE_CERTIFICATE : ActionType.RESCHEDULE_CHANGE,
              expired
                  ? "Renew the expired certificates of the " + describe(e.getKey()) + " chain"
                  : "Move the change date to when the "
                      + describe(e.getKey())
                      + " certificates are valid",
              e.getValue(),
              Map.of(e.getKey(), Reissue.RENEWED),
              Map.of("chain", describe(e.getKey()), "reissue", "RENEWED")));
    }
  }

  /** Seed 002's workaround: PIN authentication downloads the intermediate over port 80. */
  private static void signInWithPin(Run base, Findings f, List<WhatIf> out) {
    if (f.pinCandidates.isEmpty()) {
      return;
    }
    Set<Integer> which = Set.copyOf(f.pinCandidates);
    int devices = which.stream().mapToInt(i -> base.groups().get(i).size()).sum();
    out.add(
        new WhatIf(
            11,
            ActionType.REPROVISION_WITH_PIN,
            "Sign the "
                + devices
                + " USB-tethered or never-provisioned devices in once with PIN authentication (DHCP"
                + " option 43/120): they download the chain from the web service over port 80",
            EnumSet.of(Rule.MISSING_INTERMEDIATE, Rule.UNTRUSTED_ROOT, Rule.ANCHOR_EXPIRED),
            List.of(),
            Overlay.NONE,
            which::contains,
            p -> p.signingInBy(ProvisioningMethod.PIN_AUTH),
            Map.of("devices", Integer.toString(devices))));
  }

  /**
   * Seeds 001 and 003: move a family's older devices to a catalogued build. Every newer build is
   * tried; the first one that fixes the most devices is proposed.
   */
  private List<Measured> upgrades(
      Run base, Findings f, List<Certificate> fleetHeld, ValidationMemo memo) {
    List<Measured> out = new ArrayList<>();
    for (Map.Entry<String, Set<Rule>> e : f.families.entrySet()) {
      Optional<FirmwareFamily> family = base.world().catalog.family(e.getKey());
      if (family.isEmpty()) {
        continue;
      }
      Measured best = null;
      for (FirmwareBuild b : family.get().builds()) {
        BuildNumber target = b.build();
        if (target.parts().stream().anyMatch(BuildNumber.Part::wildcard)) {
          continue;
        }
        IntPredicate applies =
            i -> {
              Optional<ResolvedFirmware> fw = base.outcomes().get(i).firmware();
              return fw.isPresent()
                  && fw.get().family().id().equals(e.getKey())
                  && fw.get().build().compareTo(target) < 0;
            };
        boolean catch22 =
            e.getValue().contains(Rule.WILDCARD_UNSUPPORTED)
                || e.getValue().contains(Rule.UNTRUSTED_ROOT);
        WhatIf w =
            new WhatIf(
                12,
                ActionType.UPGRADE_FIRMWARE,
                "Upgrade the "
                    + e.getKey()
                    + " devices below "
                    + target.text()
                    + " to "
                    + target.text()
                    + b.releaseName().map(n -> " (" + n + ")").orElse("")
                    + (catch22
                        ? ", before the change: the update itself needs a working TLS path"
                        : ""),
                e.getValue(),
                List.of(),
                Overlay.NONE,
                applies,
                p -> p.onBuild(target.text()),
                Map.of("family", e.getKey(), "build", target.text()));
        Optional<Measured> m = measure(base, w, fleetHeld, memo);
        if (m.isPresent()
            && m.get().fixed() + m.get().improved() > 0
            && (best == null
                || m.get().fixed() > best.fixed()
                || m.get().fixed() == best.fixed() && m.get().improved() > best.improved()
                || m.get().fixed() == best.fixed()
                    && m.get().improved() == best.improved()
                    && m.get().broken() < best.broken())) {
          best = m.get();
        }
      }
      if (best != null) {
        out.add(best);
      }
    }
    return out;
  }

  /** The chain a chain key names, as the environment holds it. */
  private static Optional<List<Certificate>> chain(World world, String chainKey) {
    String[] parts = chainKey.split(":", 3);
    if (parts[0].equals("pool")) {
      return world.env.poolFor(parts[1]).flatMap(p -> p.chain(Usage.valueOf(parts[2])));
    }
    return world.env.exchange().stream()
        .filter(x -> x.ewsFqdn().equals(parts[1]))
        .map(ExchangeHost::chain)
        .findFirst();
  }

  private Optional<Measured> measure(
      Run base, WhatIf w, List<Certificate> fleetHeld, ValidationMemo memo) {
    World world = base.world();
    if (w.evaluateAt().isPresent()) {
      world =
          new World(world.catalog, world.env, w.evaluateAt().get(), Overlay.NONE, fleetHeld, memo);
    }
    if (!w.changes().isEmpty() || !w.overlay().isEmpty()) {
      ChangeResult applied = world.env.apply(w.changes());
      if (!(applied instanceof ChangeResult.Applied a)) {
        return Optional.empty();
      }
      world = new World(world.catalog, a.environment(), world.at, w.overlay(), fleetHeld, memo);
    }
    boolean everyone = world != base.world();
    IntPredicate applies = w.applies();
    List<Outcome> after =
        Run.evaluate(
            simulator,
            world,
            base.groups(),
            everyone ? i -> true : applies,
            w.deviceChange(),
            everyone ? null : base.outcomes());
    int fixed = 0;
    int improved = 0;
    int broken = 0;
    for (int i = 0; i < after.size(); i++) {
      Verdict before = base.outcomes().get(i).verdict();
      Verdict now = after.get(i).verdict();
      int n = base.groups().get(i).size();
      if (before == Verdict.UNKNOWN || now == Verdict.UNKNOWN || now == before) {
        continue;
      }
      if (now == Verdict.OK) {
        fixed += n;
      } else if (Outcome.badness(now) < Outcome.badness(before)) {
        improved += n;
      } else if (Outcome.badness(now) > Outcome.badness(before)) {
        broken += n;
      }
    }
    return Optional.of(new Measured(w, fixed, improved, broken));
  }

  private static String describe(String chainKey) {
    String[] parts = chainKey.split(":", 3);
    return parts[0].equals("pool") ? parts[1] + " " + parts[2] : "Exchange " + parts[1];
  }
}
