package dev.fleettrust.impact;

import dev.fleettrust.x509.Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The UC environment the phones sign in to, as one document (issue 6: {@code PUT /environment}):
 * pools, Exchange hosts, the CAs published in Active Directory, sites and the host names the device
 * network cannot resolve. Immutable; {@link #apply} derives the environment a planned change
 * leaves.
 *
 * @param activeDirectoryCas CA certificates published with {@code certutil -dspublish} (seed 001),
 *     what USB-tethered and AD-credential sign-ins fetch
 * @param unresolvableHosts host names the device network cannot resolve (seed 000: {@code
 *     RootCA.custdom.com} missing from internal DNS); every other host is taken as resolvable
 */
public record Environment(
    List<Pool> pools,
    List<ExchangeHost> exchange,
    List<Certificate> activeDirectoryCas,
    List<Site> sites,
    Set<String> unresolvableHosts) {

  public static final Environment EMPTY =
      new Environment(List.of(), List.of(), List.of(), List.of(), Set.of());

  public Environment {
    pools = List.copyOf(pools);
    exchange = List.copyOf(exchange);
    activeDirectoryCas = List.copyOf(new LinkedHashSet<>(activeDirectoryCas));
    sites = List.copyOf(sites);
    Set<String> hosts = new TreeSet<>();
    unresolvableHosts.forEach(h -> hosts.add(normaliseHost(h)));
    unresolvableHosts = Set.copyOf(hosts);
    Set<String> seen = new java.util.HashSet<>();
    for (Pool p : pools) {
      if (!seen.add(p.fqdn())) {
        throw new IllegalArgumentException("pool listed twice: " + p.fqdn());
      }
    }
  }

  /** Lower case, no trailing dot: how host names are compared. */
  static String normaliseHost(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  public Optional<Pool> pool(String fqdn) {
    String key = normaliseHost(fqdn);
    return pools.stream().filter(p -> p.fqdn().equals(key)).findFirst();
  }

  /**
   * The pool a device registered to: by pool FQDN, else the pool whose SIP FQDNs include the name
   * (a device may report the SRV target it registered through).
   */
  public Optional<Pool> poolFor(String name) {
    String key = normaliseHost(name);
    return pool(key).or(() -> pools.stream().filter(p -> p.sipFqdns().contains(key)).findFirst());
  }

  public Optional<ExchangeHost> exchangeHost(String ewsFqdn) {
    String key = normaliseHost(ewsFqdn);
    return exchange.stream().filter(e -> e.ewsFqdn().equals(key)).findFirst();
  }

  public Optional<Site> site(String name) {
    return sites.stream().filter(s -> s.name().equalsIgnoreCase(name.strip())).findFirst();
  }

  public boolean resolvable(String host) {
    return !unresolvableHosts.contains(normaliseHost(host));
  }

  /**
   * The environment after {@code changes}, applied in order, or the first one that cannot apply.
   */
  public ChangeResult apply(List<Change> changes) {
    Environment env = this;
    for (int i = 0; i < changes.size(); i++) {
      Change c = changes.get(i);
      Optional<ChangeResult.Rejected> problem = env.check(c, i);
      if (problem.isPresent()) {
        return problem.get();
      }
      env = env.applyChecked(c);
    }
    return new ChangeResult.Applied(env);
  }

  private Optional<ChangeResult.Rejected> check(Change c, int index) {
    String pool = null;
    if (c instanceof Change.ReplaceCertificate r) {
      pool = r.pool();
    } else if (c instanceof Change.SetTrustedCaCerts s) {
      pool = s.pool();
    } else if (c instanceof Change.SetTlsVersions t) {
      pool = t.pool();
    } else if (c instanceof Change.ReplaceExchangeCertificate x
        && exchangeHost(x.ewsFqdn()).isEmpty()) {
      return Optional.of(
          new ChangeResult.Rejected(
              index, "ewsFqdn", "unknown Exchange host '" + x.ewsFqdn() + "'"));
    }
    if (pool != null && pool(pool).isEmpty()) {
      return Optional.of(new ChangeResult.Rejected(index, "pool", "unknown pool '" + pool + "'"));
    }
    return Optional.empty();
  }

  private Environment applyChecked(Change c) {
    if (c instanceof Change.ReplaceCertificate r) {
      return withPool(pool(r.pool()).orElseThrow().withChain(r.usage(), r.chain()));
    }
    if (c instanceof Change.SetTrustedCaCerts s) {
      return withPool(
          pool(s.pool())
              .orElseThrow()
              .withTrustedCaCerts(s.trustedCaCerts(), s.inferCertChainFromSsl()));
    }
    if (c instanceof Change.SetTlsVersions t) {
      return withPool(pool(t.pool()).orElseThrow().withTlsVersions(t.tlsVersions()));
    }
    if (c instanceof Change.ReplaceExchangeCertificate x) {
      List<ExchangeHost> next = new ArrayList<>();
      for (ExchangeHost e : exchange) {
        next.add(
            e.ewsFqdn().equals(normaliseHost(x.ewsFqdn()))
                ? new ExchangeHost(e.ewsFqdn(), x.chain())
                : e);
      }
      return new Environment(pools, next, activeDirectoryCas, sites, unresolvableHosts);
    }
    if (c instanceof Change.PublishAdCa p) {
      List<Certificate> next = new ArrayList<>(activeDirectoryCas);
      next.add(p.certificate());
      return new Environment(pools, exchange, next, sites, unresolvableHosts);
    }
    Change.ResolveHosts h = (Change.ResolveHosts) c;
    Set<String> next = new TreeSet<>(unresolvableHosts);
    h.hosts().forEach(x -> next.remove(normaliseHost(x)));
    return new Environment(pools, exchange, activeDirectoryCas, sites, next);
  }

  private Environment withPool(Pool pool) {
    List<Pool> next = new ArrayList<>();
    for (Pool p : pools) {
      next.add(p.fqdn().equals(pool.fqdn()) ? pool : p);
    }
    return new Environment(next, exchange, activeDirectoryCas, sites, unresolvableHosts);
  }

  /** Every certificate the document holds: chains, TrustedCACerts, AD-published CAs. */
  List<Certificate> certificates() {
    List<Certificate> out = new ArrayList<>();
    for (Pool p : pools) {
      p.certificates().values().forEach(out::addAll);
      p.trustedCaCerts().forEach(t -> out.add(t.certificate()));
    }
    exchange.forEach(e -> out.addAll(e.chain()));
    out.addAll(activeDirectoryCas);
    return out;
  }
}
