package dev.fleettrust.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fleettrust.environment.EnvironmentDocument;
import dev.fleettrust.environment.EnvironmentRevision;
import io.micronaut.serde.annotation.Serdeable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code Environment} response of api-spec/openapi.yaml and its parts. */
final class EnvironmentWire {
  private EnvironmentWire() {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Environment(
      long version,
      @JsonInclude(JsonInclude.Include.ALWAYS) String updatedAt,
      @JsonInclude(JsonInclude.Include.ALWAYS) String updatedBy,
      List<Pool> pools,
      List<ExchangeHost> exchange,
      List<String> activeDirectoryCas,
      List<Site> sites,
      List<String> unresolvableHosts,
      List<String> revocationLists) {

    static Environment of(EnvironmentRevision revision) {
      EnvironmentDocument d = revision.document();
      return new Environment(
          revision.version(),
          revision.updatedAt().map(Object::toString).orElse(null),
          revision.updatedBy().orElse(null),
          d.pools().stream().map(Pool::of).toList(),
          d.exchange().stream().map(e -> new ExchangeHost(e.ewsFqdn(), e.certificate())).toList(),
          d.activeDirectoryCas(),
          d.sites().stream().map(s -> new Site(s.name(), s.pinAuthentication())).toList(),
          d.unresolvableHosts(),
          d.revocationLists());
    }
  }

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Pool(
      String fqdn,
      List<String> sipFqdns,
      Map<String, String> certificates,
      List<TrustedCaCert> trustedCaCerts,
      boolean inferCertChainFromSsl,
      List<String> tlsVersions) {
    static Pool of(EnvironmentDocument.PoolDocument p) {
      Map<String, String> certs = new LinkedHashMap<>();
      p.certificates().forEach((usage, pem) -> certs.put(usage.name(), pem));
      return new Pool(
          p.fqdn(),
          p.sipFqdns(),
          certs,
          p.trustedCaCerts().stream()
              .map(t -> new TrustedCaCert(t.store().wireName(), t.pem()))
              .toList(),
          p.inferCertChainFromSsl(),
          p.tlsVersions().stream().map(v -> v.wireName()).toList());
    }
  }

  @Serdeable
  record TrustedCaCert(String store, String pem) {}

  @Serdeable
  record ExchangeHost(String ewsFqdn, String certificate) {}

  @Serdeable
  record Site(String name, boolean pinAuthentication) {}
}
