package dev.fleettrust.impact;

import dev.fleettrust.trust.TlsVersion;
import dev.fleettrust.x509.Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One edit of a planned change (issue 6, {@code POST /impact-assessments}, {@code changes[]}). A
 * {@code chain} is exactly what the server will send: leaf first, then the intermediates it sends,
 * with or without the root; a chain without its intermediate models a server that does not send
 * one.
 */
public sealed interface Change {

  /** The wire name of the change type. */
  String type();

  /** A new chain for one usage of a pool. */
  record ReplaceCertificate(String pool, Usage usage, List<Certificate> chain) implements Change {
    public ReplaceCertificate {
      Objects.requireNonNull(pool, "pool");
      Objects.requireNonNull(usage, "usage");
      chain = List.copyOf(chain);
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("a chain needs at least the leaf");
      }
    }

    @Override
    public String type() {
      return "REPLACE_CERTIFICATE";
    }
  }

  /** A new chain for an Exchange EWS/Autodiscover host. */
  record ReplaceExchangeCertificate(String ewsFqdn, List<Certificate> chain) implements Change {
    public ReplaceExchangeCertificate {
      Objects.requireNonNull(ewsFqdn, "ewsFqdn");
      chain = List.copyOf(chain);
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("a chain needs at least the leaf");
      }
    }

    @Override
    public String type() {
      return "REPLACE_EXCHANGE_CERTIFICATE";
    }
  }

  /**
   * {@code Set-CsWebServiceConfiguration -TrustedCACerts … -InferCertChainFromSSL …} (seed 000).
   */
  record SetTrustedCaCerts(
      String pool, List<TrustedCaCert> trustedCaCerts, boolean inferCertChainFromSsl)
      implements Change {
    public SetTrustedCaCerts {
      Objects.requireNonNull(pool, "pool");
      trustedCaCerts = List.copyOf(trustedCaCerts);
    }

    @Override
    public String type() {
      return "SET_TRUSTED_CA_CERTS";
    }
  }

  /** {@code certutil -f -dspublish <file> RootCA} (seed 001). */
  record PublishAdCa(Certificate certificate) implements Change {
    public PublishAdCa {
      Objects.requireNonNull(certificate, "certificate");
    }

    @Override
    public String type() {
      return "PUBLISH_AD_CA";
    }
  }

  /** The TLS versions a pool's endpoints accept. */
  record SetTlsVersions(String pool, Set<TlsVersion> tlsVersions) implements Change {
    public SetTlsVersions {
      Objects.requireNonNull(pool, "pool");
      tlsVersions = Set.copyOf(tlsVersions);
    }

    @Override
    public String type() {
      return "SET_TLS_VERSIONS";
    }
  }

  /** Host names made resolvable from the device network (seed 000: a DNS CNAME). */
  record ResolveHosts(Set<String> hosts) implements Change {
    public ResolveHosts {
      hosts = Set.copyOf(hosts);
    }

    @Override
    public String type() {
      return "RESOLVE_HOSTS";
    }
  }
}
