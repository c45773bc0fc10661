package dev.fleettrust.trust;

import java.util.Optional;

/** The outcome of looking a device's model and build up in the catalog. */
public sealed interface FirmwareResolution {

  /** The catalog describes the device. */
  record Resolved(ResolvedFirmware firmware) implements FirmwareResolution {}

  /** The model is not in the catalog: the verdict is {@code UNKNOWN}. */
  record ModelNotInCatalog(String model) implements FirmwareResolution {}

  /**
   * The family is known but not this build: the verdict is {@code UNKNOWN}.
   *
   * @param nearestOlder the newest catalogued build older than the device's, to suggest
   */
  record BuildNotInCatalog(
      DeviceModel model, FirmwareFamily family, String build, Optional<BuildNumber> nearestOlder)
      implements FirmwareResolution {}
}
