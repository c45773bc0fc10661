package dev.fleettrust.impact;

import dev.fleettrust.trust.Catalog;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What to assess: the fleet (grouped by profile), the environment as it stands, the planned changes
 * (empty to evaluate today's environment, e.g. for root expiry at a future date), and when.
 *
 * @param planRemediation whether to compute the remediation plan (a what-if run per action)
 */
public record AssessmentRequest(
    Catalog catalog,
    Environment environment,
    List<DeviceGroup> fleet,
    List<Change> changes,
    Instant evaluateAt,
    boolean planRemediation) {
  public AssessmentRequest {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(environment, "environment");
    fleet = List.copyOf(fleet);
    changes = List.copyOf(changes);
    Objects.requireNonNull(evaluateAt, "evaluateAt");
  }

  public AssessmentRequest(
      Catalog catalog,
      Environment environment,
      List<DeviceGroup> fleet,
      List<Change> changes,
      Instant evaluateAt) {
    this(catalog, environment, fleet, changes, evaluateAt, true);
  }
}
