package dev.fleettrust.impact;

import dev.fleettrust.trust.DeviceProfile;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Devices that share one trust profile, and so one evaluation (issue 4: "this is what lets one
 * assessment cover a million devices"). The engine needs only how many they are; a group read from
 * the inventory's counts ({@link #counted}) carries no device IDs, one built from devices does.
 *
 * @param deviceIds the devices, or empty when only their number is known
 */
public record DeviceGroup(DeviceProfile profile, int size, List<String> deviceIds) {
  public DeviceGroup {
    Objects.requireNonNull(profile, "profile");
    deviceIds = List.copyOf(deviceIds);
    if (size < 0 || !(deviceIds.isEmpty() || deviceIds.size() == size)) {
      throw new IllegalArgumentException(
          "A group of " + size + " devices cannot list " + deviceIds.size());
    }
  }

  public DeviceGroup(DeviceProfile profile, List<String> deviceIds) {
    this(profile, deviceIds.size(), deviceIds);
  }

  /** A group known by its size only (issue 12: assessments cost in profiles, not devices). */
  public static DeviceGroup counted(DeviceProfile profile, int size) {
    return new DeviceGroup(profile, size, List.of());
  }

  /** Both groups' devices under this group's profile; IDs only when both list theirs. */
  DeviceGroup with(DeviceGroup other) {
    boolean listed = size == deviceIds.size() && other.size == other.deviceIds.size();
    List<String> ids = new ArrayList<>();
    if (listed) {
      ids.addAll(deviceIds);
      ids.addAll(other.deviceIds);
    }
    return new DeviceGroup(profile, size + other.size, ids);
  }

  /** Groups devices by equal profiles, in order of first appearance. */
  public static List<DeviceGroup> group(Collection<Device> devices) {
    Map<DeviceProfile, List<String>> byProfile = new LinkedHashMap<>();
    for (Device d : devices) {
      byProfile.computeIfAbsent(d.profile(), k -> new ArrayList<>()).add(d.id());
    }
    List<DeviceGroup> groups = new ArrayList<>(byProfile.size());
    byProfile.forEach((p, ids) -> groups.add(new DeviceGroup(p, ids)));
    return groups;
  }
}
