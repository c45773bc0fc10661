package dev.fleettrust.report;

/**
 * The rule IDs the compliance report adds to the engine's ({@link dev.fleettrust.trust.Rule}): why
 * a device is in a section when no trust rule put it there. Extend, never rename; api-spec's {@code
 * ComplianceRuleId} spells the same names.
 */
enum ReportRule {
  /** Firmware baseline: the build is below the family's minimum. */
  FIRMWARE_BELOW_BASELINE,
  /** Firmware baseline: the catalog does not know the build (the engine's own ID). */
  FIRMWARE_NOT_IN_CATALOG,
  /** Drift: the device failed to sign in within the last 24 hours. */
  SIGN_IN_FAILURE_OBSERVED,
  /** Expiry horizon: a CA's CRL in the path passes its nextUpdate (seed 002: offline roots). */
  CRL_NEXT_UPDATE_DUE,
  /** Stale: not seen for the configured number of days. */
  NOT_SEEN_RECENTLY,
  /** Never seen provisioning (the engine's own ID). */
  NEVER_PROVISIONED,
  /** The model is not in the catalog (the engine's own ID). */
  MODEL_NOT_IN_CATALOG,
  /** The device's User-Agent matches no known format. */
  USER_AGENT_UNRECOGNISED
}
