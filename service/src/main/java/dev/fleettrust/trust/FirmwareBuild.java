package dev.fleettrust.trust;

import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One catalogued firmware build of a family: what it is called, when it came out, and what it
 * changes relative to the family defaults. A catalogued build with fewer parts names a whole series
 * ({@code 5.9} covers {@code 5.9.0.9373}, see {@link BuildNumber#covers}).
 *
 * @param builtInRoots empty: the family's root store applies
 * @param sources where each stated fact comes from, keyed by capability name, {@code builtInRoots},
 *     {@code releaseName} or {@code releasedOn}
 */
public record FirmwareBuild(
    BuildNumber build,
    Optional<String> releaseName,
    Optional<LocalDate> releasedOn,
    CapabilityOverrides capabilities,
    Optional<RootStore> builtInRoots,
    Map<String, String> sources) {

  public FirmwareBuild {
    Objects.requireNonNull(build, "build");
    Objects.requireNonNull(releaseName, "releaseName");
    Objects.requireNonNull(releasedOn, "releasedOn");
    Objects.requireNonNull(capabilities, "capabilities");
    Objects.requireNonNull(builtInRoots, "builtInRoots");
    sources = Map.copyOf(new TreeMap<>(sources));
  }

  public static FirmwareBuild of(BuildNumber build, CapabilityOverrides capabilities) {
    return new FirmwareBuild(
        build, Optional.empty(), Optional.empty(), capabilities, Optional.empty(), Map.of());
  }
}
