package dev.fleettrust.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleettrust.embedded.SharedInfrastructure;
import dev.fleettrust.ingest.fleet.FleetGenerator;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Helpers for the ingestion tests: a topic and consumer group of their own per test class, a
 * producer, plain JDBC for assertions, and device IDs no other test uses.
 */
public final class IngestTesting {
  private IngestTesting() {}

  /** Properties that point the service's consumer at a topic and group of this test's own. */
  public static Map<String, String> ownTopic(Map<String, String> infrastructure, String topic) {
    Map<String, String> properties = new HashMap<>(infrastructure);
    properties.put("fleettrust.ingest.topic", topic);
    properties.put("fleettrust.ingest.group-id", topic + "-group");
    properties.put("fleettrust.ingest.poll-timeout", "200ms");
    properties.put("fleettrust.ingest.initial-backoff", "100ms");
    properties.put("fleettrust.ingest.max-backoff", "2s");
    return properties;
  }

  public static String uniqueTopic(String prefix) {
    return "test." + prefix + "." + UUID.randomUUID().toString().substring(0, 8);
  }

  public static void createTopic(String topic, int partitions) {
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Could not create " + topic, e);
    }
  }

  public static Admin admin() {
    return Admin.create(
        Map.of("bootstrap.servers", SharedInfrastructure.endpoints().kafkaBootstrapServers()));
  }

  public static KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            SharedInfrastructure.endpoints().kafkaBootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            "5"),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /** Sends one structured-mode CloudEvent keyed by its device ID. */
  public static ProducerRecord<byte[], byte[]> structured(String topic, String key, String json) {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, bytes(key), bytes(json));
    record.headers().add("content-type", bytes(CloudEventDecoder.STRUCTURED_CONTENT_TYPE));
    return record;
  }

  /** Waits until the group has committed every record of the topic. */
  public static void awaitCaughtUp(String topic, String group, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> caughtUp(topic, group));
  }

  static boolean caughtUp(String topic, String group) throws Exception {
    try (Admin admin = admin()) {
      Set<TopicPartition> partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get()
              .get(topic)
              .partitions()
              .stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toSet());
      Map<TopicPartition, OffsetSpec> latest =
          partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
      var ends = admin.listOffsets(latest).all().get();
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      for (TopicPartition partition : partitions) {
        long end = ends.get(partition).offset();
        OffsetAndMetadata done = committed.get(partition);
        if (end > 0 && (done == null || done.offset() < end)) {
          return false;
        }
      }
      return true;
    }
  }

  public static Connection database() throws SQLException {
    SharedInfrastructure.Endpoints endpoints = SharedInfrastructure.endpoints();
    return DriverManager.getConnection(
        endpoints.jdbcUrl(), endpoints.username(), endpoints.password());
  }

  /**
   * Asserts that a generated fleet's events were each applied exactly once: every event stored once
   * in the history, every sign-in recorded once, every device's trust profile the one the generator
   * planned (which a repeated or lost event would change).
   */
  public static void assertAppliedOnce(
      FleetGenerator fleet, List<FleetGenerator.GeneratedEvent> events) throws SQLException {
    String[] devices = deviceIds(fleet);
    assertThat(
            number("SELECT count(*) FROM device_event WHERE device_id = ANY(?)", (Object) devices))
        .isEqualTo(events.size());
    assertThat(
            number(
                "SELECT count(DISTINCT event_id) FROM device_event WHERE device_id = ANY(?)",
                (Object) devices))
        .isEqualTo(events.size());
    long signIns =
        events.stream().filter(e -> e.type().cloudEventType().equals("device.registered")).count();
    assertThat(
            number(
                "SELECT count(*) FROM sign_in_outcome WHERE device_id = ANY(?)", (Object) devices))
        .isEqualTo(signIns);
    try (Connection connection = database();
        PreparedStatement select =
            connection.prepareStatement("SELECT profile_hash FROM device WHERE device_id = ?")) {
      for (int i = 0; i < devices.length; i++) {
        select.setString(1, devices[i]);
        try (ResultSet row = select.executeQuery()) {
          assertThat(row.next()).as("device %s stored", devices[i]).isTrue();
          assertThat(row.getString(1)).isEqualTo(fleet.profile(fleet.device(i)).hash());
        }
      }
    }
  }

  /** The first column of the first row, e.g. a count. */
  public static long number(String sql, Object... parameters) {
    try (Connection connection = database();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String text(String sql, Object... parameters) {
    try (Connection connection = database();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A MAC address nobody else in this test run uses: a locally administered random prefix. */
  /** A generated fleet of {@code devices} phones, its window starting 2026-11-01, random seed. */
  public static FleetGenerator fleet(int devices) {
    return new FleetGenerator(
        FleetGenerator.Options.of(java.util.UUID.randomUUID().getMostSignificantBits(), devices)
            .withStart(java.time.Instant.parse("2026-11-01T00:00:00Z")));
  }

  /** The device IDs of a generated fleet, in generation order. */
  public static String[] deviceIds(FleetGenerator fleet) {
    String[] ids = new String[fleet.options().devices()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = fleet.device(i).deviceId().value();
    }
    return ids;
  }

  public static String uniqueMacPrefix() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return String.format(
        "0a:%02x:%02x:%02x", random.nextInt(256), random.nextInt(256), random.nextInt(256));
  }

  public static byte[] bytes(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  /** A structured-mode CloudEvent as JSON text. */
  public static String event(
      String id, String type, String subject, Instant time, String dataJson) {
    return "{\"specversion\":\"1.0\",\"id\":\""
        + id
        + "\",\"source\":\"/test/ingest\",\"type\":\""
        + type
        + "\",\"subject\":\""
        + subject
        + "\",\"time\":\""
        + time
        + "\""
        + (dataJson == null ? "" : ",\"datacontenttype\":\"application/json\",\"data\":" + dataJson)
        + "}";
  }

  public static String registeredData(String model, String firmware, String site, String outcome) {
    return "{\"model\":\""
        + model
        + "\",\"firmware\":\""
        + firmware
        + "\",\"pool\":\"sfbpool.custdom.com\",\"site\":\""
        + site
        + "\",\"dialedFqdn\":\"sip.custdom.com\",\"outcome\":\""
        + outcome
        + "\"}";
  }
}
