package dev.fleettrust.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalInfrastructureTest {

  @TempDir Path home;

  @Test
  void postgresKeepsItsDataAcrossARestart() throws Exception {
    Path data = home.resolve("pg");
    try (LocalPostgres postgres = LocalPostgres.start(data, 0)) {
      try (var connection =
          DriverManager.getConnection(
              postgres.jdbcUrl(), postgres.username(), postgres.password())) {
        connection.createStatement().execute("CREATE TABLE kept (value text)");
        connection.createStatement().execute("INSERT INTO kept VALUES ('yesterday')");
      }
    }
    try (LocalPostgres postgres = LocalPostgres.start(data, 0);
        var connection =
            DriverManager.getConnection(
                postgres.jdbcUrl(), postgres.username(), postgres.password());
        var rows = connection.createStatement().executeQuery("SELECT value FROM kept")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("yesterday");
    }
  }

  @Test
  void postgresCommitsDurably() throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start(home.resolve("pg"), 0);
        var connection =
            DriverManager.getConnection(
                postgres.jdbcUrl(), postgres.username(), postgres.password());
        var rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT current_setting('synchronous_commit'), current_setting('fsync'),"
                        + " current_setting('full_page_writes')")) {
      assertThat(rows.next()).isTrue();
      assertThat(List.of(rows.getString(1), rows.getString(2), rows.getString(3)))
          .containsExactly("on", "on", "on");
    }
  }

  @Test
  void kafkaDeliversARecordAndKeepsItAcrossARestart() {
    Path logs = home.resolve("kafka");
    try (LocalKafka kafka = LocalKafka.start(logs, 0);
        var producer =
            new KafkaProducer<String, String>(
                Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
      producer.send(new ProducerRecord<>("kept", "00:04:f2:aa:bb:cc", "hello")).get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    try (LocalKafka kafka = LocalKafka.start(logs, 0);
        var consumer =
            new KafkaConsumer<String, String>(
                Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG,
                    "test",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class))) {
      consumer.subscribe(List.of("kept"));
      List<String> values = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          values.add(record.value());
        }
      }
      assertThat(values).containsExactly("hello");
    }
  }
}
