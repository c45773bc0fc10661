package dev.fleettrust.migration;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.core.type.Argument;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the schema migrations outside the service, so that a release migrates once (a Kubernetes
 * Job) instead of once per replica, and replicas wait for the new schema instead of racing to apply
 * it. The service itself then starts with {@code FLEETTRUST_MIGRATE_ON_START=false}.
 *
 * <p>It reads the service's own configuration (application.yml and the same environment variables)
 * through Micronaut's environment alone: no bean starts, so no consumer joins the group and no
 * scheduled task runs.
 *
 * <pre>
 * java -cp 'fleettrust-service.jar:lib/*' dev.fleettrust.migration.Migrations migrate
 * java -cp 'fleettrust-service.jar:lib/*' dev.fleettrust.migration.Migrations await [seconds]
 * </pre>
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final Duration DEFAULT_WAIT = Duration.ofMinutes(10);
  private static final Duration RETRY = Duration.ofSeconds(5);

  private Migrations() {}

  public static void main(String[] args) throws InterruptedException {
    String command = args.length == 0 ? "migrate" : args[0];
    Flyway flyway = flyway();
    switch (command) {
      case "migrate" -> {
        int applied = flyway.migrate().migrationsExecuted;
        LOG.info("Schema migrated: {} migrations applied", applied);
      }
      case "await" -> {
        Duration wait =
            args.length > 1 ? Duration.ofSeconds(Long.parseLong(args[1])) : DEFAULT_WAIT;
        if (!awaitMigrated(flyway, wait)) {
          LOG.error(
              "Migrations still pending after {}: has the release's migration Job run?", wait);
          System.exit(1);
        }
      }
      default -> {
        System.err.println("usage: Migrations migrate | await [seconds]");
        System.exit(64);
      }
    }
  }

  /** Waits until every migration this build ships has been applied, or the time is up. */
  static boolean awaitMigrated(Flyway flyway, Duration wait) throws InterruptedException {
    Instant deadline = Instant.now().plus(wait);
    while (true) {
      try {
        MigrationInfo[] pending = flyway.info().pending();
        if (pending.length == 0) {
          LOG.info("Schema is up to date");
          return true;
        }
        LOG.info(
            "Waiting for {} pending migrations, first {}", pending.length, pending[0].getVersion());
      } catch (RuntimeException e) {
        // The database may not answer yet while the release rolls out.
        LOG.info("Waiting for the database: {}", e.toString());
      }
      if (Instant.now().plus(RETRY).isAfter(deadline)) {
        return false;
      }
      Thread.sleep(RETRY.toMillis());
    }
  }

  /** Flyway configured from the service's {@code datasources.default} and {@code flyway} keys. */
  static Flyway flyway() {
    try (ApplicationContext context = ApplicationContext.builder().build()) {
      Environment environment = context.getEnvironment();
      environment.start();
      String prefix = "datasources.default.";
      List<String> locations =
          environment
              .getProperty("flyway.datasources.default.locations", Argument.listOf(String.class))
              .orElse(List.of("classpath:db/migration"));
      return Flyway.configure()
          .dataSource(
              environment.getRequiredProperty(prefix + "url", String.class),
              environment.getProperty(prefix + "username", String.class).orElse(null),
              environment.getProperty(prefix + "password", String.class).orElse(null))
          .locations(locations.toArray(String[]::new))
          .load();
    }
  }
}
