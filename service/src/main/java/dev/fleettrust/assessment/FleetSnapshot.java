package dev.fleettrust.assessment;

import dev.fleettrust.impact.DeviceGroup;
import dev.fleettrust.trust.DeviceProfile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The active fleet, grouped by trust profile, as it stood at {@code takenAt}.
 *
 * @param membership the database snapshot ({@code pg_snapshot} text) in which the fleet was read:
 *     stored with an assessment, it names the devices of each fleet group as they were then
 *     (migration V40, ADR 0504)
 * @param fleetGroups for each profile of {@code groups}, the inventory's fleet groups it stands for
 */
public record FleetSnapshot(
    Instant takenAt,
    String membership,
    List<DeviceGroup> groups,
    Map<DeviceProfile, List<FleetGroupShare>> fleetGroups) {
  public FleetSnapshot {
    Objects.requireNonNull(takenAt, "takenAt");
    Objects.requireNonNull(membership, "membership");
    groups = List.copyOf(groups);
    fleetGroups = Map.copyOf(fleetGroups);
  }

  /** One fleet group (table {@code fleet_group}) and how many devices it held in the snapshot. */
  public record FleetGroupShare(long fleetGroupId, int devices) {}

  public int devices() {
    return groups.stream().mapToInt(DeviceGroup::size).sum();
  }

  /** The fleet groups a profile of this snapshot stands for (none for a profile it lacks). */
  public List<FleetGroupShare> fleetGroupsOf(DeviceProfile profile) {
    return fleetGroups.getOrDefault(profile, List.of());
  }
}
