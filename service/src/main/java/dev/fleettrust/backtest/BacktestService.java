package dev.fleettrust.backtest;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Backtests of assessments against what their devices did after a recorded go-live (issue 17). The
 * API reads them through here; {@link CatalogProposals} looks for catalog corrections in the same
 * figures.
 */
@Singleton
public final class BacktestService {
  /** The window a backtest looks at unless told otherwise. */
  public static final int DEFAULT_WINDOW_HOURS = 24;

  private final DeploymentStore deployments;
  private final BacktestQuery query;

  BacktestService(DeploymentStore deployments, BacktestQuery query) {
    this.deployments = deployments;
    this.query = query;
  }

  /** Which deployment of the assessment a backtest checks. */
  public sealed interface Target {
    record Found(Deployment deployment) implements Target {}

    /** None is recorded, or the one named belongs to another assessment. */
    record NoDeployment(String detail) implements Target {}
  }

  public Target target(UUID assessmentId, Optional<UUID> deploymentId) {
    if (deploymentId.isPresent()) {
      return deployments
          .find(deploymentId.get())
          .filter(d -> d.assessmentId().equals(assessmentId))
          .<Target>map(Target.Found::new)
          .orElse(
              new Target.NoDeployment(
                  "Deployment "
                      + deploymentId.get()
                      + " is not a deployment of assessment "
                      + assessmentId
                      + "."));
    }
    return deployments
        .earliest(assessmentId)
        .<Target>map(Target.Found::new)
        .orElse(
            new Target.NoDeployment(
                "No deployment of assessment "
                    + assessmentId
                    + " is recorded; POST one to /api/v1/impact-assessments/"
                    + assessmentId
                    + "/deployments first."));
  }

  public Backtest backtest(Deployment deployment, int windowHours, Instant now) {
    BacktestQuery.Window window = window(deployment, windowHours, now);
    return deployments.read(
        connection -> {
          List<Backtest.Group> groups = query.groups(connection, deployment.assessmentId());
          List<Backtest.GroupCount> counts = query.counts(connection, window);
          return Backtest.fold(
              deployment, windowHours, window.end(), window.closed(), groups, counts);
        });
  }

  /** A page of devices of the backtest: the filter, where the previous page ended, its size. */
  public List<BacktestDevice> devices(
      Deployment deployment,
      int windowHours,
      Instant now,
      BacktestDeviceFilter filter,
      Optional<String> afterDeviceId,
      int limit) {
    BacktestQuery.Window window = window(deployment, windowHours, now);
    return deployments.read(
        connection -> query.devices(connection, window, filter, afterDeviceId, limit));
  }

  static BacktestQuery.Window window(Deployment deployment, int windowHours, Instant now) {
    Instant end = deployment.deployedAt().plus(Duration.ofHours(windowHours));
    return new BacktestQuery.Window(deployment, end, !now.isBefore(end));
  }

  List<BacktestQuery.OkOutcome> okOutcomes(Connection connection, BacktestQuery.Window window)
      throws java.sql.SQLException {
    return query.okOutcomes(connection, window);
  }
}
