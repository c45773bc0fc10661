package dev.fleettrust.impact;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The result of one assessment: a verdict per group of devices and the summary, with the catalog
 * version and the evaluation time it was computed for.
 */
public record Assessment(
    String catalogVersion,
    Instant evaluateAt,
    List<GroupResult> groups,
    AssessmentSummary summary) {
  public Assessment {
    groups = List.copyOf(groups);
  }

  /** The result of the group a device belongs to. */
  public Optional<GroupResult> forDevice(String deviceId) {
    return groups.stream().filter(g -> g.group().deviceIds().contains(deviceId)).findFirst();
  }
}
