package dev.fleettrust.ingest;

import static dev.fleettrust.ingest.IngestTesting.number;
import static dev.fleettrust.ingest.IngestTesting.structured;
import static org.awaitility.Awaitility.await;

import dev.fleettrust.ingest.fleet.FleetGenerator;
import dev.fleettrust.testing.IntegrationTest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * Scale-out is more members in one consumer group. Two consumers share six partitions; one joins
 * mid-stream and leaves again, forcing two rebalances while batches are in flight. Every event must
 * be stored exactly once.
 */
@MicronautTest(transactional = false)
class RebalanceTest extends IntegrationTest {
  private static final String TOPIC = IngestTesting.uniqueTopic("rebalance");
  private static final String GROUP = TOPIC + "-group";

  @Inject IngestConsumers consumers;

  @Override
  public Map<String, String> getProperties() {
    IngestTesting.createTopic(TOPIC, 6);
    Map<String, String> properties = IngestTesting.ownTopic(super.getProperties(), TOPIC);
    // Small batches, so that many are in flight when the group rebalances.
    properties.put("fleettrust.ingest.max-poll-records", "200");
    return properties;
  }

  @Test
  void twoConsumersInOneGroupStoreEveryEventOnceAcrossRebalances() throws Exception {
    FleetGenerator fleet = IngestTesting.fleet(2_000);
    List<FleetGenerator.GeneratedEvent> events = fleet.events().toList();
    String[] devices = IngestTesting.deviceIds(fleet);
    int half = events.size() / 2;

    try (KafkaProducer<byte[], byte[]> producer = IngestTesting.producer()) {
      for (FleetGenerator.GeneratedEvent event : events.subList(0, half)) {
        producer.send(structured(TOPIC, event.key(), event.json()));
      }
      producer.flush();
      await().atMost(Duration.ofSeconds(60)).until(() -> stored(devices) > 0);

      try (IngestConsumers.Running second = consumers.start()) {
        for (FleetGenerator.GeneratedEvent event : events.subList(half, events.size())) {
          producer.send(structured(TOPIC, event.key(), event.json()));
        }
        producer.flush();
        // Let the second member take partitions and store some batches before it leaves.
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> stored(devices) > half + (events.size() - half) / 4);
      }
    }
    IngestTesting.awaitCaughtUp(TOPIC, GROUP, Duration.ofSeconds(120));

    IngestTesting.assertAppliedOnce(fleet, events);
  }

  private static long stored(String[] devices) {
    return number("SELECT count(*) FROM device_event WHERE device_id = ANY(?)", (Object) devices);
  }
}
