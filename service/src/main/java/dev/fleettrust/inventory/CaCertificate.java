package dev.fleettrust.inventory;

import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A CA certificate as the inventory keeps it: identified by its SHA-256 fingerprint (lower-case
 * hex), with the DER and the few parsed facts shown without parsing again. {@code spkiSha256} keys
 * the public key, which is how firmware roots known only by name and key are matched.
 */
public record CaCertificate(
    String sha256,
    byte[] der,
    String subject,
    String issuer,
    Instant notBefore,
    Instant notAfter,
    String spkiSha256) {

  public CaCertificate {
    Objects.requireNonNull(sha256, "sha256");
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("Not a lower-case SHA-256 fingerprint: " + sha256);
    }
    der = Objects.requireNonNull(der, "der").clone();
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(spkiSha256, "spkiSha256");
  }

  @Override
  public byte[] der() {
    return der.clone();
  }

  /** The PEM form: the DER in base64 between the usual armour lines. */
  public String pem() {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CaCertificate that
        && sha256.equals(that.sha256)
        && Arrays.equals(der, that.der);
  }

  @Override
  public int hashCode() {
    return sha256.hashCode();
  }

  @Override
  public String toString() {
    return subject + " [" + sha256 + "]";
  }
}
