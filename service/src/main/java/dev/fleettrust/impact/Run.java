package dev.fleettrust.impact;

import dev.fleettrust.trust.DeviceProfile;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * One simulation of the whole fleet in one world: the distinct profiles and their outcomes, in the
 * same order. Profiles are evaluated in parallel; everything they share is in the world.
 */
record Run(World world, List<DeviceGroup> groups, List<Outcome> outcomes) {
  static final int PARALLEL_FROM = 64;

  static Run of(SignInSimulator simulator, World world, List<DeviceGroup> groups) {
    return of(simulator, world, groups, Progress.NONE);
  }

  static Run of(
      SignInSimulator simulator, World world, List<DeviceGroup> groups, Progress progress) {
    return new Run(
        world,
        groups,
        evaluate(simulator, world, groups, i -> true, UnaryOperator.identity(), null, progress));
  }

  /**
   * Outcomes of the groups in {@code world}, with {@code change} applied to the profiles {@code
   * applies} selects; where {@code unchanged} is given, groups the change does not touch keep the
   * outcome they had there.
   */
  static List<Outcome> evaluate(
      SignInSimulator simulator,
      World world,
      List<DeviceGroup> groups,
      java.util.function.IntPredicate applies,
      UnaryOperator<DeviceProfile> change,
      List<Outcome> unchanged) {
    return evaluate(simulator, world, groups, applies, change, unchanged, Progress.NONE);
  }

  private static List<Outcome> evaluate(
      SignInSimulator simulator,
      World world,
      List<DeviceGroup> groups,
      java.util.function.IntPredicate applies,
      UnaryOperator<DeviceProfile> change,
      List<Outcome> unchanged,
      Progress progress) {
    IntStream indices = IntStream.range(0, groups.size());
    if (groups.size() >= PARALLEL_FROM) {
      indices = indices.parallel();
    }
    return indices
        .mapToObj(
            i -> {
              boolean touched = applies.test(i);
              if (!touched && unchanged != null) {
                return unchanged.get(i);
              }
              progress.checkCancelled();
              DeviceProfile p = groups.get(i).profile();
              Outcome outcome = simulator.evaluate(touched ? change.apply(p) : p, world);
              progress.evaluated(1);
              return outcome;
            })
        .toList();
  }
}
