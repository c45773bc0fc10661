package dev.fleettrust.trust;

import dev.fleettrust.x509.ClientProfile;
import dev.fleettrust.x509.KeyType;
import dev.fleettrust.x509.SignatureAlgorithm;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the engine needs to know about what one firmware build does, fully resolved (family
 * defaults, then the build's overrides, over {@link #BASELINE}). See {@link Capability} for what
 * each component means and where it comes from.
 */
public record Capabilities(
    boolean wildcardNames,
    Set<SignatureAlgorithm> signatureAlgorithms,
    boolean usbTetherSkipsIntermediates,
    boolean checksRevocationReachability,
    TlsVersion maxTlsVersion,
    TlsVersion minTlsVersion,
    boolean ewsTrustsOnlyPoolIssuer,
    boolean requireServerAuthEku,
    Set<KeyType> keyTypes,
    int minRsaBits,
    int maxRsaBits,
    int maxDepth,
    boolean fetchesAiaIntermediates,
    boolean osManagedTrust,
    Set<ProvisioningMethod> provisioningMethods) {

  /**
   * What a family that states nothing gets: a present-day certified client (wildcards, SHA-1/SHA-2
   * RSA and ECDSA, TLS 1.2, RSA 1024 to 4096, serverAuth required, no revocation reachability
   * check, no AIA fetching, every provisioning method).
   */
  public static final Capabilities BASELINE =
      new Capabilities(
          true,
          EnumSet.of(
              SignatureAlgorithm.SHA1_WITH_RSA,
              SignatureAlgorithm.SHA256_WITH_RSA,
              SignatureAlgorithm.SHA384_WITH_RSA,
              SignatureAlgorithm.SHA512_WITH_RSA,
              SignatureAlgorithm.ECDSA_WITH_SHA256,
              SignatureAlgorithm.ECDSA_WITH_SHA384,
              SignatureAlgorithm.ECDSA_WITH_SHA512),
          false,
          false,
          TlsVersion.TLS_1_2,
          TlsVersion.TLS_1_0,
          false,
          true,
          EnumSet.of(KeyType.RSA, KeyType.EC),
          1024,
          4096,
          8,
          false,
          false,
          EnumSet.allOf(ProvisioningMethod.class));

  public Capabilities {
    signatureAlgorithms = Set.copyOf(signatureAlgorithms);
    Objects.requireNonNull(maxTlsVersion, "maxTlsVersion");
    Objects.requireNonNull(minTlsVersion, "minTlsVersion");
    keyTypes = Set.copyOf(keyTypes);
    provisioningMethods = Set.copyOf(provisioningMethods);
    if (minRsaBits < 0 || maxRsaBits < minRsaBits) {
      throw new IllegalArgumentException("need 0 <= minRsaBits <= maxRsaBits");
    }
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be at least 1");
    }
  }

  /**
   * Whether the build speaks {@code version}: from {@link #minTlsVersion} to {@link
   * #maxTlsVersion}.
   */
  public boolean speaks(TlsVersion version) {
    return version.compareTo(maxTlsVersion) <= 0 && version.compareTo(minTlsVersion) >= 0;
  }

  /**
   * The x509 client profile these capabilities validate with: embedded-client leniency (no strict
   * RFC 5280 issuance checks, CN fallback for host names).
   */
  public ClientProfile clientProfile(String name) {
    return new ClientProfile(
        name,
        signatureAlgorithms,
        wildcardNames,
        requireServerAuthEku,
        keyTypes,
        minRsaBits,
        maxRsaBits,
        maxDepth,
        fetchesAiaIntermediates);
  }
}
