package dev.fleettrust.impact;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The verdict for one group of devices with one profile.
 *
 * @param profileHash {@link dev.fleettrust.trust.DeviceProfile#hash()}
 * @param family the firmware family, when the catalog knows the model
 */
public record GroupResult(
    DeviceGroup group,
    String profileHash,
    Optional<String> family,
    Verdict verdict,
    List<Finding> findings) {
  public GroupResult {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(profileHash, "profileHash");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(verdict, "verdict");
    findings = List.copyOf(findings);
  }
}
