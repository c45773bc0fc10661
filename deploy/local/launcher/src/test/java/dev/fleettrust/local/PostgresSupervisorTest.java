package dev.fleettrust.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresSupervisorTest {
  @TempDir Path home;

  private final List<String> said = new CopyOnWriteArrayList<>();

  @Test
  void aKilledPostgresIsRestartedOnTheSamePortWithItsData() throws Exception {
    CountDownLatch gaveUp = new CountDownLatch(1);
    try (PostgresSupervisor supervisor =
        PostgresSupervisor.start(
            home.resolve("postgres"), 0, 3, Duration.ofMinutes(10), said::add, gaveUp::countDown)) {
      String url = supervisor.jdbcUrl();
      execute(url, "CREATE TABLE kept (value text)");
      execute(url, "INSERT INTO kept VALUES ('before the crash')");
      ProcessHandle first = supervisor.current().postmaster();

      first.destroyForcibly();

      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> supervisor.current().postmaster().pid() != first.pid());
      assertThat(supervisor.jdbcUrl()).isEqualTo(url);
      assertThat(query(url, "SELECT value FROM kept")).isEqualTo("before the crash");
      assertThat(gaveUp.getCount()).isEqualTo(1);
      assertThat(said)
          .anySatisfy(line -> assertThat(line).contains("exited unexpectedly"))
          .anySatisfy(line -> assertThat(line).contains("PostgreSQL restarted"));
    }
  }

  @Test
  void givesUpWithAClearMessageWhenPostgresKeepsDying() throws Exception {
    CountDownLatch gaveUp = new CountDownLatch(1);
    try (PostgresSupervisor supervisor =
        PostgresSupervisor.start(
            home.resolve("postgres"), 0, 0, Duration.ofMinutes(10), said::add, gaveUp::countDown)) {
      ProcessHandle postmaster = supervisor.current().postmaster();

      postmaster.destroyForcibly();

      assertThat(gaveUp.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(said)
          .anySatisfy(line -> assertThat(line).contains("stopping, because PostgreSQL is gone"));
      assertThat(supervisor.current().postmaster().isAlive()).isFalse();
    }
  }

  @Test
  void anOrderlyStopIsNotACrash() throws Exception {
    CountDownLatch gaveUp = new CountDownLatch(1);
    PostgresSupervisor supervisor =
        PostgresSupervisor.start(
            home.resolve("postgres"), 0, 3, Duration.ofMinutes(10), said::add, gaveUp::countDown);
    ProcessHandle postmaster = supervisor.current().postmaster();

    supervisor.close();

    postmaster.onExit().get(30, TimeUnit.SECONDS);
    assertThat(gaveUp.await(2, TimeUnit.SECONDS)).isFalse();
    assertThat(said).isEmpty();
  }

  private static void execute(String url, String sql) throws Exception {
    try (var connection = DriverManager.getConnection(url, "postgres", "postgres")) {
      connection.createStatement().execute(sql);
    }
  }

  private static String query(String url, String sql) throws Exception {
    try (var connection = DriverManager.getConnection(url, "postgres", "postgres");
        var rows = connection.createStatement().executeQuery(sql)) {
      assertThat(rows.next()).isTrue();
      return rows.getString(1);
    }
  }
}
