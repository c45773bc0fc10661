package dev.fleettrust.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One run of the compliance report: scheduled for a night or started by an administrator.
 *
 * @param progress percent done, 100 once completed
 * @param phase what the run is doing (or did last)
 */
public record ReportRun(
    UUID id,
    Trigger trigger,
    LocalDate reportDate,
    Status status,
    String phase,
    int progress,
    Instant createdAt,
    String createdBy,
    Optional<Instant> completedAt,
    Optional<String> error) {

  public enum Trigger {
    SCHEDULED,
    MANUAL
  }

  public enum Status {
    PENDING,
    RUNNING,
    COMPLETED,
    FAILED
  }

  public ReportRun {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(reportDate, "reportDate");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(completedAt, "completedAt");
    Objects.requireNonNull(error, "error");
  }
}
