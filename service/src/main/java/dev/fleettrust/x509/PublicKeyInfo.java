package dev.fleettrust.x509;

import java.util.Objects;
import java.util.Optional;

/**
 * The subject public key.
 *
 * @param bits modulus length for RSA, field size for EC and DSA, 256 for Ed25519, 0 if unknown
 * @param curve the named curve for EC keys ({@code P-256}, {@code P-384}, {@code P-521}, or the
 *     curve OID when it has no NIST name)
 * @param algorithmOid the SubjectPublicKeyInfo algorithm OID
 */
public record PublicKeyInfo(KeyType type, int bits, Optional<String> curve, String algorithmOid) {
  public PublicKeyInfo {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(curve, "curve");
    Objects.requireNonNull(algorithmOid, "algorithmOid");
    if (bits < 0) {
      throw new IllegalArgumentException("bits must not be negative");
    }
  }

  /** e.g. {@code RSA 2048}, {@code EC P-256}, {@code Ed25519}. */
  public String describe() {
    return switch (type) {
      case RSA, DSA -> type + " " + bits;
      case EC -> "EC " + curve.orElse(bits + " bits");
      case ED25519 -> "Ed25519";
      case OTHER -> "key " + algorithmOid;
    };
  }
}
