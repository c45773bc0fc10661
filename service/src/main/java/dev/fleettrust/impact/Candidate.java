package dev.fleettrust.impact;

import java.util.List;
import java.util.Objects;

/** One candidate change set to compare (issue 6, {@code POST /impact-assessments/compare}). */
public record Candidate(String name, List<Change> changes) {
  public Candidate {
    Objects.requireNonNull(name, "name");
    changes = List.copyOf(changes);
  }
}
