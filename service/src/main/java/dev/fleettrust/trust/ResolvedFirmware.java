package dev.fleettrust.trust;

import java.util.Objects;
import java.util.Optional;

/**
 * What the catalog says about a device on a given build: its family, the catalogue entry that
 * describes the build, the resolved capabilities and the built-in root store.
 *
 * @param build the device's build as reported
 * @param entry the catalogued build or series that describes it; empty when the family defaults
 *     apply to an uncatalogued build of a certified line ({@link FirmwareFamily#uncataloguedFrom})
 */
public record ResolvedFirmware(
    DeviceModel model,
    FirmwareFamily family,
    BuildNumber build,
    Optional<FirmwareBuild> entry,
    Capabilities capabilities,
    RootStore builtInRoots) {

  public ResolvedFirmware {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(build, "build");
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(capabilities, "capabilities");
    Objects.requireNonNull(builtInRoots, "builtInRoots");
  }

  /**
   * {@code FAMILY:build}, the name profiles and findings use (issue 3: {@code
   * LPE-AIRES:4.0.7577.4100}).
   */
  public String profileName() {
    return family.id() + ":" + build.text();
  }

  /** This firmware read with other capabilities (the engine's what-if on an unknown one). */
  public ResolvedFirmware withCapabilities(Capabilities other) {
    return new ResolvedFirmware(model, family, build, entry, other, builtInRoots);
  }

  /**
   * Resolves {@code family} at {@code build} with {@code entry} (if any) laid over the defaults.
   */
  static ResolvedFirmware of(
      DeviceModel model, FirmwareFamily family, BuildNumber build, Optional<FirmwareBuild> entry) {
    Capabilities caps = family.defaults().resolveOn(Capabilities.BASELINE);
    RootStore roots = family.builtInRoots();
    if (entry.isPresent()) {
      caps = entry.get().capabilities().resolveOn(caps);
      roots = entry.get().builtInRoots().orElse(roots);
    }
    return new ResolvedFirmware(model, family, build, entry, caps, roots);
  }
}
