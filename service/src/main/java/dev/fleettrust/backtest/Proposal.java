package dev.fleettrust.backtest;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A proposed catalog correction with its evidence.
 *
 * @param currentValueJson the build's effective value when proposed, JSON
 * @param proposedValueJson the value the failures suggest, JSON
 * @param failedDevices the predicted-OK devices that failed with {@code failureReason}
 * @param observedDevices predicted-OK devices of the build seen in the window
 * @param failureReasons every failure reason of those devices with its count, most first
 */
public record Proposal(
    UUID id,
    UUID assessmentId,
    UUID deploymentId,
    String family,
    String build,
    String capability,
    String currentValueJson,
    String proposedValueJson,
    String failureReason,
    List<String> failedDevices,
    long observedDevices,
    List<ReasonCount> failureReasons,
    Status status,
    Instant createdAt,
    Optional<Instant> decidedAt,
    Optional<String> decidedBy,
    Optional<String> catalogVersion) {

  public enum Status {
    OPEN,
    ACCEPTED,
    REJECTED
  }

  public record ReasonCount(String reason, long devices) {}

  public Proposal {
    Objects.requireNonNull(id, "id");
    failedDevices = List.copyOf(failedDevices);
    failureReasons = List.copyOf(failureReasons);
    Objects.requireNonNull(status, "status");
  }
}
