package dev.fleettrust.impact;

import dev.fleettrust.trust.TlsVersion;
import dev.fleettrust.x509.Certificate;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Lync/SfB pool as the phones meet it.
 *
 * @param fqdn the pool FQDN
 * @param sipFqdns the SIP FQDNs devices dial (SRV targets, seed 003); empty means the pool FQDN
 * @param certificates the chain presented per usage, leaf first, exactly as the server sends it
 *     (contract.md, "Chains"). A usage left out of the document carries the DEFAULT chain, as one
 *     certificate assigned to all usages is the common deployment (seed 001); a later change to one
 *     usage changes only that usage (seed 000)
 * @param trustedCaCerts {@code Set-CsWebServiceConfiguration -TrustedCACerts}
 * @param inferCertChainFromSsl when true (the product default) PIN-authenticated phones download
 *     the chain of the web server's own certificate and TrustedCACerts is ignored (seed 000)
 * @param tlsVersions the TLS versions the pool's endpoints accept; empty means not stated, taken as
 *     the product default TLS 1.0 to 1.2
 */
public record Pool(
    String fqdn,
    List<String> sipFqdns,
    Map<Usage, List<Certificate>> certificates,
    List<TrustedCaCert> trustedCaCerts,
    boolean inferCertChainFromSsl,
    Set<TlsVersion> tlsVersions) {

  /** What a pool accepts when the document does not say: the SfB defaults. */
  static final Set<TlsVersion> DEFAULT_TLS =
      EnumSet.of(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1, TlsVersion.TLS_1_2);

  public Pool {
    fqdn = Environment.normaliseHost(Objects.requireNonNull(fqdn, "fqdn"));
    sipFqdns = sipFqdns.stream().map(Environment::normaliseHost).distinct().toList();
    Map<Usage, List<Certificate>> certs = new EnumMap<>(Usage.class);
    certificates.forEach(
        (usage, chain) -> {
          if (!chain.isEmpty()) {
            certs.put(usage, List.copyOf(chain));
          }
        });
    List<Certificate> byDefault = certs.get(Usage.DEFAULT);
    if (byDefault != null) {
      for (Usage u : Usage.values()) {
        certs.putIfAbsent(u, byDefault);
      }
    }
    certificates = java.util.Collections.unmodifiableMap(certs);
    trustedCaCerts = List.copyOf(trustedCaCerts);
    tlsVersions = tlsVersions.isEmpty() ? Set.of() : Set.copyOf(tlsVersions);
  }

  /** The chain the pool presents for {@code usage}, if the document gives one. */
  public Optional<List<Certificate>> chain(Usage usage) {
    return Optional.ofNullable(certificates.get(usage));
  }

  /** The FQDNs devices dial: the SRV targets, or the pool FQDN when none are given. */
  public List<String> dialedFqdns() {
    return sipFqdns.isEmpty() ? List.of(fqdn) : sipFqdns;
  }

  /** The TLS versions in force: those stated, or the product default. */
  public Set<TlsVersion> effectiveTlsVersions() {
    return tlsVersions.isEmpty() ? DEFAULT_TLS : tlsVersions;
  }

  Pool withChain(Usage usage, List<Certificate> chain) {
    Map<Usage, List<Certificate>> next = new EnumMap<>(certificates);
    next.put(usage, chain);
    return new Pool(fqdn, sipFqdns, next, trustedCaCerts, inferCertChainFromSsl, tlsVersions);
  }

  Pool withTrustedCaCerts(List<TrustedCaCert> certs, boolean infer) {
    return new Pool(fqdn, sipFqdns, certificates, certs, infer, tlsVersions);
  }

  Pool withTlsVersions(Set<TlsVersion> versions) {
    return new Pool(fqdn, sipFqdns, certificates, trustedCaCerts, inferCertChainFromSsl, versions);
  }
}
