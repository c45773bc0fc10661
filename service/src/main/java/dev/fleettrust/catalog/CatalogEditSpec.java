package dev.fleettrust.catalog;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * One catalog edit as the API receives it and the {@code catalog_edit} table keeps it: replaying
 * the stored edits in order over the shipped catalog gives the catalog in force.
 */
public sealed interface CatalogEditSpec {

  /** The kind, as stored in {@code catalog_edit.kind}. */
  Kind kind();

  /** What the edit names, as stored in {@code catalog_edit.key}. */
  String key();

  enum Kind {
    MODEL,
    FAMILY,
    BUILD
  }

  /** {@code PUT /api/v1/catalog/models/{model}}. */
  record ModelSpec(String model, String vendor, String family) implements CatalogEditSpec {
    public ModelSpec {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(vendor, "vendor");
      Objects.requireNonNull(family, "family");
    }

    @Override
    public Kind kind() {
      return Kind.MODEL;
    }

    @Override
    public String key() {
      return model;
    }
  }

  /**
   * {@code PUT /api/v1/catalog/families/{family}}.
   *
   * @param builtInRoots never {@link RootsSpec.Inherit}: a family has nothing to inherit from
   */
  record FamilySpec(
      String family,
      Optional<String> displayName,
      Optional<String> vendor,
      CapabilitiesSpec capabilities,
      RootsSpec builtInRoots,
      Optional<String> source)
      implements CatalogEditSpec {
    public FamilySpec {
      Objects.requireNonNull(family, "family");
      Objects.requireNonNull(displayName, "displayName");
      Objects.requireNonNull(vendor, "vendor");
      Objects.requireNonNull(capabilities, "capabilities");
      Objects.requireNonNull(builtInRoots, "builtInRoots");
      Objects.requireNonNull(source, "source");
      if (builtInRoots instanceof RootsSpec.Inherit) {
        throw new IllegalArgumentException("a family's root store is known or unknown");
      }
    }

    @Override
    public Kind kind() {
      return Kind.FAMILY;
    }

    @Override
    public String key() {
      return family;
    }
  }

  /** {@code PUT /api/v1/catalog/families/{family}/builds/{build}}. */
  record BuildSpec(
      String family,
      String build,
      String releaseName,
      Optional<LocalDate> releasedOn,
      CapabilitiesSpec capabilities,
      RootsSpec builtInRoots,
      Optional<String> source)
      implements CatalogEditSpec {
    public BuildSpec {
      Objects.requireNonNull(family, "family");
      Objects.requireNonNull(build, "build");
      Objects.requireNonNull(releaseName, "releaseName");
      Objects.requireNonNull(releasedOn, "releasedOn");
      Objects.requireNonNull(capabilities, "capabilities");
      Objects.requireNonNull(builtInRoots, "builtInRoots");
      Objects.requireNonNull(source, "source");
    }

    @Override
    public Kind kind() {
      return Kind.BUILD;
    }

    @Override
    public String key() {
      return family + ":" + build;
    }
  }
}
