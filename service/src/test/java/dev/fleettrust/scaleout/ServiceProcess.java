package dev.fleettrust.scaleout;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fleettrust.embedded.SharedInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A FleetTrust service, or one of the image's other commands, as a separate JVM on loopback: the
 * service's own classes and runtime libraries (as in the image, nothing from the tests), configured
 * through the documented environment variables against the shared test PostgreSQL and Kafka.
 */
final class ServiceProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String name;
  private final Process process;
  private final Path log;
  private final int port;
  private final String jwtSecret;

  private ServiceProcess(String name, Process process, Path log, int port, String jwtSecret) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.port = port;
    this.jwtSecret = jwtSecret;
  }

  /** The environment every process gets: the shared services, the test's secret and topic. */
  static Map<String, String> environment(String jwtSecret, String topic, String group) {
    SharedInfrastructure.Endpoints endpoints = SharedInfrastructure.endpoints();
    Map<String, String> env = new HashMap<>();
    env.put("DATASOURCES_DEFAULT_URL", endpoints.jdbcUrl());
    env.put("DATASOURCES_DEFAULT_USERNAME", endpoints.username());
    env.put("DATASOURCES_DEFAULT_PASSWORD", endpoints.password());
    env.put("DATASOURCES_DEFAULT_MAXIMUM_POOL_SIZE", "5");
    env.put("KAFKA_BOOTSTRAP_SERVERS", endpoints.kafkaBootstrapServers());
    env.put("FLEETTRUST_JWT_SECRET", jwtSecret);
    env.put("FLEETTRUST_INGEST_TOPIC", topic);
    env.put("FLEETTRUST_INGEST_GROUP_ID", group);
    // As on Kubernetes: the migration runs once, on its own; the replicas never migrate.
    env.put("FLEETTRUST_MIGRATE_ON_START", "false");
    return env;
  }

  /** Starts the service on a free loopback port; {@link #awaitReady} waits for it. */
  static ServiceProcess serve(String name, Map<String, String> environment, Path logs) {
    int port = freePort();
    Map<String, String> env = new HashMap<>(environment);
    env.put("FLEETTRUST_PORT", Integer.toString(port));
    env.put("MICRONAUT_SERVER_HOST", "127.0.0.1");
    return start(name, env, logs, port, List.of("dev.fleettrust.Application"));
  }

  /**
   * Runs one of the image's commands (migration, demo loader) to its end; returns its exit code.
   */
  static int run(
      String name,
      Map<String, String> environment,
      Path logs,
      Duration limit,
      String... mainAndArgs)
      throws InterruptedException {
    ServiceProcess process = start(name, environment, logs, -1, List.of(mainAndArgs));
    if (!process.process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.process.destroyForcibly();
      throw new AssertionError(name + " did not finish within " + limit + process.logTail());
    }
    return process.process.exitValue();
  }

  private static ServiceProcess start(
      String name, Map<String, String> env, Path logs, int port, List<String> mainAndArgs) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    // Small and quick to start: two of these share the machine with the test JVM.
    command.addAll(List.of("-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of("-cp", classpath()));
    command.addAll(mainAndArgs);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    Path log = logs.resolve(name + ".log");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    try {
      Files.createDirectories(logs);
      return new ServiceProcess(name, builder.start(), log, port, env.get("FLEETTRUST_JWT_SECRET"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String classpath() {
    try {
      String classes = System.getProperty("fleettrust.service.classes");
      Path libraries = Path.of(System.getProperty("fleettrust.service.classpath"));
      return classes + java.io.File.pathSeparator + Files.readString(libraries).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("Build the service's classpath file first (mvn)", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits until the Kubernetes readiness probe's endpoint answers 200 (database and Kafka up). */
  void awaitReady(Duration limit) throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + logTail());
      }
      try {
        if (get("/management/health/readiness", null).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(500);
    }
    throw new AssertionError(name + " not ready within " + limit + logTail());
  }

  HttpResponse<String> get(String path, String role) throws IOException, InterruptedException {
    HttpRequest.Builder request = request(path, role).GET();
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(String method, String path, String role, String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        request(path, role)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path, String role) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofMinutes(2));
    if (role != null) {
      request.header("Authorization", "Bearer " + token(role));
    }
    return request;
  }

  /** A bearer token as any issuer sharing the HS256 secret would sign it. */
  private String token(String role) {
    try {
      JWTClaimsSet claims =
          new JWTClaimsSet.Builder()
              .subject("two-instances-" + role)
              .claim("roles", List.of(role))
              .issueTime(new Date())
              .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))))
              .build();
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner(jwtSecret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends SIGTERM, as Kubernetes does first: the service leaves the consumer group going down. */
  void stop() {
    process.destroy();
  }

  /** Whether it exited within the grace period; killed if not, as Kubernetes would. */
  boolean awaitExit(Duration grace) throws InterruptedException {
    if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      return true;
    }
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    return false;
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "\n--- last lines of "
          + log
          + " ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return " (no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
      awaitExit(Duration.ofSeconds(30));
    }
  }
}
