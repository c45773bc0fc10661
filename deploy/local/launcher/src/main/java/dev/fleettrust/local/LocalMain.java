package dev.fleettrust.local;

import dev.fleettrust.Application;
import dev.fleettrust.embedded.LocalKafka;
import dev.fleettrust.embedded.LocalPostgres;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The local default: starts an embedded PostgreSQL and a single-node Kafka broker unless real ones
 * are configured, then the service, and stops all of them in reverse order on Ctrl-C or SIGTERM.
 * State lives under {@code FLEETTRUST_HOME}, so a restart keeps the inventory.
 */
public final class LocalMain {
  /** The exit code when the embedded PostgreSQL died and could not be kept running. */
  static final int EXIT_DATABASE_LOST = 3;

  private static final int MAX_POSTGRES_RESTARTS = 3;
  private static final Duration POSTGRES_RESTART_WINDOW = Duration.ofMinutes(10);

  private LocalMain() {}

  /** System.exit runs the shutdown hook, which waits for this thread: exit from another one. */
  private static void exitWithoutDatabase() {
    new Thread(() -> System.exit(EXIT_DATABASE_LOST), "fleettrust-exit").start();
  }

  public static void main(String[] args) {
    try {
      run(args);
    } catch (IllegalStateException e) {
      // A refusal the user can act on (the data directory is in use, PostgreSQL would not start):
      // one clear line and a non-zero exit, not a stack trace.
      System.err.println("FleetTrust could not start: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void run(String[] args) {
    LocalSettings settings = LocalSettings.fromEnvironment(System.getenv(), args);
    Deque<AutoCloseable> running = new ArrayDeque<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(running), "fleettrust-stop"));

    Map<String, Object> properties = new HashMap<>();
    String database = settings.databaseUrl().orElse(null);
    if (database == null) {
      PostgresSupervisor supervisor =
          PostgresSupervisor.start(
              settings.home().resolve("postgres"),
              settings.postgresPort(),
              MAX_POSTGRES_RESTARTS,
              POSTGRES_RESTART_WINDOW,
              System.err::println,
              LocalMain::exitWithoutDatabase);
      running.push(supervisor);
      LocalPostgres postgres = supervisor.current();
      properties.put("datasources.default.url", postgres.jdbcUrl());
      properties.put("datasources.default.username", postgres.username());
      properties.put("datasources.default.password", postgres.password());
      database = postgres.jdbcUrl() + " (data in " + settings.home().resolve("postgres") + ")";
    }
    String kafka = settings.kafkaBootstrapServers().orElse(null);
    if (kafka == null) {
      LocalKafka broker = LocalKafka.start(settings.home().resolve("kafka"), settings.kafkaPort());
      running.push(broker);
      properties.put("kafka.bootstrap.servers", broker.bootstrapServers());
      kafka = broker.bootstrapServers() + " (embedded KRaft broker)";
    }
    if (settings.jwtSecret().isEmpty()) {
      properties.put(
          "micronaut.security.token.jwt.signatures.secret.generator.secret",
          LocalSecret.readOrCreate(settings.home()));
    }

    ApplicationContext context =
        ApplicationContext.builder(Application.class)
            .properties(properties)
            .args(withoutLauncherFlags(args))
            .start();
    running.push(context);
    EmbeddedServer server = context.getBean(EmbeddedServer.class);
    server.start();
    running.push(server::stop);

    printWelcome(server.getPort(), database, kafka, settings);
    if (settings.demo()) {
      DemoFleet.load(context, server.getPort(), settings.home());
    }
  }

  private static String[] withoutLauncherFlags(String[] args) {
    return Arrays.stream(args).filter(arg -> !arg.equals("--demo")).toArray(String[]::new);
  }

  private static void stopAll(Deque<AutoCloseable> running) {
    while (!running.isEmpty()) {
      try {
        running.pop().close();
      } catch (Exception e) {
        System.err.println("FleetTrust: error while stopping: " + e);
      }
    }
    System.out.println("FleetTrust stopped.");
  }

  private static void printWelcome(
      int port, String database, String kafka, LocalSettings settings) {
    String base = "http://localhost:" + port;
    System.out.printf(
        """

        FleetTrust is running.
          API           %s/api/v1
          Swagger UI    %s/swagger-ui/index.html
          OpenAPI spec  %s/api-spec/openapi.yaml
          Health        %s/health
          PostgreSQL    %s
          Kafka         %s, topic fleettrust.device-events
          State         %s

        Get a token (roles: viewer, planner, admin) with the same FLEETTRUST_HOME:
          deploy/local/token.sh admin
          curl -H "Authorization: Bearer $(deploy/local/token.sh viewer)" %s/api/v1/devices

        Stop with Ctrl-C.
        %n""",
        base, base, base, base, database, kafka, settings.home(), base);
  }
}
