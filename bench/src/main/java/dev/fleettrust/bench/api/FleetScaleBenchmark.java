package dev.fleettrust.bench.api;

import dev.fleettrust.Application;
import dev.fleettrust.assessment.AssessmentRunner;
import dev.fleettrust.assessment.FleetReader;
import dev.fleettrust.bench.fleet.FleetWriter;
import dev.fleettrust.embedded.SharedInfrastructure;
import dev.fleettrust.impact.Change;
import dev.fleettrust.impact.Progress;
import dev.fleettrust.impact.Usage;
import dev.fleettrust.ingest.fleet.FleetGenerator;
import dev.fleettrust.inventory.FleetGroupCounts;
import dev.fleettrust.x509.CertificateParser;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Issue 12's figures at one fleet size, each beside its limit measured in the same run: assessment
 * latency over HTTP beside the SQL {@code GROUP BY} of the same devices, the snapshot read and the
 * engine alone; device pages at several depths beside a keyset page of the device table in SQL;
 * heap after a full GC and RSS; database bytes per device.
 *
 * <p>The fleet: a generated fleet of {@code --generated} devices (default 20,000; registrations,
 * provisioning with CA certificates, firmware updates, resets, trust-store reports) loaded through
 * {@code POST /api/v1/events}, then copied in SQL under new MAC addresses (first octet changed)
 * until {@code --devices} devices exist. The copies share the generated devices' trust profiles, so
 * the number of profiles stays that of the generated fleet; the engine's cost follows profiles.
 *
 * <pre>
 * mvn -B -o -q -pl bench -am package -DskipTests -Dspec.lint.skip
 * java -Xmx2g -cp bench/target/benchmarks.jar dev.fleettrust.bench.api.FleetScaleBenchmark \
 *     --devices 100000 [--generated 20000] [--runs 20] [--pages 30]
 * </pre>
 */
public final class FleetScaleBenchmark {
  private final HttpClient http = HttpClient.newHttpClient();
  private final ApplicationContext context;
  private final SharedInfrastructure.Endpoints db;
  private final JsonMapper json;
  private final String base;
  private final String token;

  private FleetScaleBenchmark(
      ApplicationContext context, SharedInfrastructure.Endpoints db, int port) {
    this.context = context;
    this.db = db;
    this.json = context.getBean(JsonMapper.class);
    this.base = "http://localhost:" + port + "/api/v1";
    this.token =
        context
            .getBean(TokenGenerator.class)
            .generateToken(Authentication.build("bench", List.of("admin")), 3600)
            .orElseThrow();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = FleetWriter.options(args);
    SharedInfrastructure.Endpoints infrastructure = SharedInfrastructure.endpoints();
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("datasources.default.url", infrastructure.jdbcUrl());
    properties.put("datasources.default.username", infrastructure.username());
    properties.put("datasources.default.password", infrastructure.password());
    properties.put("kafka.bootstrap.servers", infrastructure.kafkaBootstrapServers());
    properties.put("micronaut.server.port", -1);
    properties.put(
        "micronaut.security.token.jwt.signatures.secret.generator.secret",
        "bench-secret-of-at-least-thirty-two-characters");
    try (ApplicationContext context =
        ApplicationContext.builder(Application.class).properties(properties).start()) {
      EmbeddedServer server = context.getBean(EmbeddedServer.class);
      server.start();
      new FleetScaleBenchmark(context, infrastructure, server.getPort()).run(options);
      server.stop();
    }
    System.exit(0);
  }

  private void run(Map<String, String> options) throws Exception {
    int devices = Integer.parseInt(options.getOrDefault("devices", "100000"));
    int generated = Math.min(devices, Integer.parseInt(options.getOrDefault("generated", "20000")));
    int runs = Integer.parseInt(options.getOrDefault("runs", "20"));
    int pages = Integer.parseInt(options.getOrDefault("pages", "30"));
    System.out.printf(
        "load average at start: %s; %d cores%n",
        loadAverage(), Runtime.getRuntime().availableProcessors());

    FleetGenerator generator = new FleetGenerator(FleetGenerator.Options.of(42, generated));
    long loadStart = System.nanoTime();
    long events = load(generator);
    System.out.printf(
        "loaded %,d generated devices (%,d events) over HTTP in %.1f s%n",
        generated, events, (System.nanoTime() - loadStart) / 1e9);
    long cloneStart = System.nanoTime();
    long active = cloneUpTo(devices);
    context.getBean(FleetGroupCounts.class).fold();
    System.out.printf(
        "fleet: %,d devices (%,d active) after copying in SQL (%.1f s); %,d fleet groups, %,d"
            + " trust profiles%n",
        count("SELECT count(*) FROM device"),
        active,
        (System.nanoTime() - cloneStart) / 1e9,
        count("SELECT count(*) FROM fleet_group WHERE device_count > 0"),
        count("SELECT count(DISTINCT profile_hash) FROM device WHERE active"));
    analyze();

    putEnvironment(generator);
    String request = assessmentRequest();

    // Assessments over HTTP, the SQL floor and the engine alone, interleaved so that each sees
    // the same neighbours' load.
    List<Long> http = new ArrayList<>();
    List<Long> groupBy = new ArrayList<>();
    List<Long> groupByIds = new ArrayList<>();
    List<Long> snapshot = new ArrayList<>();
    List<Long> engine = new ArrayList<>();
    AssessmentRunner runner = context.getBean(AssessmentRunner.class);
    FleetReader reader = context.getBean(FleetReader.class);
    List<Change> changes = changes();
    String id = null;
    System.out.printf("warm-up assessment: %d ms%n", millis(() -> post(request)));
    for (int i = 0; i < runs; i++) {
      String[] created = new String[1];
      http.add(millis(() -> created[0] = post(request)));
      id = created[0];
      groupBy.add(
          millis(
              () ->
                  count(
                      "SELECT count(*) FROM (SELECT profile_hash, pool, dialed_fqdn, count(*)"
                          + " FROM device WHERE active GROUP BY 1, 2, 3) g")));
      if (i < 5) {
        groupByIds.add(
            millis(
                () ->
                    count(
                        "SELECT count(*) FROM (SELECT profile_hash, pool, dialed_fqdn,"
                            + " array_agg(device_id ORDER BY device_id) FROM device WHERE active"
                            + " GROUP BY 1, 2, 3) g")));
      }
      AssessmentRunner.Inputs[] inputs = new AssessmentRunner.Inputs[1];
      snapshot.add(millis(() -> reader.read().groups().size()));
      inputs[0] = runner.inputs();
      engine.add(
          millis(
              () ->
                  runner
                      .assess(inputs[0], changes, Instant.now(), Progress.NONE)
                      .outcome()
                      .hashCode()));
    }
    System.out.println(lastSummary);
    report("POST /api/v1/impact-assessments (HTTP, end to end)", http);
    report("  limit: SQL GROUP BY profile_hash, pool, dialed_fqdn (counts)", groupBy);
    report("  old floor: the same GROUP BY with array_agg(device_id)", groupByIds);
    report("  fleet snapshot alone (FleetReader.read)", snapshot);
    report("  engine alone (AssessmentRunner.assess on a read snapshot)", engine);

    pages(id, pages);
    memory();
    sizes(devices);
    System.out.printf("load average at end: %s%n", loadAverage());
  }

  private String lastSummary = "";

  private long load(FleetGenerator generator) throws Exception {
    long events = 0;
    List<String> batch = new ArrayList<>(2_000);
    Iterator<FleetGenerator.GeneratedEvent> all = generator.events().iterator();
    while (all.hasNext()) {
      batch.add(all.next().json());
      if (batch.size() == 2_000 || !all.hasNext()) {
        send("POST", "/events", "[" + String.join(",", batch) + "]", 200, Map.of());
        events += batch.size();
        batch.clear();
      }
    }
    return events;
  }

  /** Copies the generated devices under new first octets until {@code target} devices exist. */
  private long cloneUpTo(int target) throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      String columns;
      try (ResultSet row =
          statement.executeQuery(
              "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute"
                  + " WHERE attrelid = 'device'::regclass AND attnum > 0 AND NOT attisdropped"
                  + " AND attgenerated = '' AND attname <> 'device_id'")) {
        row.next();
        columns = row.getString(1);
      }
      statement.execute("CREATE TEMPORARY TABLE bench_generated AS SELECT device_id FROM device");
      for (int octet = 0; octet < 256 && count("SELECT count(*) FROM device") < target; octet++) {
        long missing = target - count("SELECT count(*) FROM device");
        statement.execute(
            "INSERT INTO device (device_id, "
                + columns
                + ") SELECT overlay(d.device_id placing lpad(to_hex("
                + octet
                + "), 2, '0') from 1 for 2), "
                + columns.replaceAll("(\\w+)", "d.$1")
                + " FROM device d JOIN bench_generated g USING (device_id)"
                + " ORDER BY d.device_id LIMIT "
                + missing
                + " ON CONFLICT (device_id) DO NOTHING");
      }
    }
    return count("SELECT count(*) FROM device WHERE active");
  }

  private void analyze() throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("VACUUM ANALYZE device");
      statement.execute("VACUUM ANALYZE fleet_group_member");
      statement.execute("VACUUM ANALYZE fleet_group");
    }
  }

  /**
   * Every pool presents the wildcard certificate (valid for each); the change gives two of the
   * eight pools the certificate of another host, so their devices break on the name: about a fifth
   * of the fleet.
   */
  private void putEnvironment(FleetGenerator generator) throws Exception {
    String wildcard = pem("wildcard") + pem("contoso-issuing");
    List<Map<String, Object>> pools = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      String fqdn = String.format("sfbpool%02d.custdom.com", i);
      pools.add(
          Map.of(
              "fqdn", fqdn,
              "sipFqdns", List.of("sip.custdom.com", fqdn),
              "certificates", Map.of("DEFAULT", wildcard, "WEB_SERVICES_INTERNAL", wildcard),
              "trustedCaCerts", List.of(),
              "inferCertChainFromSsl", true));
    }
    Map<String, Object> environment =
        Map.of(
            "pools", pools,
            "exchange", List.of(),
            "activeDirectoryCas", generator.caPems(),
            "sites", List.of(),
            "unresolvableHosts", List.of());
    send("PUT", "/environment", json.writeValueAsString(environment), 200, Map.of());
  }

  private static final List<String> BROKEN_POOLS =
      List.of("sfbpool02.custdom.com", "sfbpool03.custdom.com");

  private String assessmentRequest() throws Exception {
    List<Map<String, Object>> changes = new ArrayList<>();
    for (String pool : BROKEN_POOLS) {
      changes.add(
          Map.of(
              "type",
              "REPLACE_CERTIFICATE",
              "pool",
              pool,
              "usage",
              "DEFAULT",
              "chain",
              pem("pool01") + pem("contoso-issuing")));
    }
    return json.writeValueAsString(
        Map.of(
            "description",
            "benchmark: two pools get another host's certificate",
            "changes",
            changes));
  }

  private List<Change> changes() throws Exception {
    List<Change> changes = new ArrayList<>();
    for (String pool : BROKEN_POOLS) {
      changes.add(
          new Change.ReplaceCertificate(
              pool,
              Usage.DEFAULT,
              CertificateParser.parse(pem("pool01") + pem("contoso-issuing"))));
    }
    return changes;
  }

  private String post(String request) {
    try {
      String body = send("POST", "/impact-assessments", request, 201, Map.of());
      @SuppressWarnings("unchecked")
      Map<String, Object> assessment = json.readValue(body, Map.class);
      @SuppressWarnings("unchecked")
      Map<String, Object> summary = (Map<String, Object>) assessment.get("summary");
      lastSummary =
          "assessed " + summary.get("devices") + " devices, verdicts " + summary.get("verdicts");
      return (String) assessment.get("id");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Pages of 100 at several depths of the list, beside a keyset page of the device table. */
  private void pages(String id, int repeats) throws Exception {
    record Depth(String name, String query) {}
    List<Depth> depths = new ArrayList<>();
    depths.add(new Depth("first page", ""));
    for (int percent : List.of(50, 90, 99)) {
      depths.add(new Depth(percent + "% deep", "&cursor=" + cursorAt(id, percent / 100.0)));
    }
    depths.add(new Depth("verdict=BREAKS, first page", "&verdict=BREAKS"));
    depths.add(new Depth("verdict=OK, 50% deep", "&verdict=OK&cursor=" + cursorAt(id, 0.5)));
    String model =
        text(
            "SELECT model FROM device WHERE model IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
    depths.add(
        new Depth(
            "model=" + model + ", first page",
            "&model=" + java.net.URLEncoder.encode(model, StandardCharsets.UTF_8)));
    for (Depth depth : depths) {
      List<Long> times = new ArrayList<>();
      int[] items = new int[1];
      for (int i = 0; i < repeats; i++) {
        times.add(
            micros(
                () -> {
                  try {
                    String body =
                        send(
                            "GET",
                            "/impact-assessments/" + id + "/devices?limit=100" + depth.query(),
                            null,
                            200,
                            Map.of());
                    items[0] = ((List<?>) json.readValue(body, Map.class).get("items")).size();
                    return items[0];
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      reportMicros(
          "GET /impact-assessments/{id}/devices?limit=100, "
              + depth.name()
              + " ("
              + items[0]
              + " items)",
          times);
    }
    List<Long> keyset = new ArrayList<>();
    Random random = new Random(7);
    try (Connection connection = connect();
        PreparedStatement page =
            connection.prepareStatement(
                "SELECT device_id, model, firmware_build, site FROM device WHERE device_id > ?"
                    + " ORDER BY device_id LIMIT 100")) {
      for (int i = 0; i < repeats; i++) {
        page.setString(1, String.format("%02x:", random.nextInt(256)));
        keyset.add(
            micros(
                () -> {
                  try (ResultSet rows = page.executeQuery()) {
                    int n = 0;
                    while (rows.next()) {
                      n++;
                    }
                    return n;
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
    }
    reportMicros("  limit: keyset page of 100 devices in SQL (JDBC, no HTTP)", keyset);
    // Counted as it arrives, never held: a million devices' CSV is hundreds of MB.
    long csvStart = System.nanoTime();
    HttpResponse<InputStream> csv =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/impact-assessments/" + id + "/devices"))
                .timeout(Duration.ofMinutes(30))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/csv")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    long bytes = 0;
    long lines = 0;
    try (InputStream body = csv.body()) {
      byte[] buffer = new byte[1 << 16];
      for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
        bytes += n;
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            lines++;
          }
        }
      }
    }
    System.out.printf(
        "CSV of the whole list (status %d): %,d lines, %.1f MB in %.1f s%n",
        csv.statusCode(), lines, bytes / 1e6, (System.nanoTime() - csvStart) / 1e9);
  }

  /** A cursor at {@code fraction} of the list: the first device of the group found there. */
  private String cursorAt(String id, double fraction) throws Exception {
    try (Connection connection = connect();
        PreparedStatement query =
            connection.prepareStatement(
                """
                SELECT group_no FROM (
                  SELECT group_no, sum(device_count) OVER (ORDER BY group_no) AS running,
                         sum(device_count) OVER () AS total
                    FROM impact_assessment_group WHERE assessment_id = ?::uuid) g
                 WHERE running >= total * ? ORDER BY group_no LIMIT 1
                """)) {
      query.setString(1, id);
      query.setDouble(2, fraction);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                (row.getInt(1) + ":00:00:00:00:00:00").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private void memory() throws Exception {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    String rss =
        Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("VmRSS"))
            .findFirst()
            .orElse("VmRSS: ?");
    System.out.printf(
        "heap after full GC: %.0f MiB (service, in-process Kafka broker and benchmark in one"
            + " JVM); %s%n",
        heap / 1048576.0, rss.replaceAll("\\s+", " "));
  }

  private void sizes(int devices) throws Exception {
    long database = count("SELECT pg_database_size(current_database())");
    long assessments = count("SELECT count(*) FROM impact_assessment");
    System.out.printf(
        "database: %.0f MB, %.0f bytes per device; device %.0f MB, fleet_group_member %.0f MB"
            + " (%,d rows); per stored assessment %.1f kB (%,d assessments)%n",
        database / 1e6,
        database / (double) devices,
        count("SELECT pg_total_relation_size('device')") / 1e6,
        count("SELECT pg_total_relation_size('fleet_group_member')") / 1e6,
        count("SELECT count(*) FROM fleet_group_member"),
        (count("SELECT pg_total_relation_size('impact_assessment_group')")
                + count("SELECT pg_total_relation_size('impact_assessment_group_rule')")
                + count("SELECT pg_total_relation_size('impact_assessment')"))
            / 1e3
            / Math.max(1, assessments),
        assessments);
  }

  private static void report(String what, List<Long> millis) {
    List<Long> sorted = new ArrayList<>(millis);
    sorted.sort(Long::compare);
    System.out.printf(
        "%s: p50 %d ms, p95 %d ms, min %d, max %d (%d runs)%n",
        what,
        sorted.get(sorted.size() / 2),
        sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1),
        sorted.get(0),
        sorted.get(sorted.size() - 1),
        sorted.size());
  }

  private static void reportMicros(String what, List<Long> micros) {
    List<Long> sorted = new ArrayList<>(micros);
    sorted.sort(Long::compare);
    System.out.printf(
        "%s: p50 %.1f ms, p95 %.1f ms, max %.1f ms (%d requests)%n",
        what,
        sorted.get(sorted.size() / 2) / 1e3,
        sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1) / 1e3,
        sorted.get(sorted.size() - 1) / 1e3,
        sorted.size());
  }

  private interface Work {
    Object get() throws Exception;
  }

  private static long millis(Work work) {
    return micros(work) / 1_000;
  }

  private static long micros(Work work) {
    long start = System.nanoTime();
    try {
      work.get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return (System.nanoTime() - start) / 1_000;
  }

  private long count(String sql) {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private String text(String sql) throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getString(1);
    }
  }

  private Connection connect() throws Exception {
    return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
  }

  private static String loadAverage() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).trim();
  }

  private String send(
      String method, String path, String body, int expected, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofMinutes(10))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(
          method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private static String pem(String name) throws IOException {
    try (InputStream in = FleetScaleBenchmark.class.getResourceAsStream("/demo/" + name + ".pem")) {
      if (in == null) {
        throw new IllegalStateException("demo certificate " + name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }
}
