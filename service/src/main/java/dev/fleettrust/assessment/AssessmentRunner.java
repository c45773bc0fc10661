package dev.fleettrust.assessment;

import dev.fleettrust.catalog.CatalogSource;
import dev.fleettrust.environment.CurrentEnvironment;
import dev.fleettrust.environment.EnvironmentSource;
import dev.fleettrust.impact.AssessmentOutcome;
import dev.fleettrust.impact.AssessmentRequest;
import dev.fleettrust.impact.Candidate;
import dev.fleettrust.impact.Change;
import dev.fleettrust.impact.ChangeResult;
import dev.fleettrust.impact.Comparison;
import dev.fleettrust.impact.ImpactEngine;
import dev.fleettrust.impact.Progress;
import dev.fleettrust.trust.Catalog;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Gathers what an assessment needs (the catalog and environment in force, a snapshot of the fleet)
 * and runs the engine on it. One engine serves every request, so certificate signature checks stay
 * memoized across assessments.
 */
@Singleton
public final class AssessmentRunner {
  private final ImpactEngine engine = new ImpactEngine();
  private final CatalogSource catalogs;
  private final EnvironmentSource environments;
  private final FleetReader fleet;

  AssessmentRunner(CatalogSource catalogs, EnvironmentSource environments, FleetReader fleet) {
    this.catalogs = catalogs;
    this.environments = environments;
    this.fleet = fleet;
  }

  /** The inputs an assessment ran on: recorded with it so it can be reproduced and audited. */
  public record Inputs(Catalog catalog, CurrentEnvironment environment, FleetSnapshot fleet) {}

  public record Run(Inputs inputs, AssessmentOutcome outcome) {}

  public record Compared(Inputs inputs, Comparison comparison) {}

  public Run assess(List<Change> changes, Instant evaluateAt) {
    return assess(inputs(), changes, evaluateAt, Progress.NONE);
  }

  /** Runs the engine on inputs read earlier, e.g. in the background after a {@code 202}. */
  public Run assess(Inputs inputs, List<Change> changes, Instant evaluateAt, Progress progress) {
    AssessmentOutcome outcome =
        engine.assess(
            new AssessmentRequest(
                inputs.catalog(),
                inputs.environment().environment(),
                inputs.fleet().groups(),
                changes,
                evaluateAt),
            progress);
    return new Run(inputs, outcome);
  }

  /** Why the engine would refuse these changes (an unknown pool or host), if it would. */
  public Optional<ChangeResult.Rejected> rejection(Inputs inputs, List<Change> changes) {
    return inputs.environment().environment().apply(changes) instanceof ChangeResult.Rejected r
        ? Optional.of(r)
        : Optional.empty();
  }

  public Compared compare(List<Candidate> candidates, Instant evaluateAt) {
    Inputs inputs = inputs();
    Comparison comparison =
        engine.compare(
            inputs.catalog(),
            inputs.environment().environment(),
            inputs.fleet().groups(),
            candidates,
            evaluateAt);
    return new Compared(inputs, comparison);
  }

  /** The catalog and environment in force and a snapshot of the fleet, read now. */
  public Inputs inputs() {
    return new Inputs(catalogs.current(), environments.current(), fleet.read());
  }
}
