package dev.fleettrust.report;

import dev.fleettrust.trust.BuildNumber;
import dev.fleettrust.trust.Catalog;
import dev.fleettrust.trust.FirmwareFamily;
import dev.fleettrust.trust.FirmwareResolution;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The minimum build per firmware family and how each (model, build) pair of the fleet stands
 * against it. The default minimum is the catalog's minimum certified build ({@code
 * uncataloguedFrom}: VVX UCS 5.4.0A, Yealink X.8.1.52, AudioCodes 3.0.0.459.1); configuration adds
 * or overrides per family (LPE-AIRES 4.0.7577.4420, CU11, ships configured: the first build whose
 * root store holds the 2013/14 public roots, trust-rules.md {@code UNTRUSTED_ROOT}).
 */
final class FirmwareBaseline {
  /** Where a family's minimum comes from. */
  enum Source {
    CATALOG,
    CONFIGURED
  }

  record Minimum(String family, BuildNumber build, Source source) {}

  /**
   * How one (model, build) pair of the fleet stands.
   *
   * @param family the catalog family, empty for a model the catalog does not know
   * @param ruleIds baseline rule IDs: below the minimum, build not in the catalog
   * @param modelKnown whether the catalog knows the model
   */
  record Standing(
      String model,
      String build,
      Optional<String> family,
      Set<String> ruleIds,
      boolean modelKnown,
      Optional<String> minimum) {}

  private final Map<String, Minimum> minimums;

  private FirmwareBaseline(Map<String, Minimum> minimums) {
    this.minimums = minimums;
  }

  static FirmwareBaseline of(Catalog catalog, Map<String, String> configured) {
    Map<String, Minimum> minimums = new LinkedHashMap<>();
    for (FirmwareFamily family : catalog.families()) {
      family
          .uncataloguedFrom()
          .ifPresent(b -> minimums.put(family.id(), new Minimum(family.id(), b, Source.CATALOG)));
    }
    configured.forEach(
        (name, build) -> {
          String id =
              catalog.family(name).map(FirmwareFamily::id).orElse(name.toUpperCase(Locale.ROOT));
          minimums.put(id, new Minimum(id, BuildNumber.parse(build), Source.CONFIGURED));
        });
    return new FirmwareBaseline(Map.copyOf(minimums));
  }

  List<Minimum> minimums() {
    List<Minimum> list = new ArrayList<>(minimums.values());
    list.sort(java.util.Comparator.comparing(Minimum::family));
    return list;
  }

  Standing stand(Catalog catalog, String model, String build) {
    String m = Objects.requireNonNullElse(model, "");
    String b = Objects.requireNonNullElse(build, "");
    FirmwareResolution resolution = catalog.resolve(m, b);
    Set<String> rules = new LinkedHashSet<>();
    Optional<FirmwareFamily> family = Optional.empty();
    if (resolution instanceof FirmwareResolution.Resolved r) {
      family = Optional.of(r.firmware().family());
    } else if (resolution instanceof FirmwareResolution.BuildNotInCatalog n) {
      rules.add(ReportRule.FIRMWARE_NOT_IN_CATALOG.name());
      family = Optional.of(n.family());
    }
    Optional<Minimum> minimum = family.map(f -> minimums.get(f.id()));
    if (minimum.isPresent() && below(b, minimum.get().build())) {
      rules.add(ReportRule.FIRMWARE_BELOW_BASELINE.name());
    }
    return new Standing(
        m,
        b,
        family.map(FirmwareFamily::id),
        rules,
        family.isPresent(),
        minimum.map(x -> x.build().text()));
  }

  private static boolean below(String build, BuildNumber minimum) {
    try {
      return BuildNumber.parse(build).compareTo(minimum) < 0;
    } catch (IllegalArgumentException e) {
      // A build that is not a build number cannot be shown to meet the minimum.
      return true;
    }
  }
}
