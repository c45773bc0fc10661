package dev.fleettrust.impact;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of {@code byModelAndBuild}: how the devices of one model on one build fare.
 *
 * @param family empty when the catalog does not know the model
 */
public record ModelBuildCount(
    String model,
    Optional<String> family,
    String build,
    int devices,
    Map<Verdict, Integer> verdicts) {
  public ModelBuildCount {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(build, "build");
    verdicts = java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(verdicts));
  }
}
