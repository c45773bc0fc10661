package dev.fleettrust.embedded;

import java.nio.file.Path;
import java.sql.DriverManager;

/**
 * A process that starts PostgreSQL, writes a row, says the postmaster's PID and waits to be killed
 * with {@code kill -9}: what a crashed local default leaves behind.
 */
public final class AbandonedPostgres {
  private AbandonedPostgres() {}

  public static void main(String[] args) throws Exception {
    LocalPostgres postgres = LocalPostgres.start(Path.of(args[0]), Integer.parseInt(args[1]));
    try (var connection =
        DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password())) {
      connection.createStatement().execute("CREATE TABLE kept (value text)");
      connection.createStatement().execute("INSERT INTO kept VALUES ('from the killed process')");
    }
    System.out.println("postmaster " + postgres.postmaster().pid() + " port " + postgres.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
