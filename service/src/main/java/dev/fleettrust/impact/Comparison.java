package dev.fleettrust.impact;

import java.util.List;
import java.util.Objects;

/** Candidates ranked by predicted impact, or the candidate whose change could not apply. */
public sealed interface Comparison {

  /**
   * @param ranked best first: fewest BREAKS, then DEGRADED, then AT_RISK, then UNKNOWN, then lint
   *     errors
   */
  record Ranked(List<RankedCandidate> ranked) implements Comparison {
    public Ranked {
      ranked = List.copyOf(ranked);
    }
  }

  record Rejected(String candidate, ChangeResult.Rejected change) implements Comparison {}

  /** One candidate's place, 1 for the best; equal impact gives equal rank. */
  record RankedCandidate(int rank, String name, Assessment assessment) {
    public RankedCandidate {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(assessment, "assessment");
    }
  }
}
