package dev.fleettrust.environment;

import dev.fleettrust.impact.CaStore;
import dev.fleettrust.impact.Usage;
import dev.fleettrust.trust.TlsVersion;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The environment document as put through the API ({@code EnvironmentInput}), with the defaults
 * filled in, PEM text kept exactly as pasted: what {@code environment_revision.document} stores and
 * {@code GET /api/v1/environment} returns.
 */
// revocationLists: each CA's current CRL (issue 13), PEM text or base64 DER, kept as given.
public record EnvironmentDocument(
    List<PoolDocument> pools,
    List<ExchangeDocument> exchange,
    List<String> activeDirectoryCas,
    List<SiteDocument> sites,
    List<String> unresolvableHosts,
    List<String> revocationLists) {

  public static final EnvironmentDocument EMPTY =
      new EnvironmentDocument(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

  /** A document without CRLs. */
  public EnvironmentDocument(
      List<PoolDocument> pools,
      List<ExchangeDocument> exchange,
      List<String> activeDirectoryCas,
      List<SiteDocument> sites,
      List<String> unresolvableHosts) {
    this(pools, exchange, activeDirectoryCas, sites, unresolvableHosts, List.of());
  }

  public EnvironmentDocument {
    pools = List.copyOf(pools);
    exchange = List.copyOf(exchange);
    activeDirectoryCas = List.copyOf(activeDirectoryCas);
    sites = List.copyOf(sites);
    unresolvableHosts = List.copyOf(unresolvableHosts);
    revocationLists = List.copyOf(revocationLists);
  }

  /**
   * @param certificates the chain per usage as pasted, leaf first (contract.md, "Chains")
   */
  public record PoolDocument(
      String fqdn,
      List<String> sipFqdns,
      Map<Usage, String> certificates,
      List<TrustedCaDocument> trustedCaCerts,
      boolean inferCertChainFromSsl,
      List<TlsVersion> tlsVersions) {
    public PoolDocument {
      Objects.requireNonNull(fqdn, "fqdn");
      sipFqdns = List.copyOf(sipFqdns);
      Map<Usage, String> ordered = new EnumMap<>(Usage.class);
      ordered.putAll(certificates);
      certificates = Collections.unmodifiableMap(ordered);
      trustedCaCerts = List.copyOf(trustedCaCerts);
      tlsVersions = List.copyOf(tlsVersions);
    }
  }

  public record TrustedCaDocument(CaStore store, String pem) {
    public TrustedCaDocument {
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(pem, "pem");
    }
  }

  /**
   * @param certificate the chain the host presents, leaf first
   */
  public record ExchangeDocument(String ewsFqdn, String certificate) {
    public ExchangeDocument {
      Objects.requireNonNull(ewsFqdn, "ewsFqdn");
      Objects.requireNonNull(certificate, "certificate");
    }
  }

  public record SiteDocument(String name, boolean pinAuthentication) {
    public SiteDocument {
      Objects.requireNonNull(name, "name");
    }
  }
}
