package dev.fleettrust.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void anOrphanedPostmasterIsShutDownNotAdopted() throws Exception {
    Path data = home.resolve("pg");
    int port = freePort();
    Process killed =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AbandonedPostgres.class.getName(),
                data.toString(),
                Integer.toString(port))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    long orphanPid;
    try (var output =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                killed.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      String line;
      do {
        line = output.readLine();
      } while (line != null && !line.startsWith("postmaster "));
      assertThat(line).as("the child process reports its postmaster").isNotNull();
      orphanPid = Long.parseLong(line.split(" ")[1]);
    } finally {
      killed.destroyForcibly().waitFor();
    }
    ProcessHandle orphan = ProcessHandle.of(orphanPid).orElseThrow();
    assertThat(orphan.isAlive()).as("kill -9 of its owner leaves the postmaster running").isTrue();

    try (LocalPostgres postgres = LocalPostgres.start(data, port);
        var connection =
            DriverManager.getConnection(
                postgres.jdbcUrl(), postgres.username(), postgres.password());
        var rows = connection.createStatement().executeQuery("SELECT value FROM kept")) {
      assertThat(orphan.isAlive()).isFalse();
      assertThat(postgres.postmaster().pid()).isNotEqualTo(orphanPid);
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("from the killed process");
    }
  }

  @Test
  void aDataDirectoryInUseIsRefusedWithAClearMessage() {
    Path data = home.resolve("pg");
    try (LocalPostgres running = LocalPostgres.start(data, 0)) {
      assertThatThrownBy(() -> LocalPostgres.start(data, 0))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use by another running FleetTrust process");
      assertThat(running.postmaster().isAlive()).isTrue();
    }
  }

  @Test
  void aPostmasterThatDiesIsReportedAndAnOrderlyStopIsNot() throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start(home.resolve("pg"), 0)) {
      postgres.postmaster().destroyForcibly();
      assertThat(postgres.unexpectedExit().get(30, java.util.concurrent.TimeUnit.SECONDS).pid())
          .isEqualTo(postgres.postmaster().pid());
    }
    LocalPostgres stopped = LocalPostgres.start(home.resolve("pg"), 0);
    stopped.close();
    stopped.postmaster().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    Thread.sleep(200);
    assertThat(stopped.unexpectedExit()).isNotDone();
  }

  private static int freePort() throws java.io.IOException {
    try (var socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
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
