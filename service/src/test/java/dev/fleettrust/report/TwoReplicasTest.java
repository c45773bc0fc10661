package dev.fleettrust.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleettrust.testing.IntegrationTest;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Two replicas started together against one database, both with the schedule on and last night not
 * yet run: their start-up catch-ups race for the night, and exactly one report of it exists.
 */
class TwoReplicasTest {
  @Test
  void twoReplicasStartedTogetherProduceOneReportOfTheMissedNight() throws Exception {
    Map<String, Object> properties = new HashMap<>(IntegrationTest.infrastructureProperties());
    properties.put("fleettrust.report.schedule-enabled", "true");
    properties.put("fleettrust.ingest.enabled", "false");
    // A cron that fired a minute ago at the latest: the night in question is today's.
    properties.put("fleettrust.report.cron", "0 * * * * *");
    List<CompletableFuture<EmbeddedServer>> starting =
        List.of(
            CompletableFuture.supplyAsync(
                () -> ApplicationContext.run(EmbeddedServer.class, properties, "test")),
            CompletableFuture.supplyAsync(
                () -> ApplicationContext.run(EmbeddedServer.class, properties, "test")));
    List<EmbeddedServer> replicas = starting.stream().map(CompletableFuture::join).toList();
    try {
      ReportRuns runs = replicas.get(0).getApplicationContext().getBean(ReportRuns.class);
      ReportSettings settings =
          replicas.get(0).getApplicationContext().getBean(ReportSettings.class);
      LocalDate night = LocalDate.now(settings.zone());
      await().atMost(Duration.ofSeconds(120)).until(() -> completedScheduled(night) >= 1);
      // Both replicas have had their chance (and the per-minute cron more): still one.
      Thread.sleep(3000);
      assertThat(completedScheduled(night)).isEqualTo(1);
      assertThat(runs.nightClaimed(night)).isTrue();
    } finally {
      replicas.forEach(EmbeddedServer::close);
    }
  }

  private static long completedScheduled(LocalDate night) {
    return ComplianceReportTest.sql(
        "SELECT count(*) FROM compliance_report r JOIN compliance_report_run run ON run.id = r.run_id"
            + " WHERE run.trigger = 'SCHEDULED' AND r.report_date = '"
            + night
            + "'");
  }
}
