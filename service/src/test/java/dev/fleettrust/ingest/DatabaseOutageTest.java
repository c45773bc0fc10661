package dev.fleettrust.ingest;

import static dev.fleettrust.ingest.IngestTesting.number;
import static dev.fleettrust.ingest.IngestTesting.structured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleettrust.embedded.SharedInfrastructure;
import dev.fleettrust.ingest.fleet.FleetGenerator;
import dev.fleettrust.testing.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away mid-stream and comes back. The consumer pauses, retries the same batch with
 * backoff and skips no offset: every event is stored once after the restart.
 */
@MicronautTest(transactional = false)
class DatabaseOutageTest extends IntegrationTest {
  private static final String TOPIC = IngestTesting.uniqueTopic("outage");
  private static final String GROUP = TOPIC + "-group";

  @Inject MeterRegistry registry;

  @Override
  public Map<String, String> getProperties() {
    IngestTesting.createTopic(TOPIC, 3);
    Map<String, String> properties = IngestTesting.ownTopic(super.getProperties(), TOPIC);
    // Fail fast while the database is down, so the test sees several retries.
    properties.put("datasources.default.connection-timeout", "2000");
    properties.put("fleettrust.ingest.max-poll-records", "300");
    return properties;
  }

  @Test
  void aPostgresRestartMidStreamLosesAndDoublesNothing() throws Exception {
    FleetGenerator fleet = IngestTesting.fleet(600);
    List<FleetGenerator.GeneratedEvent> events = fleet.events().toList();
    String[] devices = IngestTesting.deviceIds(fleet);
    int half = events.size() / 2;
    SharedInfrastructure.Restartable postgres = SharedInfrastructure.endpoints().postgres();

    try (KafkaProducer<byte[], byte[]> producer = IngestTesting.producer()) {
      for (FleetGenerator.GeneratedEvent event : events.subList(0, half)) {
        producer.send(structured(TOPIC, event.key(), event.json()));
      }
      producer.flush();
      IngestTesting.awaitCaughtUp(TOPIC, GROUP, Duration.ofSeconds(60));
      assertThat(stored(devices)).isEqualTo(half);

      double retriesBefore = retries();
      postgres.stop();
      try {
        for (FleetGenerator.GeneratedEvent event : events.subList(half, events.size())) {
          producer.send(structured(TOPIC, event.key(), event.json()));
        }
        producer.flush();
        // The consumer notices, pauses and retries; it commits nothing meanwhile.
        await().atMost(Duration.ofSeconds(60)).until(() -> retries() >= retriesBefore + 2);
        assertThat(IngestTesting.caughtUp(TOPIC, GROUP)).isFalse();
      } finally {
        postgres.start();
      }
    }

    IngestTesting.awaitCaughtUp(TOPIC, GROUP, Duration.ofSeconds(120));
    assertThat(stored(devices)).isEqualTo(events.size());
    assertThat(
            number(
                "SELECT count(DISTINCT event_id) FROM device_event WHERE device_id = ANY(?)",
                (Object) devices))
        .isEqualTo(events.size());
    assertThat(
            number(
                "SELECT count(*) FROM ingested_event WHERE event_id IN"
                    + " (SELECT event_id FROM device_event WHERE device_id = ANY(?))",
                (Object) devices))
        .isEqualTo(events.size());
  }

  private double retries() {
    var counter = registry.find("fleettrust.ingest.retries").counter();
    return counter == null ? 0 : counter.count();
  }

  private static long stored(String[] devices) {
    return number("SELECT count(*) FROM device_event WHERE device_id = ANY(?)", (Object) devices);
  }
}
