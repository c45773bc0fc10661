package dev.fleettrust.impact;

import dev.fleettrust.trust.BuiltInRoot;
import dev.fleettrust.trust.Catalog;
import dev.fleettrust.trust.FirmwareResolution;
import dev.fleettrust.trust.ResolvedFirmware;
import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.TrustAnchor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One simulated state of the world: the catalog, the environment after the planned change (and, for
 * a what-if run, after a remediation action), the evaluation time, and everything derived from them
 * once rather than per device: completed chains, what each pool's web service hands out, what AD
 * hands out, the pool outages.
 */
final class World {
  final Catalog catalog;
  final Environment env;
  final Instant at;
  final Overlay overlay;
  final KnownCas known;
  final String knownId;
  final List<TrustAnchor> knownRoots;
  final ValidationMemo memo;

  private final Map<String, PoolView> pools = new ConcurrentHashMap<>();
  private final Map<String, FirmwareResolution> resolutions = new ConcurrentHashMap<>();
  private final Map<String, List<TrustAnchor>> builtIns = new ConcurrentHashMap<>();
  private final Map<String, Holdings> holdings = new ConcurrentHashMap<>();
  private final Download adWithIntermediates;
  private final Download adRootsOnly;

  World(
      Catalog catalog,
      Environment env,
      Instant at,
      Overlay overlay,
      List<Certificate> fleetHeld,
      ValidationMemo memo) {
    this.catalog = catalog;
    this.env = env;
    this.at = at;
    this.overlay = overlay;
    this.memo = memo;
    Set<Certificate> all = new LinkedHashSet<>(env.certificates());
    all.addAll(fleetHeld);
    this.known = new KnownCas(all);
    StringBuilder id = new StringBuilder();
    List<TrustAnchor> roots = new ArrayList<>();
    for (Certificate c : known.all()) {
      id.append(c.sha256(), 0, 12);
      if (c.facts().selfSigned()) {
        roots.add(new TrustAnchor.OfCertificate(c));
      }
    }
    this.knownId = Integer.toHexString(id.toString().hashCode()) + ":" + known.all().size();
    this.knownRoots = List.copyOf(roots);
    List<Certificate> adRoots = new ArrayList<>();
    List<Certificate> adIntermediates = new ArrayList<>();
    for (Certificate c : env.activeDirectoryCas()) {
      (c.facts().selfSigned() ? adRoots : adIntermediates).add(c);
    }
    this.adWithIntermediates = new Download(adRoots, adIntermediates, overlay.assumedAdRoots());
    this.adRootsOnly = new Download(adRoots, List.of(), overlay.assumedAdRoots());
  }

  FirmwareResolution resolve(String model, String build) {
    return resolutions.computeIfAbsent(
        model + "\u0000" + build, k -> catalog.resolve(model, build));
  }

  List<TrustAnchor> builtIns(ResolvedFirmware fw) {
    return builtIns.computeIfAbsent(
        fw.profileName() + "@" + fw.entry().map(e -> e.build().key()).orElse("-"),
        k -> fw.builtInRoots().rootsOrEmpty().stream().map(BuiltInRoot::anchor).toList());
  }

  Holdings holdings(String key, java.util.function.Supplier<Holdings> build) {
    Holdings h = holdings.get(key);
    if (h == null) {
      h = build.get();
      holdings.putIfAbsent(key, h);
    }
    return h;
  }

  /** What USB-tethered and AD-credential sign-ins fetch from Active Directory (seed 001, 002). */
  Download activeDirectory(boolean skipsIntermediates) {
    return skipsIntermediates ? adRootsOnly : adWithIntermediates;
  }

  PoolView pool(Pool pool) {
    return pools.computeIfAbsent(pool.fqdn(), k -> new PoolView(pool));
  }

  Optional<Reissue> reissue(String chainKey) {
    return Optional.ofNullable(overlay.reissues().get(chainKey));
  }

  /** A pool with what is derived from it once per world. */
  final class PoolView {
    final Pool pool;
    final Map<Usage, List<Certificate>> completed = new EnumMap<>(Usage.class);
    final Download webService;
    final Optional<Finding> outage;

    PoolView(Pool pool) {
      this.pool = pool;
      pool.certificates().forEach((u, chain) -> completed.put(u, known.complete(chain)));
      this.webService = webServiceDownload();
      this.outage = PoolOutageRule.check(this, World.this);
    }

    /**
     * What a PIN-authenticating phone downloads (contract.md, "What next sign-in assumes"): the
     * chain of the WEB_SERVICES_INTERNAL certificate when the infer flag is on, TrustedCACerts
     * otherwise (seed 000).
     */
    private Download webServiceDownload() {
      if (!pool.inferCertChainFromSsl()) {
        List<Certificate> roots = new ArrayList<>();
        List<Certificate> intermediates = new ArrayList<>();
        for (TrustedCaCert t : pool.trustedCaCerts()) {
          (t.store() == CaStore.TRUSTED_ROOT_CA ? roots : intermediates).add(t.certificate());
        }
        return new Download(roots, intermediates, List.of());
      }
      List<Certificate> chain = completed.get(Usage.WEB_SERVICES_INTERNAL);
      if (chain == null) {
        return Download.NOTHING;
      }
      List<Certificate> roots = new ArrayList<>();
      List<Certificate> intermediates = new ArrayList<>();
      for (Certificate c : chain.subList(1, chain.size())) {
        (c.facts().selfSigned() ? roots : intermediates).add(c);
      }
      Certificate top = chain.get(chain.size() - 1);
      List<String> assumed =
          top.facts().selfSigned() ? List.of() : List.of(top.facts().issuer().canonical());
      return new Download(roots, intermediates, assumed);
    }

    /** The CA that issued the DEFAULT certificate (contract.md: "the pool's issuer"). */
    Optional<Certificate> defaultIssuer() {
      List<Certificate> chain = completed.get(Usage.DEFAULT);
      return chain == null || chain.size() < 2 ? Optional.empty() : Optional.of(chain.get(1));
    }
  }
}
