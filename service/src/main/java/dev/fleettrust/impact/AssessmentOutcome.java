package dev.fleettrust.impact;

/** An assessment, or the change that could not apply to the environment. */
public sealed interface AssessmentOutcome {
  record Assessed(Assessment assessment) implements AssessmentOutcome {}

  record Rejected(ChangeResult.Rejected change) implements AssessmentOutcome {}
}
