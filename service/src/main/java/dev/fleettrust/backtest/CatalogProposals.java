package dev.fleettrust.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleettrust.assessment.AssessmentStore;
import dev.fleettrust.catalog.BuildView;
import dev.fleettrust.catalog.CapabilitiesSpec;
import dev.fleettrust.catalog.CatalogEditSpec.BuildSpec;
import dev.fleettrust.catalog.CatalogService;
import dev.fleettrust.catalog.CatalogState;
import dev.fleettrust.catalog.RootsSpec;
import dev.fleettrust.environment.EnvironmentSource;
import dev.fleettrust.impact.Change;
import dev.fleettrust.trust.Capability;
import dev.fleettrust.trust.CapabilityOverrides;
import dev.fleettrust.trust.ResolvedFirmware;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A catalog that learns (issue 17): once a deployment's window has closed, the devices predicted
 * {@code OK} that failed are grouped by family and build. When one failure reason covers at least
 * {@value #MIN_DEVICES} devices and half of that build's predicted-OK devices seen in the window,
 * and the assessed change exercised exactly one firmware capability ({@link
 * ExercisedCapabilities}), the catalog is probably wrong about that capability of that build: a
 * correction is proposed with its evidence. An admin accepts it (applied through {@link
 * CatalogService#put}, the path of every catalog edit) or rejects it.
 */
@Singleton
public final class CatalogProposals {
  /** Fewest failing devices that make a cluster rather than bad luck. */
  static final int MIN_DEVICES = 5;

  /** The window proposals are looked for in: the backtest's default. */
  static final Duration WINDOW = Duration.ofHours(BacktestService.DEFAULT_WINDOW_HOURS);

  private static final Logger LOG = LoggerFactory.getLogger(CatalogProposals.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NO_REASON = "(no reason given)";

  private final DeploymentStore deployments;
  private final BacktestService backtests;
  private final AssessmentStore assessments;
  private final EnvironmentSource environments;
  private final CatalogService catalog;

  CatalogProposals(
      DeploymentStore deployments,
      BacktestService backtests,
      AssessmentStore assessments,
      EnvironmentSource environments,
      CatalogService catalog) {
    this.deployments = deployments;
    this.backtests = backtests;
    this.assessments = assessments;
    this.environments = environments;
    this.catalog = catalog;
  }

  /** Where a page of proposals ended. */
  public record Position(Instant createdAt, UUID id) {}

  /** The outcome of accepting or rejecting. */
  public sealed interface Decision {
    record Decided(Proposal proposal) implements Decision {}

    record NotFound() implements Decision {}

    record AlreadyDecided(Proposal proposal) implements Decision {}

    /** The catalog refused the edit (the family was removed since). */
    record CatalogRefused(String detail) implements Decision {}
  }

  @Scheduled(
      fixedDelay = "${fleettrust.backtest.proposal-interval:5m}",
      initialDelay = "${fleettrust.backtest.proposal-initial-delay:1m}")
  void scheduled() {
    try {
      catchUp(Instant.now());
    } catch (RuntimeException e) {
      // The next run tries again; GET /catalog/proposals catches up on its own meanwhile.
      LOG.warn("Looking for catalog proposals failed: {}", e.getMessage());
    }
  }

  /** Looks once at every deployment whose window had closed by {@code now}. */
  public void catchUp(Instant now) {
    for (Deployment d : deployments.unanalysedBefore(now.minus(WINDOW))) {
      deployments.write(connection -> analyse(connection, d, now));
    }
  }

  public List<Proposal> list(
      Optional<Proposal.Status> status, Optional<Position> after, int limit) {
    return deployments.read(
        connection ->
            ProposalStore.list(
                connection,
                status,
                after.map(p -> new ProposalStore.Position(p.createdAt(), p.id())),
                limit));
  }

  /** The open proposals, oldest first: what the nightly report lists. */
  public List<Proposal> open(int limit) {
    return list(Optional.of(Proposal.Status.OPEN), Optional.empty(), limit);
  }

  public Decision reject(UUID id, String decidedBy) {
    return decide(id, decidedBy, false);
  }

  /**
   * Applies the proposal as a catalog edit of its build and marks it accepted, in one transaction.
   */
  public Decision accept(UUID id, String decidedBy) {
    return decide(id, decidedBy, true);
  }

  private Decision decide(UUID id, String decidedBy, boolean accept) {
    return deployments.write(
        connection -> {
          Optional<Proposal> found = ProposalStore.find(connection, id, true);
          if (found.isEmpty()) {
            return new Decision.NotFound();
          }
          Proposal p = found.get();
          if (p.status() != Proposal.Status.OPEN) {
            return new Decision.AlreadyDecided(p);
          }
          Optional<String> version = Optional.empty();
          if (accept) {
            CatalogService.PutOutcome outcome = catalog.put(edit(p), decidedBy);
            if (!(outcome instanceof CatalogService.PutOutcome.Saved saved)) {
              return new Decision.CatalogRefused(
                  "The catalog refused the correction of "
                      + p.family()
                      + " "
                      + p.build()
                      + ": "
                      + outcome);
            }
            version = Optional.of(saved.state().catalog().version());
          }
          Proposal.Status status = accept ? Proposal.Status.ACCEPTED : Proposal.Status.REJECTED;
          ProposalStore.decide(connection, id, status, decidedBy, version);
          return new Decision.Decided(ProposalStore.find(connection, id, false).orElseThrow());
        });
  }

  // ---------------------------------------------------------------- finding proposals

  private Void analyse(Connection connection, Deployment d, Instant now) throws SQLException {
    if (!deployments.markAnalysed(connection, d.id())) {
      return null;
    }
    Optional<AssessmentStore.StoredAssessment> assessment = assessments.find(d.assessmentId());
    if (assessment.isEmpty()) {
      return null;
    }
    List<Change> changes = StoredChanges.read(assessment.get().changesJson());
    Set<Exercise> exercised =
        ExercisedCapabilities.of(changes, environments.current().environment());
    if (exercised.size() != 1) {
      LOG.info(
          "Deployment {} exercised {} capabilities ({}); no single one to correct",
          d.id(),
          exercised.size(),
          exercised);
      return null;
    }
    Exercise exercise = exercised.iterator().next();
    BacktestQuery.Window window =
        BacktestService.window(d, BacktestService.DEFAULT_WINDOW_HOURS, now);
    Map<List<String>, List<BacktestQuery.OkOutcome>> byBuild = new LinkedHashMap<>();
    for (BacktestQuery.OkOutcome o : backtests.okOutcomes(connection, window)) {
      byBuild.computeIfAbsent(List.of(o.family(), o.build()), k -> new ArrayList<>()).add(o);
    }
    for (Map.Entry<List<String>, List<BacktestQuery.OkOutcome>> entry : byBuild.entrySet()) {
      propose(
          connection, d, exercise, entry.getKey().get(0), entry.getKey().get(1), entry.getValue());
    }
    return null;
  }

  private void propose(
      Connection connection,
      Deployment d,
      Exercise exercise,
      String family,
      String build,
      List<BacktestQuery.OkOutcome> outcomes)
      throws SQLException {
    long observed = outcomes.stream().mapToLong(BacktestQuery.OkOutcome::devices).sum();
    List<BacktestQuery.OkOutcome> failures =
        outcomes.stream()
            .filter(o -> o.reason().isPresent())
            .sorted(Comparator.comparingLong(BacktestQuery.OkOutcome::devices).reversed())
            .toList();
    if (failures.isEmpty()) {
      return;
    }
    BacktestQuery.OkOutcome top = failures.get(0);
    if (top.devices() < MIN_DEVICES || top.devices() * 2 < observed) {
      return;
    }
    Optional<ResolvedFirmware> resolved = catalog.current().resolveBuild(family, build);
    Optional<Correction> correction =
        resolved.flatMap(r -> Correction.of(exercise, r.capabilities()));
    if (correction.isEmpty()) {
      return;
    }
    Correction c = correction.get();
    ProposalStore.insert(
        connection,
        new Proposal(
            UUID.randomUUID(),
            d.assessmentId(),
            d.id(),
            family,
            build,
            c.capability().wireName(),
            ProposalStore.json(c.currentValue()),
            ProposalStore.json(c.proposedValue()),
            reason(top),
            top.failed(),
            observed,
            failures.stream().map(o -> new Proposal.ReasonCount(reason(o), o.devices())).toList(),
            Proposal.Status.OPEN,
            Instant.now(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty()));
  }

  private static String reason(BacktestQuery.OkOutcome outcome) {
    String reason = outcome.reason().orElseThrow();
    return reason.isEmpty() ? NO_REASON : reason;
  }

  // ---------------------------------------------------------------- applying one

  /**
   * The catalog edit a proposal stands for: the build as the catalog states it (or, for a build it
   * describes only through a series entry, that entry's facts under the build's own number) with
   * the corrected capability.
   */
  private BuildSpec edit(Proposal p) {
    CatalogState state = catalog.state();
    Correction correction =
        new Correction(
            Capability.fromWireName(p.capability()).orElseThrow(),
            read(p.currentValueJson()),
            read(p.proposedValueJson()));
    String source =
        "Backtest of assessment "
            + p.assessmentId()
            + ": "
            + p.failedDevices().size()
            + " of "
            + p.observedDevices()
            + " devices predicted OK failed with '"
            + p.failureReason()
            + "' (proposal "
            + p.id()
            + ")";
    Optional<BuildView> exact = state.build(p.family(), p.build());
    Optional<BuildSpec> base =
        exact
            .or(
                () ->
                    state
                        .catalog()
                        .resolveBuild(p.family(), p.build())
                        .flatMap(ResolvedFirmware::entry)
                        .flatMap(e -> state.build(p.family(), e.build().text())))
            .map(BuildView::stated);
    CapabilityOverrides stated =
        base.map(b -> b.capabilities().overrides()).orElse(CapabilityOverrides.NONE);
    return new BuildSpec(
        state.catalog().family(p.family()).orElseThrow().id(),
        p.build(),
        exact.map(v -> v.stated().releaseName()).orElse(p.build()),
        exact.flatMap(v -> v.stated().releasedOn()),
        new CapabilitiesSpec(
            correction.applyTo(stated), base.flatMap(b -> b.capabilities().minTlsVersion())),
        base.map(BuildSpec::builtInRoots).orElse(RootsSpec.INHERIT),
        Optional.of(
            exact.flatMap(v -> v.stated().source()).map(s -> s + "; ").orElse("") + source));
  }

  private static Object read(String json) {
    try {
      return JSON.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A stored proposal value does not read back", e);
    }
  }
}
