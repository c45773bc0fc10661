package dev.fleettrust.impact;

import dev.fleettrust.trust.DeviceProfile;
import java.util.Objects;

/** One device of the fleet and its trust profile. */
public record Device(String id, DeviceProfile profile) {
  public Device {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(profile, "profile");
  }
}
