package dev.fleettrust.impact;

import java.util.Map;

/** One line of {@code byModelAndBuild}: how the devices of one model on one build fare. */
public record ModelBuildCount(
    String model, String family, String build, int devices, Map<Verdict, Integer> verdicts) {
  public ModelBuildCount {
    verdicts = java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(verdicts));
  }
}
