package dev.fleettrust.report;

import dev.fleettrust.assessment.FleetReader;
import dev.fleettrust.assessment.FleetSnapshot;
import dev.fleettrust.catalog.CatalogSource;
import dev.fleettrust.environment.CurrentEnvironment;
import dev.fleettrust.environment.EnvironmentSource;
import dev.fleettrust.impact.DeviceGroup;
import dev.fleettrust.impact.ImpactEngine;
import dev.fleettrust.inventory.InventoryStoreException;
import dev.fleettrust.itsm.ItsmSettings;
import dev.fleettrust.itsm.ViolationFeed;
import dev.fleettrust.itsm.ViolationReport;
import dev.fleettrust.trust.Catalog;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs compliance reports: gathers the catalog, the environment and a snapshot of the fleet, runs
 * the engine with no change now and at each horizon, and stores the report, its device rows and the
 * run's completion in one transaction. Runs started through the API go to the blocking executor;
 * the nightly schedule ({@link NightlySchedule}) runs in its scheduler thread.
 */
@Singleton
public final class ComplianceReportService {
  private static final Logger LOG = LoggerFactory.getLogger(ComplianceReportService.class);

  private final FleetForecast forecast = new FleetForecast(new ImpactEngine());
  private final CatalogSource catalogs;
  private final EnvironmentSource environments;
  private final RevocationLists revocationLists;
  private final FleetReader fleet;
  private final TransactionOperations<Connection> transactions;
  private final JsonMapper json;
  private final ReportRuns runs;
  private final ReportSettings settings;
  private final ViolationFeed violationFeed;
  private final ItsmSettings itsm;
  private final ExecutorService executor;
  private final Clock clock = Clock.systemUTC();

  ComplianceReportService(
      CatalogSource catalogs,
      EnvironmentSource environments,
      RevocationLists revocationLists,
      FleetReader fleet,
      TransactionOperations<Connection> transactions,
      JsonMapper json,
      ReportRuns runs,
      ReportSettings settings,
      ViolationFeed violationFeed,
      ItsmSettings itsm,
      @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
    this.catalogs = catalogs;
    this.environments = environments;
    this.revocationLists = revocationLists;
    this.fleet = fleet;
    this.transactions = transactions;
    this.json = json;
    this.runs = runs;
    this.settings = settings;
    this.violationFeed = violationFeed;
    this.itsm = itsm;
    this.executor = executor;
  }

  /** Today in the report's zone: the date a run started now reports on. */
  public LocalDate today() {
    return LocalDate.now(clock.withZone(settings.zone()));
  }

  /** Starts a run now in the background ({@code POST /reports/compliance/runs}). */
  public ReportRun start(String startedBy) {
    ReportRun run = runs.createManual(today(), startedBy, clock.instant());
    executor.execute(() -> execute(run));
    return run;
  }

  public Optional<ReportRun> run(java.util.UUID id) {
    return runs.find(id);
  }

  /**
   * Claims the scheduled run of {@code reportDate} and runs it here, unless another replica has it;
   * answers whether this replica ran it.
   */
  boolean runNight(LocalDate reportDate) {
    Optional<ReportRun> claimed = runs.claimNight(reportDate, clock.instant());
    claimed.ifPresent(this::execute);
    return claimed.isPresent();
  }

  /** Runs the report of {@code run} to completion or failure; never throws. */
  void execute(ReportRun run) {
    try {
      runs.progress(run.id(), "reading catalog, environment and fleet", 5, clock.instant());
      Catalog catalog = catalogs.current();
      CurrentEnvironment environment = environments.current();
      List<FleetForecast.RevocationList> crls = revocationLists.current();
      FleetSnapshot snapshot = fleet.read();
      Instant now = snapshot.takenAt();
      List<DeviceGroup> groups = listed(snapshot);
      runs.progress(run.id(), "simulating today and 30/60/90 days ahead", 25, clock.instant());
      FleetForecast.Forecast predicted =
          forecast.forecast(catalog, environment.environment(), groups, now, crls);
      runs.progress(run.id(), "writing sections and trend", 70, clock.instant());
      ComplianceReportWriter.Inputs inputs =
          new ComplianceReportWriter.Inputs(
              run.reportDate(),
              now,
              catalog,
              environment.version(),
              FirmwareBaseline.of(catalog, settings.firmwareBaseline()),
              predicted,
              crls,
              settings.staleAfter());
      transactions.executeWrite(
          status -> {
            Connection connection = status.getConnection();
            ComplianceReportWriter writer = new ComplianceReportWriter(connection, json, run.id());
            writer.write(inputs);
            // The hand-off to the ITSM outbox commits or rolls back with the report.
            violationFeed.publish(
                connection,
                new ViolationReport(
                    run.id().toString(),
                    now,
                    writer.violations(run.reportDate(), itsm.publicBaseUrl())));
            ReportRuns.complete(connection, run.id(), clock.instant());
            return null;
          });
      LOG.info("Compliance report {} for {} completed", run.id(), run.reportDate());
    } catch (RuntimeException e) {
      LOG.error("Compliance report {} for {} failed", run.id(), run.reportDate(), e);
      try {
        runs.fail(run.id(), String.valueOf(e.getMessage()), clock.instant());
      } catch (InventoryStoreException stored) {
        LOG.error("Could not record the failure of report run {}", run.id(), stored);
      }
    }
  }

  /**
   * The snapshot's groups with their devices: the snapshot counts each profile's devices (ADR
   * 0504), and the report lists every device of a finding, so it replays the fleet groups'
   * membership as that snapshot saw it.
   */
  private List<DeviceGroup> listed(FleetSnapshot snapshot) {
    return transactions.executeRead(
        status -> {
          Map<Long, List<String>> members = new HashMap<>();
          try (PreparedStatement select =
              status
                  .getConnection()
                  .prepareStatement(
                      """
                      SELECT m.group_id, m.device_id FROM fleet_group_member m
                       WHERE fleet_group_member_in(?::pg_snapshot, m.joined_xid, m.left_xid)
                       ORDER BY m.group_id, m.device_id
                      """)) {
            select.setString(1, snapshot.membership());
            try (ResultSet row = select.executeQuery()) {
              while (row.next()) {
                members
                    .computeIfAbsent(row.getLong(1), g -> new ArrayList<>())
                    .add(row.getString(2));
              }
            }
          }
          List<DeviceGroup> groups = new ArrayList<>(snapshot.groups().size());
          for (DeviceGroup group : snapshot.groups()) {
            if (group.deviceIds().size() == group.size()) {
              groups.add(group);
              continue;
            }
            List<String> ids = new ArrayList<>(group.size());
            for (FleetSnapshot.FleetGroupShare share : snapshot.fleetGroupsOf(group.profile())) {
              ids.addAll(members.getOrDefault(share.fleetGroupId(), List.of()));
            }
            groups.add(new DeviceGroup(group.profile(), ids));
          }
          return groups;
        });
  }
}
