package dev.fleettrust.bench.backtest;

import dev.fleettrust.Application;
import dev.fleettrust.embedded.SharedInfrastructure;
import dev.fleettrust.ingest.fleet.FleetGenerator;
import dev.fleettrust.trust.BuildNumber;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * {@code GET /api/v1/impact-assessments/{id}/backtest} on a large fleet (issue 17's target: under 2
 * s at 1,000,000 devices). Starts the service on the embedded PostgreSQL, stores an assessment of
 * the generated fleet directly (one row per trust situation with its devices, as the service stores
 * them: LPE builds before 4.0.7577.4100 predicted {@code BREAKS} on a wildcard certificate, the
 * rest {@code OK}), writes a day of ordinary sign-ins before the go-live and the generator's
 * synthetic incident after it (80 % of the Aries devices on 4.0.7577.4414 fail although predicted
 * OK) with COPY, records the deployment, then times the backtest, a page of the
 * predicted-OK-but-failed devices and the proposal analysis over HTTP.
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests -Dspec.lint.skip
 * java -Xmx6g -cp bench/target/benchmarks.jar dev.fleettrust.bench.backtest.BacktestBenchmark 1000000
 * </pre>
 */
public final class BacktestBenchmark {
  private static final int MEASURED_RUNS = 5;
  private static final Set<String> LPE =
      Set.of("CX600", "CX500", "CX3000", "HP 4120", "HP 4110", "CX700");
  private static final Set<String> ARIES = Set.of("CX600", "CX500", "CX3000", "HP 4120", "HP 4110");
  private static final BuildNumber FIRST_WITH_WILDCARDS = BuildNumber.parse("4.0.7577.4100");

  private final HttpClient http = HttpClient.newHttpClient();
  private final SharedInfrastructure.Endpoints database;
  private final String base;
  private final String token;

  private BacktestBenchmark(
      ApplicationContext context, int port, SharedInfrastructure.Endpoints database) {
    this.database = database;
    this.base = "http://localhost:" + port + "/api/v1";
    this.token =
        context
            .getBean(TokenGenerator.class)
            .generateToken(Authentication.build("bench", List.of("admin")), 3600)
            .orElseThrow();
  }

  public static void main(String[] args) throws Exception {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    SharedInfrastructure.Endpoints infrastructure = SharedInfrastructure.endpoints();
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("datasources.default.url", infrastructure.jdbcUrl());
    properties.put("datasources.default.username", infrastructure.username());
    properties.put("datasources.default.password", infrastructure.password());
    properties.put("kafka.bootstrap.servers", infrastructure.kafkaBootstrapServers());
    properties.put("micronaut.server.port", -1);
    properties.put("fleettrust.backtest.proposal-initial-delay", "1h");
    properties.put(
        "micronaut.security.token.jwt.signatures.secret.generator.secret",
        "bench-secret-of-at-least-thirty-two-characters");
    try (ApplicationContext context =
        ApplicationContext.builder(Application.class).properties(properties).start()) {
      EmbeddedServer server = context.getBean(EmbeddedServer.class);
      server.start();
      new BacktestBenchmark(context, server.getPort(), infrastructure).run(devices);
      server.stop();
    }
    System.exit(0);
  }

  private void run(int devices) throws Exception {
    System.out.printf("load average before loading: %s%n", load());
    long loadStart = System.nanoTime();
    FleetGenerator fleet =
        new FleetGenerator(
            FleetGenerator.Options.of(17, devices)
                .withPoolDomain("bench" + Long.toHexString(System.nanoTime()) + ".custdom.com"));
    UUID assessment = UUID.randomUUID();
    Instant deployedAt = fleet.options().start().plus(Duration.ofDays(2));
    Set<String> breaks = new HashSet<>();
    Map<String, Group> groups = new LinkedHashMap<>();
    for (int i = 0; i < devices; i++) {
      FleetGenerator.PlannedDevice d = fleet.device(i);
      String build = d.updatedFirmware().orElse(d.firmware());
      boolean lpe = LPE.contains(d.model());
      boolean broken = lpe && BuildNumber.parse(build).compareTo(FIRST_WITH_WILDCARDS) < 0;
      if (broken) {
        breaks.add(d.deviceId().value());
      }
      String key = d.model() + "|" + build + "|" + d.method() + "|" + d.site() + "|" + d.pool();
      groups
          .computeIfAbsent(
              key,
              k ->
                  new Group(
                      d.model(),
                      family(d.model()),
                      build,
                      d.site(),
                      broken ? "BREAKS" : "OK",
                      new ArrayList<>()))
          .devices()
          .add(d.deviceId().value());
    }
    FleetGenerator.Incident incident =
        new FleetGenerator.Incident(
            deployedAt,
            24,
            ARIES,
            "4.0.7577.4414",
            0.8,
            "TLS handshake failed: certificate name does not match",
            0.01,
            0.02,
            0.01,
            0.05);
    List<FleetGenerator.IncidentOutcome> truth =
        fleet.incident(incident, id -> breaks.contains(id.value()));
    long rows;
    try (Connection connection =
        DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
      connection.setAutoCommit(false);
      storeAssessment(connection, assessment, groups);
      rows = copySignIns(connection, truth, deployedAt);
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO assessment_deployment (id, assessment_id, deployed_at, pools,"
                  + " recorded_by) VALUES (?, ?, ?, '{}', 'bench')")) {
        insert.setObject(1, UUID.randomUUID());
        insert.setObject(2, assessment);
        insert.setTimestamp(3, Timestamp.from(deployedAt));
        insert.executeUpdate();
      }
      connection.commit();
      connection.setAutoCommit(true);
      try (Statement analyze = connection.createStatement()) {
        analyze.execute("ANALYZE sign_in_outcome");
        analyze.execute("ANALYZE impact_assessment_group");
      }
    }
    System.out.printf(
        "stored %,d devices in %,d groups and %,d sign-ins in %.1f s; load average %s%n",
        devices, groups.size(), rows, (System.nanoTime() - loadStart) / 1e9, load());

    String path = "/impact-assessments/" + assessment + "/backtest";
    long warmUp = time(path, true);
    System.out.printf("warm-up backtest: %d ms%n", warmUp);
    List<Long> runs = new ArrayList<>();
    for (int i = 0; i < MEASURED_RUNS; i++) {
      runs.add(time(path, i == 0));
    }
    List<Long> sorted = new ArrayList<>(runs);
    sorted.sort(Long::compare);
    System.out.printf(
        "GET %s over %,d devices: runs %s ms, median %d ms, max %d ms; load average %s%n",
        path, devices, runs, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), load());
    long page = time(path + "/devices?verdict=OK&observed=FAILED&limit=100", false);
    System.out.printf("one page of 100 predicted-OK-but-failed devices: %d ms%n", page);
    long proposals = time("/catalog/proposals?status=OPEN", true);
    System.out.printf(
        "GET /catalog/proposals with the deployment's analysis: %d ms; load average %s%n",
        proposals, load());
  }

  private record Group(
      String model,
      String family,
      String build,
      String site,
      String verdict,
      List<String> devices) {}

  private static String family(String model) {
    if (ARIES.contains(model)) {
      return "LPE-AIRES";
    }
    return model.equals("CX700") ? "LPE-TANJAY" : null;
  }

  private static void storeAssessment(Connection connection, UUID id, Map<String, Group> groups)
      throws Exception {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO impact_assessment (id, status, evaluate_at, created_at, created_by,"
                + " changes, catalog_version, environment_version, inventory_snapshot_at,"
                + " completed_at, summary) VALUES (?, 'COMPLETED', now(), now(), 'bench',"
                + " '[]'::jsonb, 'bench', 0, now(), now(), '{}'::jsonb)")) {
      insert.setObject(1, id);
      insert.executeUpdate();
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO impact_assessment_group (assessment_id, group_no, profile_hash, verdict,"
                + " verdict_rank, model, family, build, site, findings, device_ids)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)")) {
      int no = 0;
      for (Group g : groups.values()) {
        boolean breaks = g.verdict().equals("BREAKS");
        insert.setObject(1, id);
        insert.setInt(2, no);
        insert.setString(3, String.format("%064x", no));
        insert.setString(4, g.verdict());
        insert.setInt(5, breaks ? 0 : 4);
        insert.setString(6, g.model());
        insert.setString(7, g.family());
        insert.setString(8, g.build());
        insert.setString(9, g.site());
        insert.setString(
            10,
            breaks
                ? "[{\"rule\":\"WILDCARD_UNSUPPORTED\",\"message\":\"m\",\"remediation\":\"r\"}]"
                : "[]");
        insert.setArray(11, connection.createArrayOf("text", g.devices().toArray()));
        insert.addBatch();
        no++;
        if (no % 500 == 0) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
    }
  }

  /** One ordinary sign-in per device the day before, then the incident's; returns the rows. */
  private static long copySignIns(
      Connection connection, List<FleetGenerator.IncidentOutcome> truth, Instant deployedAt)
      throws Exception {
    try (PreparedStatement ensure =
        connection.prepareStatement(
            "SELECT fleettrust_ensure_monthly_partitions('sign_in_outcome'::regclass, ?, ?)")) {
      ensure.setTimestamp(1, Timestamp.from(deployedAt.minus(Duration.ofDays(2))));
      ensure.setTimestamp(2, Timestamp.from(deployedAt.plus(Duration.ofDays(2))));
      ensure.execute();
    }
    CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
    String sql =
        "COPY sign_in_outcome (event_time, event_id, device_id, outcome, failure_reason, pool,"
            + " site, model, firmware_build) FROM STDIN";
    long rows = 0;
    StringBuilder chunk = new StringBuilder(1 << 22);
    long n = 0;
    for (FleetGenerator.IncidentOutcome o : truth) {
      FleetGenerator.PlannedDevice d = o.device();
      Instant before = deployedAt.minus(Duration.ofHours(12)).plusSeconds(d.index() % 36_000);
      row(chunk, before, "b" + n++, d, o.firmware(), null);
      rows++;
      for (FleetGenerator.Attempt a : o.attempts()) {
        row(chunk, a.time(), "b" + n++, d, o.firmware(), a.failureReason().orElse(null));
        rows++;
      }
      if (chunk.length() > (1 << 22) - 4096) {
        copy.copyIn(sql, new StringReader(chunk.toString()));
        chunk.setLength(0);
      }
    }
    copy.copyIn(sql, new StringReader(chunk.toString()));
    return rows;
  }

  private static void row(
      StringBuilder out,
      Instant time,
      String id,
      FleetGenerator.PlannedDevice d,
      String build,
      String failure) {
    out.append(time)
        .append('\t')
        .append(id)
        .append('\t')
        .append(d.deviceId().value())
        .append('\t')
        .append(failure == null ? "SUCCESS" : "FAILURE")
        .append('\t')
        .append(failure == null ? "\\N" : failure)
        .append('\t')
        .append(d.pool())
        .append('\t')
        .append(d.site())
        .append('\t')
        .append(d.model())
        .append('\t')
        .append(build)
        .append('\n');
  }

  private long time(String path, boolean print) throws Exception {
    long start = System.nanoTime();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofMinutes(10))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          path + " answered " + response.statusCode() + ": " + response.body());
    }
    if (print) {
      String body = response.body();
      System.out.printf("  %d ms: %s%n", millis, body.substring(0, Math.min(600, body.length())));
    }
    return millis;
  }

  private static String load() throws Exception {
    return Files.readString(Path.of("/proc/loadavg")).trim();
  }
}
