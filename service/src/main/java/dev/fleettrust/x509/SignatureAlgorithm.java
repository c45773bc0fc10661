package dev.fleettrust.x509;

import java.util.Arrays;
import java.util.Optional;

/**
 * A certificate signature algorithm, named as administrators and the catalog spell it (contract.md,
 * "Spellings"). {@link #OTHER} stands for anything else; the OID is then in {@link
 * CertificateFacts#signatureAlgorithmOid()}.
 */
public enum SignatureAlgorithm {
  MD5_WITH_RSA("md5WithRSAEncryption", "1.2.840.113549.1.1.4"),
  SHA1_WITH_RSA("sha1WithRSAEncryption", "1.2.840.113549.1.1.5"),
  SHA256_WITH_RSA("sha256WithRSAEncryption", "1.2.840.113549.1.1.11"),
  SHA384_WITH_RSA("sha384WithRSAEncryption", "1.2.840.113549.1.1.12"),
  SHA512_WITH_RSA("sha512WithRSAEncryption", "1.2.840.113549.1.1.13"),
  RSASSA_PSS("RSASSA-PSS", "1.2.840.113549.1.1.10"),
  ECDSA_WITH_SHA1("ecdsa-with-SHA1", "1.2.840.10045.4.1"),
  ECDSA_WITH_SHA256("ecdsa-with-SHA256", "1.2.840.10045.4.3.2"),
  ECDSA_WITH_SHA384("ecdsa-with-SHA384", "1.2.840.10045.4.3.3"),
  ECDSA_WITH_SHA512("ecdsa-with-SHA512", "1.2.840.10045.4.3.4"),
  ED25519("Ed25519", "1.3.101.112"),
  /** Any algorithm not listed above (DSA, Ed448, GOST, SM2, ...). */
  OTHER("OTHER", "");

  private final String wireName;
  private final String oid;

  SignatureAlgorithm(String wireName, String oid) {
    this.wireName = wireName;
    this.oid = oid;
  }

  /** The exact contract.md spelling, e.g. {@code sha256WithRSAEncryption}. */
  public String wireName() {
    return wireName;
  }

  /** The algorithm OID; empty for {@link #OTHER}. */
  public String oid() {
    return oid;
  }

  /** Looks up a contract spelling (case-sensitive, as the contract fixes it). */
  public static Optional<SignatureAlgorithm> fromWireName(String wireName) {
    return Arrays.stream(values())
        .filter(a -> a != OTHER && a.wireName.equals(wireName))
        .findFirst();
  }

  /** Maps a signature algorithm OID; unknown OIDs give {@link #OTHER}. */
  public static SignatureAlgorithm fromOid(String oid) {
    return Arrays.stream(values())
        .filter(a -> a != OTHER && a.oid.equals(oid))
        .findFirst()
        .orElse(OTHER);
  }
}
