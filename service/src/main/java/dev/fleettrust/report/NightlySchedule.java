package dev.fleettrust.report;

import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.scheduling.cron.CronExpression;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly run: at the cron time in the configured zone every replica tries to claim the night,
 * one succeeds and runs it (ADR 0513). At start-up a replica runs the most recent night nobody ran,
 * e.g. because every replica was down at 02:00.
 */
@Singleton
@Requires(property = "fleettrust.report.schedule-enabled", notEquals = "false")
final class NightlySchedule {
  private static final Logger LOG = LoggerFactory.getLogger(NightlySchedule.class);

  private final ComplianceReportService reports;
  private final ReportRuns runs;
  private final ReportSettings settings;
  private final ExecutorService executor;
  private final Clock clock = Clock.systemUTC();

  NightlySchedule(
      ComplianceReportService reports,
      ReportRuns runs,
      ReportSettings settings,
      @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
    this.reports = reports;
    this.runs = runs;
    this.settings = settings;
    this.executor = executor;
  }

  @Scheduled(
      cron = "${fleettrust.report.cron:0 0 2 * * *}",
      zoneId = "${fleettrust.report.zone:UTC}")
  void nightly() {
    LocalDate night = LocalDate.now(clock.withZone(settings.zone()));
    runClaimed(night);
  }

  @EventListener
  void onStartup(ServerStartupEvent event) {
    executor.execute(this::catchUp);
  }

  /** Runs the last scheduled night if no replica ran it (nor is running it). */
  void catchUp() {
    try {
      runs.failAbandoned(clock.instant(), settings.staleRunAfter());
      lastScheduledNight().filter(night -> !runs.nightClaimed(night)).ifPresent(this::runClaimed);
    } catch (RuntimeException e) {
      LOG.warn("Could not catch up on a missed compliance report: {}", e.getMessage());
    }
  }

  /** The date of the newest cron time at or before now, in the report's zone. */
  Optional<LocalDate> lastScheduledNight() {
    CronExpression cron = CronExpression.create(settings.cron());
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(settings.zone()));
    ZonedDateTime fire = cron.nextTimeAfter(now.minusDays(8));
    if (fire == null || fire.isAfter(now)) {
      return Optional.empty();
    }
    ZonedDateTime last = fire;
    while (fire != null && !fire.isAfter(now)) {
      last = fire;
      fire = cron.nextTimeAfter(fire);
    }
    return Optional.of(last.toLocalDate());
  }

  private void runClaimed(LocalDate night) {
    if (reports.runNight(night)) {
      LOG.info("Ran the compliance report of {}", night);
    } else {
      LOG.debug("The compliance report of {} is another replica's", night);
    }
  }
}
