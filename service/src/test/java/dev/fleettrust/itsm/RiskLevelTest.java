package dev.fleettrust.itsm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.impact.AssessmentSummary;
import dev.fleettrust.impact.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RiskLevelTest {
  private static AssessmentSummary summary(int devices, Map<Verdict, Integer> verdicts) {
    return new AssessmentSummary(
        devices, verdicts, List.of(), List.of(), List.of(), "v1", List.of());
  }

  @Test
  void atRiskAndUnknownAloneAreLow() {
    assertThat(
            RiskLevel.of(
                summary(100, Map.of(Verdict.OK, 80, Verdict.AT_RISK, 10, Verdict.UNKNOWN, 10)),
                0.2))
        .isEqualTo(RiskLevel.LOW);
  }

  @Test
  void anyDegradedIsModerate() {
    assertThat(RiskLevel.of(summary(100, Map.of(Verdict.OK, 99, Verdict.DEGRADED, 1)), 0.2))
        .isEqualTo(RiskLevel.MODERATE);
  }

  @Test
  void anyBreaksIsHighUpToTheShareAndCriticalAboveIt() {
    assertThat(RiskLevel.of(summary(100, Map.of(Verdict.BREAKS, 1, Verdict.DEGRADED, 50)), 0.2))
        .isEqualTo(RiskLevel.HIGH);
    assertThat(RiskLevel.of(summary(100, Map.of(Verdict.BREAKS, 20)), 0.2))
        .isEqualTo(RiskLevel.HIGH);
    assertThat(RiskLevel.of(summary(100, Map.of(Verdict.BREAKS, 21)), 0.2))
        .isEqualTo(RiskLevel.CRITICAL);
    assertThat(RiskLevel.of(summary(1500, Map.of(Verdict.BREAKS, 1190)), 0.5))
        .isEqualTo(RiskLevel.CRITICAL);
  }
}
