package dev.fleettrust.local;

import dev.fleettrust.Application;
import dev.fleettrust.embedded.LocalKafka;
import dev.fleettrust.embedded.LocalPostgres;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
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
  private LocalMain() {}

  public static void main(String[] args) {
    LocalSettings settings = LocalSettings.fromEnvironment(System.getenv(), args);
    Deque<AutoCloseable> running = new ArrayDeque<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(running), "fleettrust-stop"));

    Map<String, Object> properties = new HashMap<>();
    String database = settings.databaseUrl().orElse(null);
    if (database == null) {
      LocalPostgres postgres =
          LocalPostgres.start(settings.home().resolve("postgres"), settings.postgresPort());
      running.push(postgres);
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
