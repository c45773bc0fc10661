package dev.fleettrust.local;

import dev.fleettrust.embedded.LocalPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Keeps the local default's embedded PostgreSQL running. When the postmaster dies (killed, out of
 * memory, a crash) it is started again on the same port and data directory, so the service's pool
 * reconnects and nothing committed is lost. When it keeps dying, or cannot be started again, the
 * supervisor says so and gives up, and the launcher stops with a non-zero exit code: a service
 * without its database must not pretend to run.
 */
final class PostgresSupervisor implements AutoCloseable {
  /** How long a restart keeps trying while the dead server's processes finish exiting. */
  private static final Duration START_ATTEMPTS = Duration.ofSeconds(60);

  private final Path dataDirectory;
  private final int port;
  private final int maxRestarts;
  private final Duration window;
  private final Consumer<String> say;
  private final Runnable giveUp;
  private final Clock clock;
  private final Deque<Instant> restarts = new ArrayDeque<>();
  private final ExecutorService restarter =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "fleettrust-postgres-supervisor");
            thread.setDaemon(true);
            return thread;
          });
  private volatile LocalPostgres current;
  private volatile boolean closed;

  private PostgresSupervisor(
      LocalPostgres first,
      Path dataDirectory,
      int maxRestarts,
      Duration window,
      Consumer<String> say,
      Runnable giveUp,
      Clock clock) {
    this.current = first;
    this.dataDirectory = dataDirectory;
    this.port = first.port();
    this.maxRestarts = maxRestarts;
    this.window = window;
    this.say = say;
    this.giveUp = giveUp;
    this.clock = clock;
  }

  /**
   * Starts PostgreSQL and watches it.
   *
   * @param maxRestarts restarts allowed within {@code window} before giving up
   * @param say where the supervisor reports what it does (the console)
   * @param giveUp called once when PostgreSQL cannot be kept running
   */
  static PostgresSupervisor start(
      Path dataDirectory,
      int port,
      int maxRestarts,
      Duration window,
      Consumer<String> say,
      Runnable giveUp) {
    PostgresSupervisor supervisor =
        new PostgresSupervisor(
            LocalPostgres.start(dataDirectory, port),
            dataDirectory,
            maxRestarts,
            window,
            say,
            giveUp,
            Clock.systemUTC());
    supervisor.watch(supervisor.current);
    return supervisor;
  }

  LocalPostgres current() {
    return current;
  }

  String jdbcUrl() {
    return current.jdbcUrl();
  }

  private void watch(LocalPostgres postgres) {
    postgres.unexpectedExit().thenRunAsync(() -> restart(postgres), restarter);
  }

  private synchronized void restart(LocalPostgres dead) {
    if (closed) {
      return;
    }
    say.accept(
        "FleetTrust: the embedded PostgreSQL (pid "
            + dead.postmaster().pid()
            + ") exited unexpectedly.");
    dead.close();
    Instant now = clock.instant();
    while (!restarts.isEmpty() && restarts.peekFirst().isBefore(now.minus(window))) {
      restarts.removeFirst();
    }
    if (restarts.size() >= maxRestarts) {
      stop(
          "it died "
              + (restarts.size() + 1)
              + " times within "
              + window.toMinutes()
              + " minutes; look at "
              + dataDirectory.resolve("log")
              + " and the console above for why");
      return;
    }
    restarts.addLast(now);
    LocalPostgres restarted;
    try {
      restarted = startWithRetries();
    } catch (RuntimeException e) {
      stop("it could not be started again: " + e.getMessage());
      return;
    }
    current = restarted;
    watch(restarted);
    say.accept(
        "FleetTrust: PostgreSQL restarted (pid "
            + restarted.postmaster().pid()
            + ") on port "
            + restarted.port()
            + "; committed data is kept.");
  }

  /** The dead server's backends take a moment to exit and release its shared memory. */
  private LocalPostgres startWithRetries() {
    Instant deadline = clock.instant().plus(START_ATTEMPTS);
    while (true) {
      try {
        return LocalPostgres.start(dataDirectory, port);
      } catch (RuntimeException e) {
        if (closed || clock.instant().isAfter(deadline)) {
          throw e;
        }
        try {
          Thread.sleep(1000);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private void stop(String why) {
    say.accept(
        "FleetTrust: stopping, because PostgreSQL is gone and "
            + why
            + ". Nothing committed is lost; start FleetTrust again when the cause is fixed.");
    closed = true;
    giveUp.run();
  }

  @Override
  public synchronized void close() {
    closed = true;
    restarter.shutdownNow();
    current.close();
  }
}
