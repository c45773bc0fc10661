package dev.fleettrust.backtest;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One go-live of an assessed change.
 *
 * @param pools the pool FQDNs it touched, lower case; empty means every pool
 */
public record Deployment(
    UUID id,
    UUID assessmentId,
    Instant deployedAt,
    Optional<String> changeRef,
    List<String> pools,
    String recordedBy,
    Instant recordedAt) {
  public Deployment {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(assessmentId, "assessmentId");
    Objects.requireNonNull(deployedAt, "deployedAt");
    Objects.requireNonNull(changeRef, "changeRef");
    pools = List.copyOf(pools);
    Objects.requireNonNull(recordedBy, "recordedBy");
    Objects.requireNonNull(recordedAt, "recordedAt");
  }

  /** Whether the go-live reached devices signing in to {@code pool}. */
  public boolean touches(String pool) {
    return pools.isEmpty() || pools.contains(pool);
  }
}
