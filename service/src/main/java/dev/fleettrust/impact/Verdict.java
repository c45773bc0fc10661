package dev.fleettrust.impact;

/** What the next sign-in will do (trust-rules.md, "Verdicts"), worst first. */
public enum Verdict {
  /** Sign-in will fail. */
  BREAKS,
  /** Sign-in works but a feature fails (Exchange integration). */
  DEGRADED,
  /**
   * It depends on something the inventory does not know; the findings name what would decide it.
   */
  AT_RISK,
  /** Every rule passes with what is known. */
  OK,
  /**
   * The model or firmware is not in the catalog, or nothing is known of the device's trust store.
   */
  UNKNOWN;

  /** The worse of two verdicts for one device (UNKNOWN is decided before any rule runs). */
  Verdict worst(Verdict other) {
    return ordinal() <= other.ordinal() ? this : other;
  }
}
