package dev.fleettrust.impact;

/**
 * The kinds of remediation the plan proposes (trust-rules.md, "remediation the engine should
 * propose"), cheapest first: the order breaks ties between actions that fix as many devices.
 */
public enum ActionType {
  /** Publish an AIA/CDP host in DNS (seed 000: a CNAME). */
  RESOLVE_HOSTS,
  /** Keep TLS 1.0 on the pool's endpoints. */
  KEEP_TLS_VERSION,
  /** Send the intermediate from the server (seed 002). */
  SERVE_FULL_CHAIN,
  /** Add the exact FQDN as a SAN (seed 003). */
  ADD_SAN,
  /** Reissue the Exchange certificate from the pool's issuing CA (seed 004). */
  REISSUE_EWS_FROM_POOL_CA,
  /**
   * TrustedCACerts with the CAs the phones need, InferCertChainFromSSL off (seed 000): it changes
   * what every PIN-authenticating phone downloads, so it ranks after single-certificate fixes.
   */
  SET_TRUSTED_CA_CERTS,
  /** Publish CA certificates in AD, then re-sign by USB/AD credentials (seed 001). */
  PUBLISH_AD_CA,
  /** Reissue CA and leaf with another signature algorithm (seeds 001, 002). */
  REISSUE_SIGNATURE,
  /** Reissue with a supported key. */
  REISSUE_KEY,
  /** Renew a certificate outside its validity. */
  RENEW_CERTIFICATE,
  /** Sign in once with PIN authentication, device by device (seed 002). */
  SIGN_IN_WITH_PIN,
  /** Move a family's devices to a named build (seeds 001, 003). */
  UPGRADE_FIRMWARE
}
