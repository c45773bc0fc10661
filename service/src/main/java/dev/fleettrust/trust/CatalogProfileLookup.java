package dev.fleettrust.trust;

import dev.fleettrust.x509.ClientProfile;
import dev.fleettrust.x509.ProfileLookup;
import java.util.Optional;

/**
 * Client profiles by catalog name for the x509 core's offline verifier ({@code
 * deploy/local/verify.sh --profile LPE-AIRES:4.0.7577.4100}, issue 3): {@code FAMILY:build}
 * resolved in the bundled catalog. Registered through {@code
 * META-INF/services/dev.fleettrust.x509.ProfileLookup}.
 */
public final class CatalogProfileLookup implements ProfileLookup {
  private final Catalog catalog;

  public CatalogProfileLookup() {
    this(CatalogJson.loadBundled());
  }

  public CatalogProfileLookup(Catalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public Optional<ClientProfile> find(String name) {
    int colon = name.indexOf(':');
    if (colon <= 0 || colon == name.length() - 1) {
      return Optional.empty();
    }
    return catalog
        .resolveBuild(name.substring(0, colon), name.substring(colon + 1))
        .map(f -> f.capabilities().clientProfile(f.profileName()));
  }
}
