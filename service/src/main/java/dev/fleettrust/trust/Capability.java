package dev.fleettrust.trust;

import java.util.Arrays;
import java.util.Optional;

/**
 * The names of the firmware capabilities, as the catalog data files and the API spell them (issue 6
 * and api-spec {@code Capabilities}; {@code osManagedTrust} and {@code provisioningMethods} are the
 * engine's additions). Each rule of trust-rules.md is driven by one of these, never by a model
 * name.
 */
public enum Capability {
  /** A wildcard SAN may match the FQDN the device dials (seed 003: LPE from 4.0.7577.4100). */
  WILDCARD_NAMES("wildcardNames"),
  /** Signature algorithms the build verifies, contract.md spellings (seeds 001, 002). */
  SIGNATURE_ALGORITHMS("signatureAlgorithms"),
  /** USB-tethered / AD sign-in skips the intermediate download (seed 002). */
  USB_TETHER_SKIPS_INTERMEDIATES("usbTetherSkipsIntermediates"),
  /** AIA/CDP hosts of the path must resolve, or the root is marked untrusted (seed 000: VVX). */
  CHECKS_REVOCATION_REACHABILITY("checksRevocationReachability"),
  /** The highest TLS version the build speaks (LPE's Windows CE base: TLS 1.0). */
  MAX_TLS_VERSION("maxTlsVersion"),
  /** The lowest TLS version the build still speaks. */
  MIN_TLS_VERSION("minTlsVersion"),
  /** Beyond built-in roots, EWS is trusted only through the pool's issuing CA (seed 004). */
  EWS_TRUSTS_ONLY_POOL_ISSUER("ewsTrustsOnlyPoolIssuer"),
  /** The leaf must allow serverAuth. */
  REQUIRES_SERVER_AUTH_EKU("requiresServerAuthEku"),
  /** Key types the build handles in any certificate of the path. */
  KEY_TYPES("keyTypes"),
  /** Smallest RSA modulus the build accepts. */
  MIN_RSA_KEY_BITS("minRsaKeyBits"),
  /** Largest RSA modulus the build accepts (CX700 on OCS-era software: 2048). */
  MAX_RSA_KEY_BITS("maxRsaKeyBits"),
  /** Most certificates in a path, leaf and anchor included. */
  MAX_CHAIN_DEPTH("maxChainDepth"),
  /** The client fetches a missing intermediate from the AIA caIssuers URL. */
  FETCHES_INTERMEDIATES_FROM_AIA("fetchesIntermediatesFromAia"),
  /**
   * The operating system manages the root store (Windows Update, Group Policy): every root the
   * environment or the catalog knows is trusted, and a missing one is fetched on demand. The
   * Windows-client control group (trust-rules.md, "Not rules but facts").
   */
  OS_MANAGED_TRUST("osManagedTrust"),
  /**
   * The provisioning methods the family can use at all (CX700: no PIN authentication, seed 001).
   */
  PROVISIONING_METHODS("provisioningMethods");

  private final String wireName;

  Capability(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<Capability> fromWireName(String name) {
    return Arrays.stream(values()).filter(c -> c.wireName.equals(name)).findFirst();
  }
}
