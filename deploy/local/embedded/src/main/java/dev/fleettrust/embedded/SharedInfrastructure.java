package dev.fleettrust.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One PostgreSQL and one Kafka broker for a whole test run. Where a Docker engine answers, they are
 * Testcontainers; otherwise the same embedded PostgreSQL and in-process KRaft broker the local
 * default uses. The choice is automatic and no test is skipped either way.
 */
public final class SharedInfrastructure {
  private static final Logger LOG = LoggerFactory.getLogger(SharedInfrastructure.class);
  private static Endpoints endpoints;

  private SharedInfrastructure() {}

  /** Where the shared services listen. {@code kind} says which implementation runs them. */
  public record Endpoints(
      String jdbcUrl,
      String username,
      String password,
      String kafkaBootstrapServers,
      String kind,
      Restartable postgres) {}

  /** A database the tests may stop and start again, to prove that nothing is lost meanwhile. */
  public interface Restartable {
    void stop();

    void start();
  }

  /** Starts the services on first call; later calls return the same endpoints. */
  public static synchronized Endpoints endpoints() {
    if (endpoints == null) {
      endpoints = dockerAvailable() ? startContainers() : startEmbedded();
      LOG.info(
          "Shared test infrastructure ({}): {} and Kafka at {}",
          endpoints.kind(),
          endpoints.jdbcUrl(),
          endpoints.kafkaBootstrapServers());
    }
    return endpoints;
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static Endpoints startContainers() {
    PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:16-alpine");
    KafkaContainer kafka = new KafkaContainer("apache/kafka:3.9.1");
    postgres.start();
    kafka.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.stop();
                  postgres.stop();
                }));
    Restartable restart =
        new Restartable() {
          @Override
          public void stop() {
            postgres.getDockerClient().pauseContainerCmd(postgres.getContainerId()).exec();
          }

          @Override
          public void start() {
            postgres.getDockerClient().unpauseContainerCmd(postgres.getContainerId()).exec();
          }
        };
    return new Endpoints(
        postgres.getJdbcUrl(),
        postgres.getUsername(),
        postgres.getPassword(),
        kafka.getBootstrapServers(),
        "testcontainers",
        restart);
  }

  private static Endpoints startEmbedded() {
    Path home = temporaryDirectory();
    Path pgData = home.resolve("postgres");
    LocalPostgres[] postgres = {LocalPostgres.start(pgData, 0)};
    int pgPort = postgres[0].port();
    LocalKafka kafka = LocalKafka.start(home.resolve("kafka"), 0);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.close();
                  postgres[0].close();
                  deleteRecursively(home);
                }));
    Restartable restart =
        new Restartable() {
          @Override
          public synchronized void stop() {
            postgres[0].close();
          }

          @Override
          public synchronized void start() {
            postgres[0] = LocalPostgres.start(pgData, pgPort);
          }
        };
    return new Endpoints(
        postgres[0].jdbcUrl(),
        postgres[0].username(),
        postgres[0].password(),
        kafka.bootstrapServers(),
        "embedded",
        restart);
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("fleettrust-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      LOG.warn("Could not delete {}", root, e);
    }
  }
}
