package dev.fleettrust.x509;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a TLS client accepts when it validates a server's chain: the limits a firmware build puts on
 * path validation. {@link #webPki()} is the strict RFC 5280 + RFC 6125 default.
 *
 * @param name how findings and reports name the profile (e.g. {@code WEB_PKI} or {@code
 *     LPE-AIRES:4.0.7577.4100})
 * @param acceptedSignatureAlgorithms algorithms the client verifies; a certificate in the path (the
 *     anchor's own self-signature excluded) signed otherwise gives SIGNATURE_ALGORITHM_UNSUPPORTED
 * @param wildcardNames whether a wildcard SAN may match the host name; when false, a name matched
 *     only by a wildcard gives WILDCARD_UNSUPPORTED
 * @param requireServerAuthEku whether the leaf's EKU, when present, must allow serverAuth (and CA
 *     EKUs, when present, must not exclude it)
 * @param acceptedKeyTypes key types the client handles in any certificate of the path
 * @param minRsaBits smallest RSA modulus accepted
 * @param maxRsaBits largest RSA modulus accepted
 * @param maxDepth most certificates in a path, leaf and anchor included; self-issued intermediates
 *     (key rollover) do not count, as in RFC 5280's path length
 * @param fetchesAiaIntermediates whether the client fetches a missing intermediate from the AIA
 *     caIssuers URL of the certificate it issued
 * @param strictIssuanceChecks issuance rules of RFC 5280's profile and the CA/B Forum baseline
 *     requirements are errors, not warnings
 * @param commonNameFallback the subject CN is matched when the leaf has no DNS/IP SAN
 * @param intermediateEkuConstrains an EKU on an intermediate constrains the certificates below it,
 *     as browsers do (RFC 5280 itself gives a CA's EKU no meaning for path validation)
 */
public record ClientProfile(
    String name,
    Set<SignatureAlgorithm> acceptedSignatureAlgorithms,
    boolean wildcardNames,
    boolean requireServerAuthEku,
    Set<KeyType> acceptedKeyTypes,
    int minRsaBits,
    int maxRsaBits,
    int maxDepth,
    boolean fetchesAiaIntermediates,
    boolean strictIssuanceChecks,
    boolean commonNameFallback,
    boolean intermediateEkuConstrains) {

  /** The name of {@link #webPki()}. */
  public static final String WEB_PKI = "WEB_PKI";

  /** The name of {@link #rfc5280()}. */
  public static final String RFC5280 = "rfc5280";

  public ClientProfile {
    Objects.requireNonNull(name, "name");
    acceptedSignatureAlgorithms = Set.copyOf(acceptedSignatureAlgorithms);
    acceptedKeyTypes = Set.copyOf(acceptedKeyTypes);
    if (minRsaBits < 0 || maxRsaBits < minRsaBits) {
      throw new IllegalArgumentException("need 0 <= minRsaBits <= maxRsaBits");
    }
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be at least 1");
    }
  }

  /** A profile with lenient issuance checks and CN fallback, as embedded TLS stacks behave. */
  public ClientProfile(
      String name,
      Set<SignatureAlgorithm> acceptedSignatureAlgorithms,
      boolean wildcardNames,
      boolean requireServerAuthEku,
      Set<KeyType> acceptedKeyTypes,
      int minRsaBits,
      int maxRsaBits,
      int maxDepth,
      boolean fetchesAiaIntermediates) {
    this(
        name,
        acceptedSignatureAlgorithms,
        wildcardNames,
        requireServerAuthEku,
        acceptedKeyTypes,
        minRsaBits,
        maxRsaBits,
        maxDepth,
        fetchesAiaIntermediates,
        false,
        true,
        true);
  }

  /**
   * The strict default: RFC 5280 path validation with strict issuance checks, RFC 6125 host names
   * with wildcards, serverAuth EKU, RSA of 2048 to 16384 bits, EC (P-256, P-384, P-521) and Ed25519
   * keys, SHA-2 RSA (PKCS#1 v1.5 and PSS), ECDSA and Ed25519 signatures (no MD5, no SHA-1), up to
   * 16 certificates in a path, no AIA fetching.
   */
  public static ClientProfile webPki() {
    Set<SignatureAlgorithm> algorithms = EnumSet.allOf(SignatureAlgorithm.class);
    algorithms.remove(SignatureAlgorithm.MD5_WITH_RSA);
    algorithms.remove(SignatureAlgorithm.SHA1_WITH_RSA);
    algorithms.remove(SignatureAlgorithm.ECDSA_WITH_SHA1);
    algorithms.remove(SignatureAlgorithm.OTHER);
    return new ClientProfile(
        WEB_PKI,
        algorithms,
        true,
        true,
        EnumSet.of(KeyType.RSA, KeyType.EC, KeyType.ED25519),
        2048,
        16384,
        16,
        false,
        true,
        false,
        true);
  }

  /**
   * RFC 5280 path validation and RFC 6125 host names without the CA/Browser Forum's restrictions,
   * so that "invalid" can be told from "not web-PKI": every signature algorithm Bouncy Castle
   * verifies (SHA-1 and DSA included; MD5 still refused, as RFC 6151 retires it), RSA from 1024
   * bits, RSA, EC, Ed25519 and DSA keys, issuance rules as warnings, the leaf's EKU (when present)
   * must allow serverAuth but an intermediate's EKU does not constrain, no CN fallback, up to 16
   * certificates in a path.
   */
  public static ClientProfile rfc5280() {
    Set<SignatureAlgorithm> algorithms = EnumSet.allOf(SignatureAlgorithm.class);
    algorithms.remove(SignatureAlgorithm.MD5_WITH_RSA);
    return new ClientProfile(
        RFC5280,
        algorithms,
        true,
        true,
        EnumSet.of(KeyType.RSA, KeyType.EC, KeyType.ED25519, KeyType.DSA),
        1024,
        16384,
        16,
        false,
        false,
        false,
        false);
  }

  public ClientProfile withName(String newName) {
    return new ClientProfile(
        newName,
        acceptedSignatureAlgorithms,
        wildcardNames,
        requireServerAuthEku,
        acceptedKeyTypes,
        minRsaBits,
        maxRsaBits,
        maxDepth,
        fetchesAiaIntermediates,
        strictIssuanceChecks,
        commonNameFallback,
        intermediateEkuConstrains);
  }

  public ClientProfile withSignatureAlgorithms(Set<SignatureAlgorithm> algorithms) {
    return new ClientProfile(
        name,
        algorithms,
        wildcardNames,
        requireServerAuthEku,
        acceptedKeyTypes,
        minRsaBits,
        maxRsaBits,
        maxDepth,
        fetchesAiaIntermediates,
        strictIssuanceChecks,
        commonNameFallback,
        intermediateEkuConstrains);
  }

  public ClientProfile withWildcardNames(boolean allowed) {
    return new ClientProfile(
        name,
        acceptedSignatureAlgorithms,
        allowed,
        requireServerAuthEku,
        acceptedKeyTypes,
        minRsaBits,
        maxRsaBits,
        maxDepth,
        fetchesAiaIntermediates,
        strictIssuanceChecks,
        commonNameFallback,
        intermediateEkuConstrains);
  }

  public ClientProfile withRequireServerAuthEku(boolean required) {
    return new ClientProfile(
        name,
        acceptedSignatureAlgorithms,
        wildcardNames,
        required,
        acceptedKeyTypes,
        minRsaBits,
        maxRsaBits,
        maxDepth,
        fetchesAiaIntermediates,
        strictIssuanceChecks,
        commonNameFallback,
        intermediateEkuConstrains);
  }

  public ClientProfile withKeys(Set<KeyType> types, int minRsa, int maxRsa) {
    return new ClientProfile(
        name,
        acceptedSignatureAlgorithms,
        wildcardNames,
        requireServerAuthEku,
        types,
        minRsa,
        maxRsa,
        maxDepth,
        fetchesAiaIntermediates,
        strictIssuanceChecks,
        commonNameFallback,
        intermediateEkuConstrains);
  }

  public ClientProfile withMaxDepth(int depth) {
    return new ClientProfile(
        name,
        acceptedSignatureAlgorithms,
        wildcardNames,
        requireServerAuthEku,
        acceptedKeyTypes,
        minRsaBits,
        maxRsaBits,
        depth,
        fetchesAiaIntermediates,
        strictIssuanceChecks,
        commonNameFallback,
        intermediateEkuConstrains);
  }

  public ClientProfile withFetchesAiaIntermediates(boolean fetches) {
    return new ClientProfile(
        name,
        acceptedSignatureAlgorithms,
        wildcardNames,
        requireServerAuthEku,
        acceptedKeyTypes,
        minRsaBits,
        maxRsaBits,
        maxDepth,
        fetches,
        strictIssuanceChecks,
        commonNameFallback,
        intermediateEkuConstrains);
  }

  public ClientProfile withStrictIssuanceChecks(boolean strict) {
    return new ClientProfile(
        name,
        acceptedSignatureAlgorithms,
        wildcardNames,
        requireServerAuthEku,
        acceptedKeyTypes,
        minRsaBits,
        maxRsaBits,
        maxDepth,
        fetchesAiaIntermediates,
        strict,
        commonNameFallback,
        intermediateEkuConstrains);
  }

  public ClientProfile withCommonNameFallback(boolean fallback) {
    return new ClientProfile(
        name,
        acceptedSignatureAlgorithms,
        wildcardNames,
        requireServerAuthEku,
        acceptedKeyTypes,
        minRsaBits,
        maxRsaBits,
        maxDepth,
        fetchesAiaIntermediates,
        strictIssuanceChecks,
        fallback,
        intermediateEkuConstrains);
  }

  public ClientProfile withIntermediateEkuConstrains(boolean constrains) {
    return new ClientProfile(
        name,
        acceptedSignatureAlgorithms,
        wildcardNames,
        requireServerAuthEku,
        acceptedKeyTypes,
        minRsaBits,
        maxRsaBits,
        maxDepth,
        fetchesAiaIntermediates,
        strictIssuanceChecks,
        commonNameFallback,
        constrains);
  }
}
