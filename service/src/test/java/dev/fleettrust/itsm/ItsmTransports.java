package dev.fleettrust.itsm;

import dev.fleettrust.embedded.SharedInfrastructure;
import dev.fleettrust.ingest.IngestTesting;
import dev.fleettrust.testing.IntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The service's properties for a test with its own Kafka topic and a loopback webhook. */
final class ItsmTransports {
  static final long RECEIVER_TIME_OUT_MILLIS = 1500;

  private ItsmTransports() {}

  static Map<String, String> properties(String topic, WebhookReceiver receiver, boolean relay) {
    Map<String, String> properties = new HashMap<>(IntegrationTest.infrastructureProperties());
    properties.put("fleettrust.ingest.enabled", "false");
    properties.put("fleettrust.itsm.kafka.enabled", "true");
    properties.put("fleettrust.itsm.kafka.topic", topic);
    properties.put("fleettrust.itsm.webhooks.receiver.url", receiver.url());
    properties.put("fleettrust.itsm.webhooks.receiver.secret", receiver.secret);
    properties.put("fleettrust.itsm.relay.enabled", Boolean.toString(relay));
    properties.put("fleettrust.itsm.relay.poll-interval", "100ms");
    properties.put("fleettrust.itsm.relay.initial-retry-delay", "50ms");
    properties.put("fleettrust.itsm.relay.max-retry-delay", "300ms");
    properties.put("fleettrust.itsm.relay.max-attempts", "1000");
    // Shorter than the receiver's stall, so a stalled request times out at the sender.
    properties.put("fleettrust.itsm.relay.request-timeout", "700ms");
    return properties;
  }

  static String topic() {
    String topic = "test.itsm." + UUID.randomUUID().toString().substring(0, 8);
    IngestTesting.createTopic(topic, 3);
    return topic;
  }

  /** Reads the topic from the start until {@code expected} records arrived or the time is up. */
  static List<ConsumerRecord<String, String>> read(String topic, int expected, Duration within) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            SharedInfrastructure.endpoints().kafkaBootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "itsm-test-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class);
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < deadline && records.size() < expected) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      // Anything more that arrives shortly after would be a repeat.
      consumer.poll(Duration.ofMillis(500)).forEach(records::add);
    }
    return records;
  }
}
