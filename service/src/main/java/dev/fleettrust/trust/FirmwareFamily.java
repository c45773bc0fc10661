package dev.fleettrust.trust;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A firmware family: the defaults every build shares and the catalogued builds that override them.
 *
 * @param id the family identifier used in the API and the profile names, e.g. {@code LPE-AIRES}
 * @param aliases other spellings accepted on look-up (case-insensitive)
 * @param defaults capabilities every build has unless it says otherwise
 * @param builtInRoots the root store builds inherit unless they state their own
 * @param uncataloguedFrom when present, a build at or above this one that the catalog does not list
 *     takes the family defaults (used where the facts hold for the whole certified line, such as
 *     3PIP phones from their minimum certified build); when absent, an uncatalogued build is {@code
 *     UNKNOWN}
 * @param sources where each family-level fact comes from
 * @param builds the catalogued builds, oldest first
 */
public record FirmwareFamily(
    String id,
    String name,
    String vendor,
    List<String> aliases,
    CapabilityOverrides defaults,
    RootStore builtInRoots,
    Optional<BuildNumber> uncataloguedFrom,
    Map<String, String> sources,
    List<FirmwareBuild> builds) {

  public FirmwareFamily {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(vendor, "vendor");
    aliases = List.copyOf(aliases);
    Objects.requireNonNull(defaults, "defaults");
    Objects.requireNonNull(builtInRoots, "builtInRoots");
    Objects.requireNonNull(uncataloguedFrom, "uncataloguedFrom");
    sources = Map.copyOf(new TreeMap<>(sources));
    List<FirmwareBuild> sorted = new ArrayList<>(builds);
    sorted.sort(Comparator.comparing(FirmwareBuild::build));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).build().sameAs(sorted.get(i - 1).build())) {
        throw new IllegalArgumentException(
            "family " + id + " lists build " + sorted.get(i).build() + " twice");
      }
    }
    builds = List.copyOf(sorted);
  }

  /** A new, empty family with nothing stated. */
  public static FirmwareFamily named(String id) {
    return new FirmwareFamily(
        id,
        id,
        "",
        List.of(),
        CapabilityOverrides.NONE,
        RootStore.UNKNOWN,
        Optional.empty(),
        Map.of(),
        List.of());
  }

  /** This family with {@code build} added, or replacing the catalogued build of the same number. */
  public FirmwareFamily withBuild(FirmwareBuild build) {
    List<FirmwareBuild> next = new ArrayList<>();
    for (FirmwareBuild b : builds) {
      if (!b.build().sameAs(build.build())) {
        next.add(b);
      }
    }
    next.add(build);
    return new FirmwareFamily(
        id, name, vendor, aliases, defaults, builtInRoots, uncataloguedFrom, sources, next);
  }

  /** The catalogued build with exactly this number. */
  public Optional<FirmwareBuild> build(BuildNumber number) {
    return builds.stream().filter(b -> b.build().sameAs(number)).findFirst();
  }

  /**
   * The catalogue entry describing a device on {@code number}: the exact build, else the most
   * specific series entry that covers it.
   */
  public Optional<FirmwareBuild> entryFor(BuildNumber number) {
    Optional<FirmwareBuild> exact = build(number);
    if (exact.isPresent()) {
      return exact;
    }
    return builds.stream()
        .filter(b -> b.build().covers(number))
        .max(Comparator.comparingInt(b -> b.build().parts().size()));
  }

  /** Whether {@code alias} names this family. */
  public boolean answersTo(String alias) {
    return id.equalsIgnoreCase(alias) || aliases.stream().anyMatch(a -> a.equalsIgnoreCase(alias));
  }
}
