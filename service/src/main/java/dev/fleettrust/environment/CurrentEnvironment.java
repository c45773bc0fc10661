package dev.fleettrust.environment;

import dev.fleettrust.impact.Environment;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored revision of the environment: what assessments simulate against, and the {@code
 * version} they record so a result can be reproduced.
 */
public record CurrentEnvironment(
    long version,
    Environment environment,
    Optional<Instant> updatedAt,
    Optional<String> updatedBy) {
  public CurrentEnvironment {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(updatedBy, "updatedBy");
  }

  public static final CurrentEnvironment EMPTY =
      new CurrentEnvironment(0, Environment.EMPTY, Optional.empty(), Optional.empty());
}
