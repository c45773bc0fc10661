package dev.fleettrust.itsm;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Every violation one report run found. It is the whole truth as of {@code asOf}: an open violation
 * it does not list is resolved.
 *
 * @param reportId the report run's identifier, carried by the messages it causes
 * @param asOf the moment the report describes (the messages' {@code time})
 */
public record ViolationReport(String reportId, Instant asOf, List<ViolationGroup> groups) {
  public ViolationReport {
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(asOf, "asOf");
    groups = List.copyOf(groups);
    Set<String> keys = new HashSet<>();
    for (ViolationGroup group : groups) {
      if (!keys.add(group.dedupKey())) {
        throw new IllegalArgumentException(
            "the report lists ("
                + group.rule()
                + ", "
                + group.model()
                + ", "
                + group.build()
                + ") twice; merge the counts into one group");
      }
    }
  }
}
