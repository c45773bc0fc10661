package dev.fleettrust.ingest;

import static dev.fleettrust.ingest.IngestTesting.bytes;
import static dev.fleettrust.ingest.IngestTesting.event;
import static dev.fleettrust.ingest.IngestTesting.number;
import static dev.fleettrust.ingest.IngestTesting.registeredData;
import static dev.fleettrust.ingest.IngestTesting.structured;
import static dev.fleettrust.ingest.IngestTesting.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleettrust.embedded.SharedInfrastructure;
import dev.fleettrust.ingest.fleet.FleetGenerator;
import dev.fleettrust.testing.IntegrationTest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The consumer against the real broker and real PostgreSQL. */
@MicronautTest(transactional = false)
class KafkaIngestionTest extends IntegrationTest {
  private static final String TOPIC = IngestTesting.uniqueTopic("ingestion");
  private static final String GROUP = TOPIC + "-group";
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  private final String prefix = IngestTesting.uniqueMacPrefix();
  private KafkaProducer<byte[], byte[]> producer;

  @Override
  public Map<String, String> getProperties() {
    // Three partitions; the dead-letter test sends to one device, hence one partition.
    IngestTesting.createTopic(TOPIC, 3);
    return IngestTesting.ownTopic(super.getProperties(), TOPIC);
  }

  @BeforeAll
  void producer() {
    producer = IngestTesting.producer();
  }

  @AfterAll
  void closeProducer() {
    producer.close();
  }

  private String device(int n) {
    return prefix + String.format(":%02x:%02x", n / 256, n % 256);
  }

  private void send(String key, String json) throws Exception {
    producer.send(structured(TOPIC, key, json)).get();
  }

  @Test
  void appliesEachDevicesEventsInTimeOrderFromStructuredAndBinaryMode() throws Exception {
    String mac = device(1);
    Instant t = Instant.parse("2026-11-20T08:00:00Z");
    send(
        mac,
        event(
            id(),
            "device.registered",
            mac,
            t,
            registeredData("CX600", "4.0.7577.4414", "HQ", "SUCCESS")));
    // Binary mode: attributes in ce_ headers, the data as the value; the subject in another
    // spelling.
    ProducerRecord<byte[], byte[]> binary =
        new ProducerRecord<>(
            TOPIC,
            bytes(mac),
            bytes("{\"fromBuild\":\"4.0.7577.4414\",\"toBuild\":\"4.0.7577.4420\"}"));
    binary.headers().add("ce_specversion", bytes("1.0"));
    binary.headers().add("ce_id", bytes(id()));
    binary.headers().add("ce_source", bytes("/test/deviceupdate"));
    binary.headers().add("ce_type", bytes("device.firmware-updated"));
    binary.headers().add("ce_subject", bytes(mac.toUpperCase().replace(':', '-')));
    binary.headers().add("ce_time", bytes(t.plusSeconds(60).toString()));
    binary.headers().add("content-type", bytes("application/json"));
    producer.send(binary).get();
    send(
        mac,
        event(
            id(),
            "device.registered",
            mac,
            t.plusSeconds(120),
            "{\"userAgent\":\"CPE/4.0.7577.4420 OCPhone/4.0.7577.4420 (Microsoft Lync 2010 (Beta) Phone Edition)\","
                + "\"pool\":\"sfbpool.custdom.com\",\"site\":\"HQ-Floor3\",\"dialedFqdn\":\"sip.custdom.com\","
                + "\"outcome\":\"FAILURE\",\"failureReason\":\"Cannot connect to the server\"}"));

    await()
        .atMost(PATIENCE)
        .until(() -> number("SELECT count(*) FROM device_event WHERE device_id = ?", mac) == 3);

    assertThat(text("SELECT model FROM device WHERE device_id = ?", mac)).isEqualTo("CX600");
    assertThat(text("SELECT firmware_build FROM device WHERE device_id = ?", mac))
        .isEqualTo("4.0.7577.4420");
    assertThat(text("SELECT site FROM device WHERE device_id = ?", mac)).isEqualTo("HQ-Floor3");
    assertThat(text("SELECT last_outcome FROM device WHERE device_id = ?", mac))
        .isEqualTo("FAILURE");
    assertThat(text("SELECT user_agent FROM device WHERE device_id = ?", mac))
        .startsWith("CPE/4.0.7577.4420");
    assertThat(number("SELECT count(*) FROM device_event WHERE device_id = ? AND late", mac))
        .isZero();
    assertThat(number("SELECT count(*) FROM sign_in_outcome WHERE device_id = ?", mac))
        .isEqualTo(2);
    assertThat(text("SELECT state_time::text FROM device WHERE device_id = ?", mac))
        .isEqualTo("2026-11-20 08:02:00+00");
  }

  @Test
  void aLateEventLandsInHistoryButNeverOverwritesNewerState() throws Exception {
    String mac = device(2);
    Instant now = Instant.parse("2026-11-21T10:00:00Z");
    send(
        mac,
        event(
            id(),
            "device.registered",
            mac,
            now,
            registeredData("VVX 450", "6.4.3.5032", "Leeds", "SUCCESS")));
    String lateId = id();
    send(
        mac,
        event(
            lateId,
            "device.registered",
            mac,
            now.minusSeconds(3_600),
            registeredData("VVX 410", "5.9.5.0614", "Bristol", "FAILURE")));
    send(
        mac,
        event(
            id(),
            "device.firmware-updated",
            mac,
            now.minusSeconds(7_200),
            "{\"fromBuild\":null,\"toBuild\":\"5.4.0.12197\"}"));

    await()
        .atMost(PATIENCE)
        .until(() -> number("SELECT count(*) FROM device_event WHERE device_id = ?", mac) == 3);

    assertThat(
            text(
                "SELECT model || ' ' || firmware_build || ' ' || site || ' ' || last_outcome"
                    + " FROM device WHERE device_id = ?",
                mac))
        .isEqualTo("VVX 450 6.4.3.5032 Leeds SUCCESS");
    assertThat(number("SELECT count(*) FROM device_event WHERE device_id = ? AND late", mac))
        .isEqualTo(2);
    assertThat(text("SELECT late::text FROM device_event WHERE event_id = ?", lateId))
        .isEqualTo("true");
    // The late sign-in is still ground truth for backtesting.
    assertThat(text("SELECT outcome FROM sign_in_outcome WHERE event_id = ?", lateId))
        .isEqualTo("FAILURE");
  }

  @Test
  void replayingTenThousandEventsASecondTimeChangesNothing() throws Exception {
    FleetGenerator fleet = IngestTesting.fleet(2_000);
    List<FleetGenerator.GeneratedEvent> events = fleet.events().toList();
    assertThat(events).hasSizeGreaterThanOrEqualTo(10_000);
    List<String> devices = List.of(IngestTesting.deviceIds(fleet));

    sendAll(events);
    IngestTesting.awaitCaughtUp(TOPIC, GROUP, PATIENCE);
    Map<String, String> first = snapshot(devices);
    assertThat(first.get("events")).isEqualTo(Integer.toString(events.size()));

    sendAll(events);
    IngestTesting.awaitCaughtUp(TOPIC, GROUP, PATIENCE);
    Map<String, String> second = snapshot(devices);

    assertThat(second).isEqualTo(first);
    // And the profiles are the ones the fleet's events imply.
    try (Connection connection = IngestTesting.database();
        PreparedStatement select =
            connection.prepareStatement("SELECT profile_hash FROM device WHERE device_id = ?")) {
      for (int i = 0; i < 2_000; i++) {
        FleetGenerator.PlannedDevice planned = fleet.device(i);
        select.setString(1, planned.deviceId().value());
        try (ResultSet row = select.executeQuery()) {
          assertThat(row.next()).isTrue();
          assertThat(row.getString(1))
              .as("profile of %s", planned)
              .isEqualTo(fleet.profile(planned).hash());
        }
      }
    }
  }

  @Test
  void deadLettersBadRecordsWithTheReasonAndStoresTheRestOfTheBatch() throws Exception {
    String mac = device(3);
    Instant t = Instant.parse("2026-11-21T12:00:00Z");
    String unknownTypeId = id();
    String badPemId = id();
    List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
    batch.add(
        structured(
            TOPIC,
            mac,
            event(
                id(),
                "device.registered",
                mac,
                t,
                registeredData("CX600", "4.0.7577.4420", "HQ", "SUCCESS"))));
    batch.add(structured(TOPIC, mac, "this is not json"));
    batch.add(structured(TOPIC, mac, event(unknownTypeId, "device.rebooted", mac, t, "{}")));
    batch.add(
        structured(
            TOPIC,
            mac,
            event(
                badPemId,
                "device.provisioned",
                mac,
                t.plusSeconds(1),
                "{\"method\":\"PIN_AUTH\",\"site\":\"HQ\",\"certificates\":[\"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n\"]}")));
    batch.add(
        structured(
            TOPIC,
            mac,
            event(id(), "device.registered", mac, t.plusSeconds(2), "{\"outcome\":\"success\"}")));
    String lastId = id();
    batch.add(
        structured(
            TOPIC,
            mac,
            event(
                lastId,
                "device.registered",
                mac,
                t.plusSeconds(3),
                registeredData("CX600", "4.0.7577.4420", "HQ", "FAILURE"))));
    List<Long> offsets = new ArrayList<>();
    int partition = -1;
    for (ProducerRecord<byte[], byte[]> record : batch) {
      var metadata = producer.send(record).get();
      offsets.add(metadata.offset());
      partition = metadata.partition();
    }
    int devicePartition = partition;

    await()
        .atMost(PATIENCE)
        .until(() -> number("SELECT count(*) FROM device_event WHERE device_id = ?", mac) == 2);
    assertThat(number("SELECT count(*) FROM device_event WHERE event_id = ?", lastId)).isEqualTo(1);
    assertThat(text("SELECT last_outcome FROM device WHERE device_id = ?", mac))
        .isEqualTo("FAILURE");

    Map<String, String> rejections = new HashMap<>();
    try (Connection connection = IngestTesting.database();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT kafka_offset, reason, coalesce(field, ''), coalesce(event_id, ''),"
                    + " message, channel, kafka_partition, payload FROM rejected_event"
                    + " WHERE topic = ? ORDER BY kafka_offset")) {
      select.setString(1, TOPIC);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          assertThat(rows.getString(6)).isEqualTo("KAFKA");
          assertThat(rows.getInt(7)).isEqualTo(devicePartition);
          rejections.put(
              rows.getString(1),
              rows.getString(2) + "|" + rows.getString(3) + "|" + rows.getString(4));
          if (rows.getString(2).equals("NOT_JSON")) {
            assertThat(rows.getString(8)).isEqualTo("this is not json");
          }
          if (rows.getString(2).equals("UNPARSEABLE_PEM")) {
            assertThat(rows.getString(5)).startsWith("Certificate 1 ($.data.certificates[0])");
          }
        }
      }
    }
    assertThat(rejections)
        .containsEntry(offsets.get(1).toString(), "NOT_JSON||")
        .containsEntry(offsets.get(2).toString(), "UNKNOWN_TYPE|$.type|" + unknownTypeId)
        .containsEntry(
            offsets.get(3).toString(), "UNPARSEABLE_PEM|$.data.certificates[0]|" + badPemId)
        .hasSize(4);
    assertThat(rejections.get(offsets.get(4).toString())).startsWith("SCHEMA_VIOLATION|$.data.");

    List<ConsumerRecord<byte[], byte[]>> letters = readDeadLetters(4);
    Map<Long, ConsumerRecord<byte[], byte[]>> bySourceOffset = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> letter : letters) {
      bySourceOffset.put(Long.parseLong(header(letter, "fleettrust.dlq.source-offset")), letter);
    }
    ConsumerRecord<byte[], byte[]> pem = bySourceOffset.get(offsets.get(3));
    assertThat(header(pem, "fleettrust.dlq.reason")).isEqualTo("UNPARSEABLE_PEM");
    assertThat(header(pem, "fleettrust.dlq.field")).isEqualTo("$.data.certificates[0]");
    assertThat(header(pem, "fleettrust.dlq.message")).contains("block 1");
    assertThat(header(pem, "fleettrust.dlq.source-topic")).isEqualTo(TOPIC);
    assertThat(header(pem, "fleettrust.dlq.source-partition"))
        .isEqualTo(Integer.toString(devicePartition));
    assertThat(header(pem, "fleettrust.dlq.channel")).isEqualTo("KAFKA");
    assertThat(header(pem, "fleettrust.dlq.rejection-id")).matches("[0-9a-f-]{36}");
    assertThat(header(pem, "content-type")).isEqualTo("application/cloudevents+json");
    assertThat(new String(pem.key(), StandardCharsets.UTF_8)).isEqualTo(mac);
    assertThat(new String(pem.value(), StandardCharsets.UTF_8)).contains(badPemId);
    assertThat(header(bySourceOffset.get(offsets.get(1)), "fleettrust.dlq.reason"))
        .isEqualTo("NOT_JSON");
    assertThat(header(bySourceOffset.get(offsets.get(2)), "fleettrust.dlq.reason"))
        .isEqualTo("UNKNOWN_TYPE");
  }

  private List<ConsumerRecord<byte[], byte[]>> readDeadLetters(int expected) {
    List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                SharedInfrastructure.endpoints().kafkaBootstrapServers(),
                "group.id",
                "dlq-reader-" + UUID.randomUUID(),
                "auto.offset.reset",
                "earliest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TOPIC + ".dlq"));
      await()
          .atMost(PATIENCE)
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(letters::add);
                return letters.size() >= expected;
              });
    }
    assertThat(letters).hasSize(expected);
    return letters;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private void sendAll(List<FleetGenerator.GeneratedEvent> events) {
    for (FleetGenerator.GeneratedEvent event : events) {
      producer.send(structured(TOPIC, event.key(), event.json()));
    }
    producer.flush();
  }

  /** Row counts and a digest of every stored row of these devices. */
  private static Map<String, String> snapshot(List<String> devices) throws Exception {
    String[] ids = devices.toArray(String[]::new);
    Map<String, String> snapshot = new HashMap<>();
    try (Connection connection = IngestTesting.database()) {
      java.sql.Array array = connection.createArrayOf("text", ids);
      snapshot.put(
          "events",
          scalar(connection, "SELECT count(*) FROM device_event WHERE device_id = ANY(?)", array));
      snapshot.put(
          "distinct events",
          scalar(
              connection,
              "SELECT count(DISTINCT event_id) FROM device_event WHERE device_id = ANY(?)",
              array));
      snapshot.put(
          "sign-ins",
          scalar(
              connection, "SELECT count(*) FROM sign_in_outcome WHERE device_id = ANY(?)", array));
      snapshot.put(
          "keys",
          scalar(
              connection,
              "SELECT count(*) FROM ingested_event WHERE event_id IN (SELECT event_id FROM device_event WHERE device_id = ANY(?))",
              array));
      snapshot.put(
          "devices",
          scalar(
              connection,
              "SELECT md5(string_agg(d::text, '|' ORDER BY device_id)) FROM device d WHERE device_id = ANY(?)",
              array));
      snapshot.put(
          "anchors",
          scalar(
              connection,
              "SELECT count(*) || md5(string_agg(a::text, '|' ORDER BY device_id, sha256, provenance)) FROM device_anchor a WHERE device_id = ANY(?)",
              array));
      snapshot.put(
          "provisioning",
          scalar(
              connection,
              "SELECT md5(string_agg(p::text, '|' ORDER BY device_id, method)) FROM device_provisioning p WHERE device_id = ANY(?)",
              array));
      snapshot.put(
          "profiles",
          scalar(
              connection,
              "SELECT count(DISTINCT profile_hash) FROM device WHERE device_id = ANY(?)",
              array));
      snapshot.put(
          "history",
          scalar(
              connection,
              "SELECT md5(string_agg(event_id || late::text || received_at::text, '|' ORDER BY event_id)) FROM device_event WHERE device_id = ANY(?)",
              array));
    }
    assertThat(snapshot.get("events")).isEqualTo(snapshot.get("distinct events"));
    return snapshot;
  }

  private static String scalar(Connection connection, String sql, java.sql.Array devices)
      throws Exception {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setArray(1, devices);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getString(1);
      }
    }
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }
}
