package dev.fleettrust.catalog;

import dev.fleettrust.trust.BuildNumber;
import dev.fleettrust.trust.Capabilities;
import dev.fleettrust.trust.Catalog;
import dev.fleettrust.trust.CatalogJson;
import dev.fleettrust.trust.DeviceModel;
import dev.fleettrust.trust.FirmwareFamily;
import dev.fleettrust.x509.ClientProfile;
import dev.fleettrust.x509.ProfileLookup;
import java.util.Locale;
import java.util.Optional;

/**
 * Catalog profiles for the offline verifier ({@code deploy/local/verify.sh --profile
 * LPE-AIRES:4.0.7577.4100}), registered through {@code
 * META-INF/services/dev.fleettrust.x509.ProfileLookup}. A name is {@code FAMILY:build}: the
 * effective {@link ClientProfile} of that build exactly as assessments resolve it ({@link
 * Catalog#resolve(DeviceModel, BuildNumber)}: the catalogued build or series, or the family
 * defaults for an uncatalogued build of a certified line); a bare {@code FAMILY} gives the family
 * defaults. The verifier runs without a database, so this reads the shipped catalog only: edits
 * made through the API are not seen.
 */
public final class CatalogProfileLookup implements ProfileLookup {
  private volatile Catalog catalog;

  /** For {@link java.util.ServiceLoader}; the catalog is read on the first look-up. */
  public CatalogProfileLookup() {}

  CatalogProfileLookup(Catalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public Optional<ClientProfile> find(String name) {
    String trimmed = name.strip();
    if (trimmed.isEmpty()
        || trimmed.toUpperCase(Locale.ROOT).replace('-', '_').equals(ClientProfile.WEB_PKI)) {
      return Optional.empty();
    }
    int colon = trimmed.indexOf(':');
    String familyName = colon < 0 ? trimmed : trimmed.substring(0, colon).strip();
    Optional<FirmwareFamily> family = catalog().family(familyName);
    if (family.isEmpty()) {
      return Optional.empty();
    }
    if (colon < 0) {
      return Optional.of(
          family
              .get()
              .defaults()
              .resolveOn(Capabilities.BASELINE)
              .clientProfile(family.get().id()));
    }
    BuildNumber build;
    try {
      build = BuildNumber.parse(trimmed.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    DeviceModel anyModel = new DeviceModel("verify", "", family.get().id(), "verify.sh");
    return catalog()
        .resolve(anyModel, build)
        .map(r -> r.capabilities().clientProfile(r.profileName()));
  }

  private Catalog catalog() {
    Catalog c = catalog;
    if (c == null) {
      c = CatalogJson.loadBundled();
      catalog = c;
    }
    return c;
  }
}
