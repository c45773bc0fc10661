package dev.fleettrust.impact;

import dev.fleettrust.x509.Certificate;
import java.util.Objects;

/**
 * One entry of the web service configuration's {@code TrustedCACerts}: what PIN-authenticated
 * phones download when {@code InferCertChainFromSSL} is off (seed 000).
 */
public record TrustedCaCert(CaStore store, Certificate certificate) {
  public TrustedCaCert {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(certificate, "certificate");
  }
}
