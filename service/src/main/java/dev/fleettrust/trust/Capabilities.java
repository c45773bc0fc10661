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
    Set<ProvisioningMethod> provisioningMethods,
    Set<Capability> unstated) {

  /**
   * The capabilities a build may leave unstated and the engine then does not know (contract.md,
   * "Unknown is never OK": every capability of a build is optional). The engine's own additions
   * ({@code osManagedTrust}, {@code provisioningMethods}) are not among them: the API cannot state
   * them, and their {@link #BASELINE} values are the cautious ones (no OS-managed roots; every
   * provisioning path possible, so a never-provisioned device stays AT_RISK rather than OK).
   */
  public static final Set<Capability> KNOWABLE =
      java.util.Collections.unmodifiableSet(
          EnumSet.complementOf(
              EnumSet.of(Capability.OS_MANAGED_TRUST, Capability.PROVISIONING_METHODS)));

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
          EnumSet.allOf(ProvisioningMethod.class),
          EnumSet.allOf(Capability.class));

  public Capabilities {
    signatureAlgorithms = Set.copyOf(signatureAlgorithms);
    Objects.requireNonNull(maxTlsVersion, "maxTlsVersion");
    Objects.requireNonNull(minTlsVersion, "minTlsVersion");
    keyTypes = Set.copyOf(keyTypes);
    provisioningMethods = Set.copyOf(provisioningMethods);
    unstated =
        unstated.isEmpty()
            ? Set.of()
            : java.util.Collections.unmodifiableSet(EnumSet.copyOf(unstated));
    if (minRsaBits < 0 || maxRsaBits < minRsaBits) {
      throw new IllegalArgumentException("need 0 <= minRsaBits <= maxRsaBits");
    }
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be at least 1");
    }
  }

  /** Whether the catalog states {@code capability} for this build (family default or override). */
  public boolean knows(Capability capability) {
    return !unstated.contains(capability);
  }

  /** The knowable capabilities neither the family nor the build states. */
  public Set<Capability> unknown() {
    Set<Capability> out = EnumSet.noneOf(Capability.class);
    for (Capability c : unstated) {
      if (KNOWABLE.contains(c)) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * These capabilities with every unknown one at its most permissive value (accepts every key,
   * algorithm and depth, matches wildcards, has none of the quirks), except those in {@code
   * restrictive}, which take their most restrictive value consistent with what is known (a lower
   * bound no lower than the known upper bound, nothing accepted). Comparing the outcome under the
   * permissive reading with the outcome under one capability made restrictive tells whether that
   * capability decides the verdict (contract.md, "Unknown is never OK").
   */
  public Capabilities assuming(Set<Capability> restrictive) {
    Set<Capability> unknown = unknown();
    java.util.function.Predicate<Capability> open =
        c -> unknown.contains(c) && !restrictive.contains(c);
    java.util.function.Predicate<Capability> shut =
        c -> unknown.contains(c) && restrictive.contains(c);
    TlsVersion newestTls = TlsVersion.values()[TlsVersion.values().length - 1];
    TlsVersion oldestTls = TlsVersion.values()[0];
    TlsVersion max = open.test(Capability.MAX_TLS_VERSION) ? newestTls : maxTlsVersion;
    TlsVersion min = open.test(Capability.MIN_TLS_VERSION) ? oldestTls : minTlsVersion;
    if (shut.test(Capability.MAX_TLS_VERSION) && shut.test(Capability.MIN_TLS_VERSION)) {
      max = oldestTls;
      min = newestTls; // an empty range: speaks nothing
    } else if (shut.test(Capability.MAX_TLS_VERSION)) {
      max = min;
    } else if (shut.test(Capability.MIN_TLS_VERSION)) {
      min = max;
    }
    int maxBits = open.test(Capability.MAX_RSA_KEY_BITS) ? Integer.MAX_VALUE : maxRsaBits;
    int minBits = open.test(Capability.MIN_RSA_KEY_BITS) ? 0 : minRsaBits;
    if (shut.test(Capability.MAX_RSA_KEY_BITS) && shut.test(Capability.MIN_RSA_KEY_BITS)) {
      minBits = 0;
      maxBits = 0;
    } else if (shut.test(Capability.MAX_RSA_KEY_BITS)) {
      maxBits = minBits;
    } else if (shut.test(Capability.MIN_RSA_KEY_BITS)) {
      minBits = maxBits;
    }
    return new Capabilities(
        pick(Capability.WILDCARD_NAMES, wildcardNames, true, false, unknown, restrictive),
        pick(
            Capability.SIGNATURE_ALGORITHMS,
            signatureAlgorithms,
            EnumSet.allOf(SignatureAlgorithm.class),
            Set.of(),
            unknown,
            restrictive),
        pick(
            Capability.USB_TETHER_SKIPS_INTERMEDIATES,
            usbTetherSkipsIntermediates,
            false,
            true,
            unknown,
            restrictive),
        pick(
            Capability.CHECKS_REVOCATION_REACHABILITY,
            checksRevocationReachability,
            false,
            true,
            unknown,
            restrictive),
        max,
        min,
        pick(
            Capability.EWS_TRUSTS_ONLY_POOL_ISSUER,
            ewsTrustsOnlyPoolIssuer,
            false,
            true,
            unknown,
            restrictive),
        pick(
            Capability.REQUIRES_SERVER_AUTH_EKU,
            requireServerAuthEku,
            false,
            true,
            unknown,
            restrictive),
        pick(
            Capability.KEY_TYPES,
            keyTypes,
            EnumSet.allOf(KeyType.class),
            Set.of(),
            unknown,
            restrictive),
        minBits,
        maxBits,
        pick(Capability.MAX_CHAIN_DEPTH, maxDepth, 64, 1, unknown, restrictive),
        pick(
            Capability.FETCHES_INTERMEDIATES_FROM_AIA,
            fetchesAiaIntermediates,
            true,
            false,
            unknown,
            restrictive),
        osManagedTrust,
        provisioningMethods,
        unstated);
  }

  private static <T> T pick(
      Capability c,
      T stated,
      T permissive,
      T restrictive,
      Set<Capability> unknown,
      Set<Capability> restricted) {
    if (!unknown.contains(c)) {
      return stated;
    }
    return restricted.contains(c) ? restrictive : permissive;
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
