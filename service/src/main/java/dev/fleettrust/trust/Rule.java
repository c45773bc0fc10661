package dev.fleettrust.trust;

import dev.fleettrust.x509.RuleId;

/**
 * The rule IDs the engine reports (trust-rules.md; tests name them and the API returns them), plus
 * the RFC 5280 failures the x509 core reports under their own names, and the reasons a verdict is
 * {@code UNKNOWN}. Extend, never rename.
 */
public enum Rule {
  // trust-rules.md
  UNTRUSTED_ROOT,
  MISSING_INTERMEDIATE,
  WILDCARD_UNSUPPORTED,
  HOSTNAME_MISMATCH,
  SIGNATURE_ALGORITHM_UNSUPPORTED,
  REVOCATION_UNREACHABLE,
  PROVISIONED_CHAIN_MISMATCH,
  EWS_ISSUER_NOT_TRUSTED,
  ANCHOR_EXPIRED,
  CERTIFICATE_EXPIRED,
  NOT_YET_VALID,
  TLS_VERSION_UNSUPPORTED,
  KEY_UNSUPPORTED,
  // RFC 5280 path validation, as the x509 core names them
  SIGNATURE_INVALID,
  BASIC_CONSTRAINTS_VIOLATED,
  PATH_LENGTH_EXCEEDED,
  NAME_CONSTRAINTS_VIOLATED,
  KEY_USAGE_INVALID,
  EKU_NOT_PERMITTED,
  UNHANDLED_CRITICAL_EXTENSION,
  MALFORMED_CERTIFICATE,
  PATH_BUDGET_EXHAUSTED,
  CHAIN_TOO_DEEP,
  // Why a verdict is UNKNOWN: what is missing
  MODEL_NOT_IN_CATALOG,
  FIRMWARE_NOT_IN_CATALOG,
  POOL_NOT_IN_ENVIRONMENT,
  TRUST_STORE_UNKNOWN;

  /** The engine's name for a path-validation rule of the x509 core. */
  public static Rule of(RuleId id) {
    try {
      return valueOf(id.name());
    } catch (IllegalArgumentException e) {
      // Lint IDs never come out of path validation; anything else new is a malformed chain.
      return MALFORMED_CERTIFICATE;
    }
  }
}
