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
 * assessment cover a million devices").
 */
public record DeviceGroup(DeviceProfile profile, List<String> deviceIds) {
  public DeviceGroup {
    Objects.requireNonNull(profile, "profile");
    deviceIds = List.copyOf(deviceIds);
  }

  public int size() {
    return deviceIds.size();
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
