package dev.fleettrust.catalog;

import dev.fleettrust.catalog.CatalogEditSpec.BuildSpec;
import java.util.Objects;

/**
 * A catalogued build as the API shows it: what the build itself states, its capabilities laid over
 * the family defaults, and whether its effective root store is known.
 *
 * @param stated the build's own facts (the family and build as the catalog names them)
 * @param effectiveCapabilities the build's capabilities over the family defaults; what neither
 *     states is absent here (the engine then applies {@code Capabilities.BASELINE})
 */
public record BuildView(
    BuildSpec stated, CapabilitiesSpec effectiveCapabilities, boolean builtInRootsKnown) {
  public BuildView {
    Objects.requireNonNull(stated, "stated");
    Objects.requireNonNull(effectiveCapabilities, "effectiveCapabilities");
  }
}
