package dev.fleettrust.environment;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored revision of the environment document; version 0 is the empty document before the first
 * {@code PUT}.
 *
 * @param updatedBy the subject of the token that put it
 */
public record EnvironmentRevision(
    long version,
    EnvironmentDocument document,
    Optional<Instant> updatedAt,
    Optional<String> updatedBy) {
  public EnvironmentRevision {
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(updatedBy, "updatedBy");
    if (version < 0) {
      throw new IllegalArgumentException("version must not be negative");
    }
  }

  public static final EnvironmentRevision NONE =
      new EnvironmentRevision(0, EnvironmentDocument.EMPTY, Optional.empty(), Optional.empty());
}
