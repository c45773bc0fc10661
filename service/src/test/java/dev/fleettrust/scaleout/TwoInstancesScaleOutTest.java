package dev.fleettrust.scaleout;

import static dev.fleettrust.ingest.IngestTesting.structured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleettrust.ingest.IngestTesting;
import dev.fleettrust.ingest.fleet.FleetGenerator;
import dev.fleettrust.trust.TestPki;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Scale-out as users run it: two FleetTrust processes (not two contexts in one JVM) on loopback,
 * one PostgreSQL and one Kafka broker, one consumer group over a six-partition topic. The schema is
 * migrated once by the release's migration command, the replicas never migrate; the demo fleet
 * arrives through the image's one-shot loader.
 *
 * <p>Proved: every event is applied exactly once (stored once, each device's profile as the
 * generator says), both instances consumed partitions, an assessment runs on either and reads the
 * same inventory, the nightly report ran once for the night although both instances' schedules
 * fired (start-up catch-up and per-minute cron on each), and when one instance stops mid-stream its
 * partitions move to the other and nothing is lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesScaleOutTest {
  private static final Duration START_LIMIT = Duration.ofMinutes(3);
  private static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(3);
  private static final Instant WINDOW = Instant.parse("2026-11-01T00:00:00Z");
  private static final int PARTITIONS = 6;
  private static final int DEVICES = 600;
  private static final String EVERY_MINUTE = "0 * * * * *";

  /**
   * A zone whose date is not UTC's today (the date {@code TwoReplicasTest} may claim in the same
   * database) and does not change within the next hour: UTC+14 from 11:00 UTC (tomorrow's date),
   * UTC-12 before (yesterday's).
   */
  private static final ZoneId REPORT_ZONE =
      Instant.now().atZone(ZoneOffset.UTC).getHour() >= 11
          ? ZoneId.of("Etc/GMT-14")
          : ZoneId.of("Etc/GMT+12");

  private final String topic = IngestTesting.uniqueTopic("two-instances");
  private final String group = topic + "-group";
  private final String jwtSecret = randomSecret();
  private final Path logs = Path.of("target", "two-instances");
  private final ObjectMapper json = new ObjectMapper();
  private Map<String, String> environment;
  private ServiceProcess first;
  private ServiceProcess second;
  private LocalDate night;
  private Instant bothReady;

  @BeforeAll
  void migrateOnceThenStartTwoInstances() throws Exception {
    IngestTesting.createTopic(topic, PARTITIONS);
    environment = ServiceProcess.environment(jwtSecret, topic, group);
    // Both replicas schedule the report, every minute: each start-up's catch-up and each cron
    // firing tries to claim the night; only one may run it.
    environment.put("FLEETTRUST_REPORT_SCHEDULE_ENABLED", "true");
    environment.put("FLEETTRUST_REPORT_CRON", EVERY_MINUTE);
    environment.put("FLEETTRUST_REPORT_ZONE", REPORT_ZONE.getId());
    Duration limit = Duration.ofMinutes(2);
    assertThat(
            ServiceProcess.run(
                "migrate",
                environment,
                logs,
                limit,
                "dev.fleettrust.migration.Migrations",
                "migrate"))
        .as("the release's migration (logs in %s)", logs)
        .isZero();
    assertThat(
            ServiceProcess.run(
                "await-migrations",
                environment,
                logs,
                limit,
                "dev.fleettrust.migration.Migrations",
                "await",
                "30"))
        .as("the replicas' init step finds nothing pending")
        .isZero();
    night = LocalDate.now(REPORT_ZONE);
    first = ServiceProcess.serve("instance-a", environment, logs);
    second = ServiceProcess.serve("instance-b", environment, logs);
    first.awaitReady(START_LIMIT);
    second.awaitReady(START_LIMIT);
    bothReady = Instant.now();
  }

  @AfterAll
  void stopInstances() throws InterruptedException {
    for (ServiceProcess instance : new ServiceProcess[] {first, second}) {
      if (instance != null) {
        instance.close();
      }
    }
  }

  @Test
  void twoInstancesShareTheGroupServeAssessmentsAndTakeOverWithoutLoss() throws Exception {
    // 1. The demo loader publishes a fleet; both instances consume their share of the partitions.
    long seed = new SecureRandom().nextLong();
    FleetGenerator demo =
        new FleetGenerator(FleetGenerator.Options.of(seed, DEVICES).withStart(WINDOW));
    List<FleetGenerator.GeneratedEvent> demoEvents = demo.events().toList();
    assertThat(
            ServiceProcess.run(
                "load-demo-fleet",
                environment,
                logs,
                Duration.ofMinutes(2),
                "dev.fleettrust.ingest.DemoFleetLoader",
                "--devices",
                Integer.toString(DEVICES),
                "--seed",
                Long.toString(seed),
                "--start",
                WINDOW.toString()))
        .isZero();
    IngestTesting.awaitCaughtUp(topic, group, CATCH_UP_LIMIT);

    Map<Long, List<Integer>> assignment = assignmentByProcess(2);
    assertThat(assignment.keySet()).containsExactlyInAnyOrder(first.pid(), second.pid());
    assertThat(assignment.values()).allSatisfy(partitions -> assertThat(partitions).isNotEmpty());
    assertThat(assignment.values().stream().mapToInt(List::size).sum()).isEqualTo(PARTITIONS);
    double ingestedByFirst = ingestedFromKafka(first);
    double ingestedBySecond = ingestedFromKafka(second);
    assertThat(ingestedByFirst).as("events stored by %s", first.name()).isPositive();
    assertThat(ingestedBySecond).as("events stored by %s", second.name()).isPositive();
    assertThat(ingestedByFirst + ingestedBySecond)
        .as("each event stored by exactly one instance")
        .isEqualTo(demoEvents.size());
    IngestTesting.assertAppliedOnce(demo, demoEvents);

    // 2. An assessment runs on either instance and sees the same inventory.
    putEnvironment(first, demo);
    JsonNode onFirst = assess(first);
    JsonNode onSecond = assess(second);
    // The demo fleet retires a few phones, which no assessment counts.
    assertThat(onFirst.at("/summary/devices").asLong()).isGreaterThan(DEVICES * 9L / 10);
    assertThat(onSecond.at("/summary/devices")).isEqualTo(onFirst.at("/summary/devices"));
    assertThat(onSecond.at("/summary/verdicts")).isEqualTo(onFirst.at("/summary/verdicts"));
    HttpResponse<String> readBack =
        second.get("/api/v1/impact-assessments/" + onFirst.get("id").asText(), "viewer");
    assertThat(readBack.statusCode()).isEqualTo(200);
    assertThat(json.readTree(readBack.body()).at("/summary"))
        .as("an assessment made on one instance, read on the other")
        .isEqualTo(onFirst.at("/summary"));

    // 3. The nightly report ran once: the start-up catch-ups raced for the night, and the cron
    // has fired on both instances since (a minute boundary after both were ready), yet one run
    // and one report exist for the night, and one instance's log says it ran it.
    Instant cronFiredOnBoth =
        bothReady.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1)).plusSeconds(5);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                Instant.now().isAfter(cronFiredOnBoth)
                    && IngestTesting.number(
                            "SELECT count(*) FROM compliance_report_run WHERE trigger = 'SCHEDULED'"
                                + " AND report_date = ? AND status = 'COMPLETED'",
                            night)
                        >= 1);
    assertThat(
            IngestTesting.number(
                "SELECT count(*) FROM compliance_report_run WHERE trigger = 'SCHEDULED'"
                    + " AND report_date = ?",
                night))
        .as("scheduled runs of %s (any status) across both instances", night)
        .isEqualTo(1);
    assertThat(
            IngestTesting.number(
                "SELECT count(*) FROM compliance_report r JOIN compliance_report_run run"
                    + " ON run.id = r.run_id WHERE run.trigger = 'SCHEDULED' AND r.report_date = ?",
                night))
        .as("scheduled compliance reports of %s", night)
        .isEqualTo(1);
    List<String> bothLogs = new ArrayList<>(logLines(first));
    bothLogs.addAll(logLines(second));
    assertThat(bothLogs)
        .as("the instances' logs say one of them ran the night %s", night)
        .filteredOn(line -> line.endsWith("Ran the compliance report of " + night))
        .hasSize(1);
    assertThat(bothLogs)
        .filteredOn(line -> line.contains("Compliance report ") && line.contains(" for " + night))
        .as("the report of %s completed once, and never failed", night)
        .hasSize(1)
        .allSatisfy(line -> assertThat(line).endsWith(" for " + night + " completed"));

    // 4. More events arrive and the first instance stops while they are being consumed: the
    // second takes its partitions over and nothing is lost or applied twice.
    FleetGenerator more = IngestTesting.fleet(DEVICES);
    List<FleetGenerator.GeneratedEvent> moreEvents = more.events().toList();
    try (KafkaProducer<byte[], byte[]> producer = IngestTesting.producer()) {
      int half = moreEvents.size() / 2;
      for (FleetGenerator.GeneratedEvent event : moreEvents.subList(0, half)) {
        producer.send(structured(topic, event.key(), event.json()));
      }
      producer.flush();
      first.stop();
      // The rest arrives while the first instance is going down or gone: only the second can
      // store the events of the partitions the first held.
      for (FleetGenerator.GeneratedEvent event : moreEvents.subList(half, moreEvents.size())) {
        producer.send(structured(topic, event.key(), event.json()));
      }
      producer.flush();
    }
    assertThat(first.awaitExit(Duration.ofSeconds(60)))
        .as("%s leaves the group on SIGTERM within the grace period", first.name())
        .isTrue();
    IngestTesting.awaitCaughtUp(topic, group, CATCH_UP_LIMIT);
    Map<Long, List<Integer>> after = assignmentByProcess(1);
    assertThat(after).containsOnlyKeys(second.pid());
    assertThat(after.get(second.pid())).hasSize(PARTITIONS);
    IngestTesting.assertAppliedOnce(more, moreEvents);
    IngestTesting.assertAppliedOnce(demo, demoEvents);
    assertThat(second.isAlive()).isTrue();
  }

  private List<String> logLines(ServiceProcess instance) throws java.io.IOException {
    return Files.readAllLines(logs.resolve(instance.name() + ".log"), StandardCharsets.UTF_8);
  }

  /** Partitions of the test's topic held by each instance, by process ID, once the group is so. */
  private Map<Long, List<Integer>> assignmentByProcess(int members) {
    Map<Long, List<Integer>> result = new java.util.HashMap<>();
    await()
        .atMost(CATCH_UP_LIMIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              result.clear();
              try (Admin admin = IngestTesting.admin()) {
                ConsumerGroupDescription description =
                    admin
                        .describeConsumerGroups(List.of(group))
                        .all()
                        .get(30, TimeUnit.SECONDS)
                        .get(group);
                for (MemberDescription member : description.members()) {
                  List<Integer> partitions = new ArrayList<>();
                  member
                      .assignment()
                      .topicPartitions()
                      .forEach(partition -> partitions.add(partition.partition()));
                  result.merge(processOf(member.clientId()), partitions, this::concat);
                }
              }
              return result.size() == members
                  && result.values().stream().mapToInt(List::size).sum() == PARTITIONS;
            });
    return result;
  }

  private List<Integer> concat(List<Integer> a, List<Integer> b) {
    List<Integer> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** The service names its consumers {@code fleettrust-ingest-<pid>-<host>-<n>}. */
  private static long processOf(String clientId) {
    String rest = clientId.substring("fleettrust-ingest-".length());
    return Long.parseLong(rest.substring(0, rest.indexOf('-')));
  }

  /** Events this instance stored from Kafka, read from its Prometheus endpoint. */
  private double ingestedFromKafka(ServiceProcess instance) throws Exception {
    // Management endpoints are administrators' only (ApiSecurityTest).
    HttpResponse<String> metrics = instance.get("/management/prometheus", "admin");
    assertThat(metrics.statusCode()).isEqualTo(200);
    return metrics
        .body()
        .lines()
        .filter(line -> line.startsWith("fleettrust_ingest_events_ingested_total{"))
        .filter(line -> line.contains("channel=\"KAFKA\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** The generated fleet's pool with a chain its phones trust, as an administrator would put it. */
  private void putEnvironment(ServiceProcess instance, FleetGenerator fleet) throws Exception {
    String pool = fleet.device(0).pool();
    TestPki pki = new TestPki();
    TestPki.Issued root = pki.root("CN=Scale-out Root,DC=custdom,DC=com").build();
    TestPki.Issued leaf = pki.leaf("CN=" + pool, root).sans(pool, "sip.custdom.com").build();
    List<String> activeDirectoryCas = new ArrayList<>(fleet.caPems());
    activeDirectoryCas.add(root.cert().toPem());
    Map<String, Object> environment =
        Map.of(
            "pools",
            List.of(
                Map.of(
                    "fqdn", pool,
                    "sipFqdns", List.of("sip.custdom.com"),
                    "certificates", Map.of("DEFAULT", leaf.cert().toPem()),
                    "trustedCaCerts", List.of(),
                    "inferCertChainFromSsl", true,
                    "tlsVersions", List.of("TLSv1.0", "TLSv1.1", "TLSv1.2"))),
            "exchange",
            List.of(),
            "activeDirectoryCas",
            activeDirectoryCas,
            "sites",
            List.of(),
            "unresolvableHosts",
            List.of());
    HttpResponse<String> put =
        instance.send("PUT", "/api/v1/environment", "admin", json.writeValueAsString(environment));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    this.pool = pool;
  }

  private String pool;

  private JsonNode assess(ServiceProcess instance) throws Exception {
    String request =
        json.writeValueAsString(
            Map.of(
                "description",
                "scale-out: TLS 1.2 only on " + pool + " via " + instance.name(),
                "changes",
                List.of(
                    Map.of(
                        "type",
                        "SET_TLS_VERSIONS",
                        "pool",
                        pool,
                        "tlsVersions",
                        List.of("TLSv1.2")))));
    HttpResponse<String> created =
        instance.send("POST", "/api/v1/impact-assessments", "planner", request);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return json.readTree(created.body());
  }

  private static String randomSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
