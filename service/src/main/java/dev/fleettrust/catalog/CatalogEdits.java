package dev.fleettrust.catalog;

import dev.fleettrust.catalog.CatalogEditSpec.BuildSpec;
import dev.fleettrust.catalog.CatalogEditSpec.FamilySpec;
import dev.fleettrust.catalog.CatalogEditSpec.ModelSpec;
import dev.fleettrust.trust.BuildNumber;
import dev.fleettrust.trust.BuiltInRoot;
import dev.fleettrust.trust.CapabilityOverrides;
import dev.fleettrust.trust.Catalog;
import dev.fleettrust.trust.CatalogEdit;
import dev.fleettrust.trust.DeviceModel;
import dev.fleettrust.trust.FirmwareBuild;
import dev.fleettrust.trust.FirmwareFamily;
import dev.fleettrust.trust.RootStore;
import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.CertificateInputException;
import dev.fleettrust.x509.CertificateParser;
import dev.fleettrust.x509.DistinguishedName;
import dev.fleettrust.x509.TrustAnchor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies one {@link CatalogEditSpec} to a {@link CatalogState} through the engine's edit methods
 * ({@link Catalog#withModel}, {@link Catalog#withFamilyDefaults}, {@link Catalog#withBuild}).
 *
 * <p>The API cannot express two engine capabilities ({@code osManagedTrust}, {@code
 * provisioningMethods}); a family or build that is replaced keeps the values it had for them, so
 * putting back what a {@code GET} returned never turns the Windows client into a phone.
 */
final class CatalogEdits {
  /** The source recorded for models put through the API (the engine requires one). */
  static final String MODEL_SOURCE = "PUT /api/v1/catalog/models";

  private static final List<String> ENGINE_ONLY = List.of("osManagedTrust", "provisioningMethods");

  private CatalogEdits() {}

  /** The result of applying an edit. */
  sealed interface Outcome {
    /**
     * @param created the edit adds a model, family or build rather than replacing one
     */
    record Applied(CatalogState state, boolean created) implements Outcome {}

    /** The family the edit names does not exist. */
    record UnknownFamily(String family) implements Outcome {}

    /**
     * A built-in root that does not parse.
     *
     * @param field JSONPath within the request body, e.g. {@code $.builtInRoots[3]}
     * @param pem the field's text
     */
    record InvalidCertificate(String field, String pem, CertificateInputException error)
        implements Outcome {}
  }

  /**
   * {@code spec} over {@code state}; the applied state counts one more edit, with {@code editId}.
   */
  static Outcome apply(CatalogState state, CatalogEditSpec spec, long editId) {
    Objects.requireNonNull(spec, "spec");
    if (spec instanceof ModelSpec m) {
      return model(state, m, editId);
    }
    if (spec instanceof FamilySpec f) {
      return family(state, f, editId);
    }
    return build(state, (BuildSpec) spec, editId);
  }

  private static Outcome model(CatalogState state, ModelSpec spec, long editId) {
    Catalog catalog = state.catalog();
    String key = DeviceModel.key(spec.model());
    boolean created =
        catalog.models().stream().noneMatch(m -> DeviceModel.key(m.model()).equals(key));
    CatalogEdit edit =
        catalog.withModel(
            new DeviceModel(spec.model(), spec.vendor(), spec.family(), MODEL_SOURCE));
    if (edit instanceof CatalogEdit.Applied applied) {
      return new Outcome.Applied(
          next(state, applied.catalog(), state.familiesAsPut(), state.buildsAsPut(), editId),
          created);
    }
    return new Outcome.UnknownFamily(spec.family());
  }

  private static Outcome family(CatalogState state, FamilySpec spec, long editId) {
    Catalog catalog = state.catalog();
    Optional<FirmwareFamily> existing = catalog.family(spec.family());
    RootStore roots = RootStore.UNKNOWN;
    if (spec.builtInRoots() instanceof RootsSpec.Listed listed) {
      Parsed parsed = roots(listed);
      if (parsed.failure != null) {
        return parsed.failure;
      }
      roots = RootStore.known(parsed.roots);
    }
    CapabilityOverrides defaults =
        keepEngineOnly(spec.capabilities().overrides(), existing.map(FirmwareFamily::defaults));
    Map<String, String> sources =
        sources(
            defaults,
            spec.source(),
            spec.builtInRoots() instanceof RootsSpec.Listed,
            existing.map(FirmwareFamily::sources).orElse(Map.of()));
    CatalogEdit edit = catalog.withFamilyDefaults(spec.family(), defaults, roots, sources);
    if (!(edit instanceof CatalogEdit.Applied applied)) {
      return new Outcome.UnknownFamily(spec.family());
    }
    String id = applied.catalog().family(spec.family()).orElseThrow().id();
    Map<String, FamilySpec> families = new HashMap<>(state.familiesAsPut());
    families.put(id, spec);
    return new Outcome.Applied(
        next(state, applied.catalog(), families, state.buildsAsPut(), editId), existing.isEmpty());
  }

  private static Outcome build(CatalogState state, BuildSpec spec, long editId) {
    Catalog catalog = state.catalog();
    Optional<FirmwareFamily> family = catalog.family(spec.family());
    if (family.isEmpty()) {
      return new Outcome.UnknownFamily(spec.family());
    }
    BuildNumber number = BuildNumber.parse(spec.build());
    Optional<FirmwareBuild> existing = family.get().build(number);
    Optional<RootStore> roots = Optional.empty();
    if (spec.builtInRoots() instanceof RootsSpec.Unknown) {
      roots = Optional.of(RootStore.UNKNOWN);
    } else if (spec.builtInRoots() instanceof RootsSpec.Listed listed) {
      Parsed parsed = roots(listed);
      if (parsed.failure != null) {
        return parsed.failure;
      }
      roots = Optional.of(RootStore.known(parsed.roots));
    }
    CapabilityOverrides capabilities =
        keepEngineOnly(spec.capabilities().overrides(), existing.map(FirmwareBuild::capabilities));
    Map<String, String> sources =
        sources(
            capabilities,
            spec.source(),
            !(spec.builtInRoots() instanceof RootsSpec.Inherit),
            existing.map(FirmwareBuild::sources).orElse(Map.of()));
    if (spec.source().isPresent()) {
      sources.put("releaseName", spec.source().get());
      if (spec.releasedOn().isPresent()) {
        sources.put("releasedOn", spec.source().get());
      }
    }
    FirmwareBuild entry =
        new FirmwareBuild(
            number,
            Optional.of(spec.releaseName()),
            spec.releasedOn(),
            capabilities,
            roots,
            sources);
    CatalogEdit edit = catalog.withBuild(spec.family(), entry);
    if (!(edit instanceof CatalogEdit.Applied applied)) {
      return new Outcome.UnknownFamily(spec.family());
    }
    String id = family.get().id();
    Map<String, BuildSpec> builds = new HashMap<>(state.buildsAsPut());
    existing.ifPresent(b -> builds.remove(CatalogState.buildKey(id, b.build())));
    builds.put(CatalogState.buildKey(id, number), spec);
    return new Outcome.Applied(
        next(state, applied.catalog(), state.familiesAsPut(), builds, editId), existing.isEmpty());
  }

  private static CatalogState next(
      CatalogState state,
      Catalog catalog,
      Map<String, FamilySpec> families,
      Map<String, BuildSpec> builds,
      long editId) {
    return new CatalogState(catalog, families, builds, state.editCount() + 1, editId);
  }

  /** The stated overrides plus the engine-only ones the replaced entry had. */
  private static CapabilityOverrides keepEngineOnly(
      CapabilityOverrides stated, Optional<CapabilityOverrides> replaced) {
    if (replaced.isEmpty()) {
      return stated;
    }
    Map<String, Object> merged = new LinkedHashMap<>(stated.toMap());
    Map<String, Object> before = replaced.get().toMap();
    for (String name : ENGINE_ONLY) {
      if (before.containsKey(name)) {
        merged.putIfAbsent(name, before.get(name));
      }
    }
    return ((CapabilityOverrides.Parsed.Ok) CapabilityOverrides.fromMap(merged)).overrides();
  }

  /**
   * The engine's per-fact sources: the API's one {@code source} for every stated fact, the old
   * sources for the engine-only capabilities kept.
   */
  private static Map<String, String> sources(
      CapabilityOverrides capabilities,
      Optional<String> source,
      boolean statesRoots,
      Map<String, String> replaced) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String fact : capabilities.toMap().keySet()) {
      if (ENGINE_ONLY.contains(fact) && replaced.containsKey(fact)) {
        out.put(fact, replaced.get(fact));
      } else {
        source.ifPresent(s -> out.put(fact, s));
      }
    }
    if (statesRoots) {
      source.ifPresent(s -> out.put("builtInRoots", s));
    }
    return out;
  }

  private record Parsed(List<BuiltInRoot> roots, Outcome.InvalidCertificate failure) {}

  private static Parsed roots(RootsSpec.Listed listed) {
    List<BuiltInRoot> roots = new ArrayList<>();
    for (int i = 0; i < listed.roots().size(); i++) {
      RootSpec r = listed.roots().get(i);
      if (r instanceof RootSpec.Pem pem) {
        try {
          for (Certificate c : CertificateParser.parse(pem.pem())) {
            roots.add(BuiltInRoot.of(new TrustAnchor.OfCertificate(c)));
          }
        } catch (CertificateInputException e) {
          return new Parsed(
              List.of(), new Outcome.InvalidCertificate("$.builtInRoots[" + i + "]", pem.pem(), e));
        }
      } else {
        RootSpec.Identity id = (RootSpec.Identity) r;
        String canonical = DistinguishedName.fromRfc4514(id.subject()).canonical();
        roots.add(
            new BuiltInRoot(
                new TrustAnchor.OfIdentity(canonical, id.spkiSha256(), id.notAfter()),
                id.subject()));
      }
    }
    return new Parsed(roots, null);
  }
}
