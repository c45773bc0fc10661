package dev.fleettrust.itsm;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fleettrust.impact.AssessmentSummary;
import dev.fleettrust.impact.RuleCount;
import dev.fleettrust.impact.Verdict;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code fleettrust.impact.assessed}: an assessment as the risk evidence of its change request.
 * Call {@link #assessed} in the transaction that stores the assessment.
 */
@Singleton
public final class ImpactFeed {
  private final ItsmOutbox outbox;
  private final ItsmSettings settings;

  ImpactFeed(ItsmOutbox outbox, ItsmSettings settings) {
    this.outbox = outbox;
    this.settings = settings;
  }

  /** What the message reports about one stored assessment. */
  public record AssessedChange(
      UUID assessmentId,
      Optional<String> changeRef,
      Optional<String> description,
      Instant evaluateAt,
      Instant completedAt,
      AssessmentSummary summary) {
    public AssessedChange {
      Objects.requireNonNull(assessmentId, "assessmentId");
      Objects.requireNonNull(changeRef, "changeRef");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(evaluateAt, "evaluateAt");
      Objects.requireNonNull(completedAt, "completedAt");
      Objects.requireNonNull(summary, "summary");
    }
  }

  /**
   * Enqueues the message on the caller's connection. Its subject is the assessment ID and its dedup
   * key {@code fleettrust-assessment-<id>}.
   *
   * @return the message ID
   */
  public UUID assessed(Connection connection, AssessedChange change) throws SQLException {
    String id = change.assessmentId().toString();
    String assessment = settings.publicBaseUrl() + "/api/v1/impact-assessments/" + id;
    AssessmentSummary summary = change.summary();
    Map<String, Integer> verdicts = new LinkedHashMap<>();
    for (Verdict verdict : Verdict.values()) {
      verdicts.put(verdict.name(), summary.verdicts().get(verdict));
    }
    List<Finding> findings =
        summary.findings().stream()
            .sorted(Comparator.comparingInt(RuleCount::devices).reversed())
            .limit(settings.topFindings())
            .map(f -> new Finding(f.rule().name(), f.devices(), f.message()))
            .toList();
    List<Remediation> remediation =
        summary.remediation().stream()
            .limit(settings.topFindings())
            .map(a -> new Remediation(a.action().name(), a.devicesFixed(), a.description()))
            .toList();
    ImpactAssessed data =
        new ImpactAssessed(
            id,
            change.changeRef().orElse(null),
            change.description().orElse(null),
            change.evaluateAt().toString(),
            RiskLevel.of(summary, settings.criticalBreaksShare()).wireName(),
            summary.devices(),
            verdicts,
            findings,
            remediation,
            assessment,
            assessment
                + "/devices?verdict=BREAKS&verdict=DEGRADED&verdict=AT_RISK&verdict=UNKNOWN");
    return outbox.enqueue(
        connection,
        new OutboundMessage(
            MessageType.IMPACT_ASSESSED,
            id,
            "fleettrust-assessment-" + id,
            change.changeRef(),
            data,
            change.completedAt()));
  }

  /** The {@code data} of {@code fleettrust.impact.assessed} (api-spec/events/). */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record ImpactAssessed(
      String assessmentId,
      @Nullable String changeRef,
      @Nullable String description,
      String evaluateAt,
      String riskLevel,
      int devices,
      Map<String, Integer> verdicts,
      List<Finding> topFindings,
      List<Remediation> remediation,
      String assessment,
      String deviceList) {}

  @Serdeable
  record Finding(String rule, int devices, String message) {}

  @Serdeable
  record Remediation(String action, int devicesFixed, String description) {}
}
