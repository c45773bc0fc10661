package dev.fleettrust.itsm;

import dev.fleettrust.impact.AssessmentSummary;
import dev.fleettrust.impact.Verdict;

/**
 * The change risk an assessment puts on its change request: {@code low} with no {@code BREAKS} or
 * {@code DEGRADED} device, {@code moderate} with any {@code DEGRADED}, {@code high} with any {@code
 * BREAKS}, {@code critical} when {@code BREAKS} devices exceed the configured share of the fleet.
 * {@code AT_RISK} and {@code UNKNOWN} devices alone do not raise it: the findings name them.
 */
public enum RiskLevel {
  LOW("low"),
  MODERATE("moderate"),
  HIGH("high"),
  CRITICAL("critical");

  private final String wireName;

  RiskLevel(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /**
   * @param criticalBreaksShare 0 to 1; {@code BREAKS} devices strictly above this share of all
   *     assessed devices make the change critical
   */
  public static RiskLevel of(AssessmentSummary summary, double criticalBreaksShare) {
    int breaks = summary.verdicts().get(Verdict.BREAKS);
    if (breaks > 0) {
      return breaks > criticalBreaksShare * summary.devices() ? CRITICAL : HIGH;
    }
    return summary.verdicts().get(Verdict.DEGRADED) > 0 ? MODERATE : LOW;
  }
}
