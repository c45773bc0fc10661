package dev.fleettrust.catalog;

import dev.fleettrust.trust.CapabilityOverrides;
import dev.fleettrust.trust.TlsVersion;
import java.util.Objects;
import java.util.Optional;

/**
 * Capabilities as the API states them: the engine's {@link CapabilityOverrides} plus {@code
 * minTlsVersion}, which the API accepts and returns but the engine does not evaluate (no trust rule
 * depends on it yet).
 */
public record CapabilitiesSpec(CapabilityOverrides overrides, Optional<TlsVersion> minTlsVersion) {
  public static final CapabilitiesSpec NONE =
      new CapabilitiesSpec(CapabilityOverrides.NONE, Optional.empty());

  public CapabilitiesSpec {
    Objects.requireNonNull(overrides, "overrides");
    Objects.requireNonNull(minTlsVersion, "minTlsVersion");
  }
}
