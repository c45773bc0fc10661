package dev.fleettrust.bench.api;

import dev.fleettrust.Application;
import dev.fleettrust.embedded.SharedInfrastructure;
import dev.fleettrust.ingest.fleet.FleetGenerator;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/impact-assessments} latency on a real fleet: starts the service on the
 * embedded PostgreSQL and Kafka broker, loads a generated fleet of N devices through {@code POST
 * /api/v1/events}, puts an environment of eight pools, then times assessments of a certificate
 * replacement over HTTP, end to end (fleet snapshot, engine, storage, response).
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests -Dspec.lint.skip
 * java -cp bench/target/benchmarks.jar dev.fleettrust.bench.api.AssessmentLatencyBenchmark 100000
 * </pre>
 */
public final class AssessmentLatencyBenchmark {
  private static final int MEASURED_RUNS = 5;

  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json;
  private final String base;
  private final String token;

  private AssessmentLatencyBenchmark(ApplicationContext context, int port) {
    this.json = context.getBean(JsonMapper.class);
    this.base = "http://localhost:" + port + "/api/v1";
    this.token =
        context
            .getBean(TokenGenerator.class)
            .generateToken(Authentication.build("bench", List.of("admin")), 3600)
            .orElseThrow();
  }

  public static void main(String[] args) throws Exception {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
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
      new AssessmentLatencyBenchmark(context, server.getPort()).run(devices);
      server.stop();
    }
    System.exit(0);
  }

  private void run(int devices) throws Exception {
    FleetGenerator generator =
        new FleetGenerator(FleetGenerator.Options.of(42, devices).withSignInsPerDay(1, 1));
    long loadStart = System.nanoTime();
    int events = 0;
    List<String> batch = new ArrayList<>(2_000);
    Iterator<FleetGenerator.GeneratedEvent> all = generator.events().iterator();
    while (all.hasNext()) {
      batch.add(all.next().json());
      if (batch.size() == 2_000 || !all.hasNext()) {
        send("POST", "/events", "[" + String.join(",", batch) + "]", 200);
        events += batch.size();
        batch.clear();
      }
    }
    double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
    System.out.printf(
        "loaded %,d devices (%,d events) through POST /api/v1/events in %.1f s (%,.0f events/s)%n",
        devices, events, loadSeconds, events / loadSeconds);

    String poolChain = pem("pool01") + pem("contoso-issuing");
    List<Map<String, Object>> pools = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      String fqdn = String.format("sfbpool%02d.custdom.com", i);
      pools.add(
          Map.of(
              "fqdn", fqdn,
              "sipFqdns", List.of("sip.custdom.com", fqdn),
              "certificates", Map.of("DEFAULT", poolChain, "WEB_SERVICES_INTERNAL", poolChain),
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
    send("PUT", "/environment", json.writeValueAsString(environment), 200);

    String request =
        json.writeValueAsString(
            Map.of(
                "description",
                "benchmark: wildcard reissue on sfbpool01",
                "changes",
                List.of(
                    Map.of(
                        "type", "REPLACE_CERTIFICATE",
                        "pool", "sfbpool01.custdom.com",
                        "usage", "DEFAULT",
                        "chain", pem("wildcard") + pem("contoso-issuing")))));
    long warmUp = time(request);
    System.out.printf("warm-up assessment: %d ms%n", warmUp);
    List<Long> runs = new ArrayList<>();
    for (int i = 0; i < MEASURED_RUNS; i++) {
      runs.add(time(request));
    }
    List<Long> sorted = new ArrayList<>(runs);
    sorted.sort(Long::compare);
    System.out.printf(
        "POST /api/v1/impact-assessments over %,d devices: runs %s ms, median %d ms, max %d ms%n",
        devices, runs, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
  }

  private long time(String request) throws Exception {
    long start = System.nanoTime();
    String body = send("POST", "/impact-assessments", request, 201);
    long millis = (System.nanoTime() - start) / 1_000_000;
    @SuppressWarnings("unchecked")
    Map<String, Object> summary =
        (Map<String, Object>) json.readValue(body, Map.class).get("summary");
    System.out.printf(
        "  %d ms: %s devices, verdicts %s%n",
        millis, summary.get("devices"), summary.get("verdicts"));
    return millis;
  }

  private String send(String method, String path, String body, int expected) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofMinutes(5))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(
          method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private static String pem(String name) throws IOException {
    try (InputStream in =
        AssessmentLatencyBenchmark.class.getResourceAsStream("/demo/" + name + ".pem")) {
      if (in == null) {
        throw new IllegalStateException("demo certificate " + name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }
}
