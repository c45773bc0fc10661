package dev.fleettrust.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A real PostgreSQL server from the binaries zonky ships in a Maven jar, so nothing has to be
 * installed on the machine. The data directory survives a restart when it is kept.
 */
public final class LocalPostgres implements AutoCloseable {
  public static final String DATABASE = "fleettrust";
  private static final String USER = "postgres";

  private final EmbeddedPostgres server;

  private LocalPostgres(EmbeddedPostgres server) {
    this.server = server;
  }

  /**
   * Starts PostgreSQL on {@code dataDirectory}, creating the cluster on first use and the {@value
   * #DATABASE} database if it is missing.
   *
   * @param port a fixed port, or 0 for any free one
   */
  public static LocalPostgres start(Path dataDirectory, int port) {
    try {
      Files.createDirectories(dataDirectory);
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("max_connections", "200")
              // zonky turns synchronous_commit off for speed: a commit then returns before its WAL
              // is on disk, and after a crash the service has already committed the Kafka offsets
              // of events PostgreSQL lost. Both the local default and the tests commit durably.
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("fsync", "on")
              .setServerConfig("full_page_writes", "on");
      if (port > 0) {
        builder.setPort(port);
      }
      LocalPostgres postgres = new LocalPostgres(builder.start());
      postgres.createDatabaseIfMissing();
      return postgres;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
    }
  }

  private void createDatabaseIfMissing() {
    String adminUrl = "jdbc:postgresql://localhost:" + port() + "/postgres";
    try (Connection connection = DriverManager.getConnection(adminUrl, USER, password());
        var exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, DATABASE);
      try (var rows = exists.executeQuery()) {
        if (!rows.next()) {
          connection.createStatement().execute("CREATE DATABASE " + DATABASE);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create the " + DATABASE + " database", e);
    }
  }

  public int port() {
    return server.getPort();
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
  }

  public String username() {
    return USER;
  }

  /** zonky's clusters trust local connections; the driver still wants a value. */
  public String password() {
    return "postgres";
  }

  /** Stops the server; the data directory is kept. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not stop the embedded PostgreSQL", e);
    }
  }
}
