package dev.fleettrust.x509;

/**
 * Stable rule identifiers. The first group are the device-side rules of trust-rules.md, the second
 * are RFC 5280 path-validation rules, the {@code LINT_} group are the pre-flight lints whose
 * spelling contract.md fixes. Extend, never rename.
 */
public enum RuleId {
  // trust-rules.md
  UNTRUSTED_ROOT,
  MISSING_INTERMEDIATE,
  HOSTNAME_MISMATCH,
  WILDCARD_UNSUPPORTED,
  SIGNATURE_ALGORITHM_UNSUPPORTED,
  CERTIFICATE_EXPIRED,
  NOT_YET_VALID,
  ANCHOR_EXPIRED,
  KEY_UNSUPPORTED,
  // RFC 5280 path validation
  SIGNATURE_INVALID,
  BASIC_CONSTRAINTS_VIOLATION,
  PATH_LENGTH_EXCEEDED,
  NAME_CONSTRAINTS_VIOLATION,
  KEY_USAGE_INVALID,
  EKU_SERVER_AUTH_MISSING,
  UNKNOWN_CRITICAL_EXTENSION,
  MALFORMED_CERTIFICATE,
  PATH_BUDGET_EXHAUSTED,
  CHAIN_TOO_DEEP,
  /** RFC 5280 6.1.3 (f), 6.1.4 (a), 6.1.5 (g): no acceptable policy where one is required. */
  POLICY_CONSTRAINTS_VIOLATION,
  // RFC 5280 6.3 revocation with caller-supplied CRLs
  /** A CRL in scope lists the certificate (reasons other than removeFromCRL). */
  CERTIFICATE_REVOKED,
  /** The only CRL in scope for a certificate is past its nextUpdate at the evaluation time. */
  REVOCATION_STALE,
  /** No usable CRL decides the certificate's status (none in scope, bad signature, ...). */
  REVOCATION_STATUS_UNKNOWN,
  // Pre-flight lints (contract.md)
  LINT_MD5_SIGNATURE,
  LINT_RSASSA_PSS,
  LINT_WILDCARD_CN,
  LINT_NO_SERVER_AUTH_EKU,
  LINT_NO_CRL_DISTRIBUTION_POINT,
  LINT_WEAK_RSA_KEY,
  LINT_NO_SELF_SIGNED_ROOT,
  LINT_EXPIRES_SOON,
  LINT_NOT_ONE_CHAIN
}
