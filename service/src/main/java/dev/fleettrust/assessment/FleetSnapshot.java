package dev.fleettrust.assessment;

import dev.fleettrust.impact.DeviceGroup;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The active fleet, grouped by trust profile, as it stood at {@code takenAt}. */
public record FleetSnapshot(Instant takenAt, List<DeviceGroup> groups) {
  public FleetSnapshot {
    Objects.requireNonNull(takenAt, "takenAt");
    groups = List.copyOf(groups);
  }

  public int devices() {
    return groups.stream().mapToInt(DeviceGroup::size).sum();
  }
}
