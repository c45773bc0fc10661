package dev.fleettrust.assessment;

import dev.fleettrust.catalog.CatalogSource;
import dev.fleettrust.environment.CurrentEnvironment;
import dev.fleettrust.environment.EnvironmentSource;
import dev.fleettrust.impact.AssessmentOutcome;
import dev.fleettrust.impact.AssessmentRequest;
import dev.fleettrust.impact.Candidate;
import dev.fleettrust.impact.Change;
import dev.fleettrust.impact.Comparison;
import dev.fleettrust.impact.ImpactEngine;
import dev.fleettrust.trust.Catalog;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;

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
    Inputs inputs = inputs();
    AssessmentOutcome outcome =
        engine.assess(
            new AssessmentRequest(
                inputs.catalog(),
                inputs.environment().environment(),
                inputs.fleet().groups(),
                changes,
                evaluateAt));
    return new Run(inputs, outcome);
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

  private Inputs inputs() {
    return new Inputs(catalogs.current(), environments.current(), fleet.read());
  }
}
