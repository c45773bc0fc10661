package dev.fleettrust.trust;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The firmware catalog: device models, their families, the builds of each family and what each
 * build does. Immutable: every edit derives a new catalog whose version names the content ({@code
 * <base>+<12 hex digits of its SHA-256>}), so an assessment that records the version can be
 * reproduced and the same edits always give the same version.
 */
public final class Catalog {
  private final String baseVersion;
  private final String version;
  private final List<DeviceModel> models;
  private final List<FirmwareFamily> families;
  private final Map<String, DeviceModel> modelsByKey;

  private Catalog(
      String baseVersion, String version, List<DeviceModel> models, List<FirmwareFamily> families) {
    this.baseVersion = Objects.requireNonNull(baseVersion, "baseVersion");
    this.version = Objects.requireNonNull(version, "version");
    List<DeviceModel> sortedModels = new ArrayList<>(models);
    sortedModels.sort(Comparator.comparing(m -> DeviceModel.key(m.model())));
    this.models = List.copyOf(sortedModels);
    List<FirmwareFamily> sortedFamilies = new ArrayList<>(families);
    sortedFamilies.sort(Comparator.comparing(FirmwareFamily::id));
    this.families = List.copyOf(sortedFamilies);
    Map<String, DeviceModel> byKey = new LinkedHashMap<>();
    for (DeviceModel m : this.models) {
      if (byKey.put(DeviceModel.key(m.model()), m) != null) {
        throw new IllegalArgumentException("model listed twice: " + m.model());
      }
      if (family(m.family()).isEmpty()) {
        throw new IllegalArgumentException(
            "model " + m.model() + " names unknown family " + m.family());
      }
    }
    // "HP 4120" is also found as "4120": a model name without its vendor, where unambiguous.
    for (DeviceModel m : this.models) {
      String key = DeviceModel.key(m.model());
      String vendor = DeviceModel.key(m.vendor());
      if (!vendor.isEmpty() && key.startsWith(vendor) && key.length() > vendor.length()) {
        byKey.putIfAbsent(key.substring(vendor.length()), m);
      }
    }
    this.modelsByKey = Map.copyOf(byKey);
  }

  /** A catalog exactly as shipped or stored, under the version it was published with. */
  public static Catalog of(
      String version, List<DeviceModel> models, List<FirmwareFamily> families) {
    String base = version.contains("+") ? version.substring(0, version.indexOf('+')) : version;
    return new Catalog(base, version, models, families);
  }

  public String version() {
    return version;
  }

  public List<DeviceModel> models() {
    return models;
  }

  public List<FirmwareFamily> families() {
    return families;
  }

  /**
   * Finds a model by any common spelling: case, spaces and punctuation do not matter, a vendor
   * prefix may be present or absent ({@code Polycom CX600}, {@code cx-600}), and so may an {@code
   * IP Phone} suffix or Yealink's {@code SIP-} prefix.
   */
  public Optional<DeviceModel> model(String name) {
    String key = DeviceModel.key(name);
    // A model whose catalogued name itself ends in "Phone" is found by its full name.
    DeviceModel exact = modelsByKey.get(key);
    if (exact != null) {
      return Optional.of(exact);
    }
    // "HP 4120 IP Phone", "SIP-T48S" (as Yealink User-Agents name it) and "T48S" meet.
    for (String suffix : List.of("IPPHONE", "PHONE")) {
      if (key.endsWith(suffix) && key.length() > suffix.length()) {
        key = key.substring(0, key.length() - suffix.length());
        break;
      }
    }
    DeviceModel m = modelsByKey.get(key);
    if (m == null && key.startsWith("SIP")) {
      m = modelsByKey.get(key.substring(3));
    }
    if (m != null) {
      return Optional.of(m);
    }
    for (DeviceModel candidate : models) {
      String vendor = DeviceModel.key(candidate.vendor());
      if (!vendor.isEmpty() && key.startsWith(vendor)) {
        DeviceModel stripped = modelsByKey.get(key.substring(vendor.length()));
        if (stripped != null) {
          return Optional.of(stripped);
        }
      }
    }
    return Optional.empty();
  }

  /** Finds a family by its id or an alias, ignoring case. */
  public Optional<FirmwareFamily> family(String idOrAlias) {
    return families.stream().filter(f -> f.answersTo(idOrAlias.strip())).findFirst();
  }

  /** What the catalog says about a device of {@code model} on {@code build}. */
  public FirmwareResolution resolve(String model, String build) {
    Optional<DeviceModel> m = model(model);
    if (m.isEmpty()) {
      return new FirmwareResolution.ModelNotInCatalog(model);
    }
    FirmwareFamily family = family(m.get().family()).orElseThrow();
    BuildNumber number;
    try {
      number = BuildNumber.parse(build);
    } catch (IllegalArgumentException e) {
      return new FirmwareResolution.BuildNotInCatalog(m.get(), family, build, Optional.empty());
    }
    Optional<ResolvedFirmware> resolved = resolveIn(m.get(), family, number);
    if (resolved.isPresent()) {
      return new FirmwareResolution.Resolved(resolved.get());
    }
    Optional<BuildNumber> older =
        family.builds().stream()
            .map(FirmwareBuild::build)
            .filter(b -> b.compareTo(number) < 0)
            .reduce((a, b) -> b);
    return new FirmwareResolution.BuildNotInCatalog(m.get(), family, build, older);
  }

  /**
   * What the catalog says about a build of a family, with no particular model: the x509 verifier's
   * {@code --profile FAMILY:build} (see {@link CatalogProfileLookup}).
   */
  public Optional<ResolvedFirmware> resolveBuild(String familyId, String build) {
    Optional<FirmwareFamily> family = family(familyId);
    if (family.isEmpty()) {
      return Optional.empty();
    }
    BuildNumber number;
    try {
      number = BuildNumber.parse(build);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    FirmwareFamily f = family.get();
    return resolveIn(new DeviceModel(f.id(), f.vendor(), f.id(), "family " + f.id()), f, number);
  }

  /**
   * A build is described by its catalogue entry (exact, else the series that covers it), or by the
   * family defaults from {@link FirmwareFamily#uncataloguedFrom()} on; otherwise it is not known.
   */
  private static Optional<ResolvedFirmware> resolveIn(
      DeviceModel model, FirmwareFamily family, BuildNumber number) {
    Optional<FirmwareBuild> entry = family.entryFor(number);
    if (entry.isPresent()
        || family.uncataloguedFrom().map(from -> from.compareTo(number) <= 0).orElse(false)) {
      return Optional.of(ResolvedFirmware.of(model, family, number, entry));
    }
    return Optional.empty();
  }

  /** Adds or replaces a model (issue 6: {@code PUT /catalog/models/{model}}). */
  public CatalogEdit withModel(DeviceModel model) {
    Optional<FirmwareFamily> family = family(model.family());
    if (family.isEmpty()) {
      return new CatalogEdit.Rejected("family", "unknown family '" + model.family() + "'");
    }
    DeviceModel canonical =
        new DeviceModel(model.model(), model.vendor(), family.get().id(), model.source());
    List<DeviceModel> next = new ArrayList<>();
    for (DeviceModel m : models) {
      if (!DeviceModel.key(m.model()).equals(DeviceModel.key(model.model()))) {
        next.add(m);
      }
    }
    next.add(canonical);
    return new CatalogEdit.Applied(derive(next, families));
  }

  /**
   * Sets a family's defaults, creating the family when it is new (issue 6: {@code PUT
   * /catalog/families/{family}}). Replaces both capabilities and root store: an absent root list is
   * an unknown one.
   */
  public CatalogEdit withFamilyDefaults(
      String familyId,
      CapabilityOverrides defaults,
      RootStore builtInRoots,
      Map<String, String> sources) {
    return withFamilyDefaults(
        familyId, Optional.empty(), Optional.empty(), defaults, builtInRoots, sources);
  }

  /** As above, also naming the family and its vendor (kept when absent). */
  public CatalogEdit withFamilyDefaults(
      String familyId,
      Optional<String> displayName,
      Optional<String> vendor,
      CapabilityOverrides defaults,
      RootStore builtInRoots,
      Map<String, String> sources) {
    if (familyId.isBlank()) {
      return new CatalogEdit.Rejected("family", "must not be blank");
    }
    FirmwareFamily current =
        family(familyId).orElseGet(() -> FirmwareFamily.named(familyId.strip()));
    FirmwareFamily next =
        new FirmwareFamily(
            current.id(),
            displayName.orElse(current.name()),
            vendor.orElse(current.vendor()),
            current.aliases(),
            defaults,
            builtInRoots,
            current.uncataloguedFrom(),
            sources,
            current.builds());
    return new CatalogEdit.Applied(derive(models, replace(next)));
  }

  /** Adds or replaces a build (issue 6: {@code PUT /catalog/families/{family}/builds/{build}}). */
  public CatalogEdit withBuild(String familyId, FirmwareBuild build) {
    Optional<FirmwareFamily> family = family(familyId);
    if (family.isEmpty()) {
      return new CatalogEdit.Rejected("family", "unknown family '" + familyId + "'");
    }
    return new CatalogEdit.Applied(derive(models, replace(family.get().withBuild(build))));
  }

  private List<FirmwareFamily> replace(FirmwareFamily family) {
    List<FirmwareFamily> next = new ArrayList<>();
    for (FirmwareFamily f : families) {
      if (!f.id().equals(family.id())) {
        next.add(f);
      }
    }
    next.add(family);
    return next;
  }

  private Catalog derive(List<DeviceModel> newModels, List<FirmwareFamily> newFamilies) {
    Catalog draft = new Catalog(baseVersion, baseVersion, newModels, newFamilies);
    String content = CatalogJson.write(draft);
    return new Catalog(
        baseVersion, baseVersion + "+" + sha256(content).substring(0, 12), newModels, newFamilies);
  }

  private static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "Catalog " + version;
  }
}
