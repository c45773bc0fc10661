package dev.fleettrust.impact;

/**
 * The kinds of remediation the plan proposes (trust-rules.md, "remediation the engine should
 * propose"), spelled as api-spec's {@code RemediationActionType}.
 */
public enum ActionType {
  /** Move a family's devices to a named build (seeds 001, 003). */
  UPGRADE_FIRMWARE,
  /** TrustedCACerts with the CAs the phones need, InferCertChainFromSSL off (seed 000). */
  SET_TRUSTED_CA_CERTS,
  /** Publish CA certificates in AD, then sign in again by USB/AD credentials (seed 001). */
  PUBLISH_AD_CA,
  /** Sign in once by PIN authentication (seed 002). */
  REPROVISION_WITH_PIN,
  /** Send the intermediate from the server (seed 002). */
  SERVE_FULL_CHAIN,
  /** Add the exact FQDN as a SAN (seed 003). */
  ADD_SAN,
  /**
   * Reissue a certificate: with SHA-256 or SHA-1 (seeds 001, 002), from the pool's issuing CA (seed
   * 004), with a supported key, or renewed; {@code details.reissue} says which.
   */
  REISSUE_CERTIFICATE,
  /** Publish an AIA/CDP host in DNS (seed 000: a CNAME). */
  RESOLVE_HOSTS,
  /** Keep TLS 1.0 on the endpoints these devices use. */
  KEEP_TLS_VERSIONS,
  /** Move the change date (a certificate not valid yet at the planned date). */
  RESCHEDULE_CHANGE,
  /** Retire the devices. */
  RETIRE_DEVICES,
  /** Add the model or build UNKNOWN devices run to the catalog (contract.md). */
  ADD_TO_CATALOG,
  /** Add the pool UNKNOWN devices register to to the environment document (contract.md). */
  ADD_POOL_TO_ENVIRONMENT
}
