package dev.fleettrust.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from the binaries zonky ships in a Maven jar, so nothing has to be
 * installed on the machine. The data directory survives a restart when it is kept.
 *
 * <p>One process owns a data directory at a time: a lock file beside it is held while the server
 * runs. A postmaster still running on the directory when the lock is free was left behind by a
 * process that was killed; it is shut down and a new one started, never silently adopted with
 * whatever settings and port it had.
 */
public final class LocalPostgres implements AutoCloseable {
  public static final String DATABASE = "fleettrust";
  private static final String USER = "postgres";
  private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
  private static final Duration ORPHAN_SHUTDOWN = Duration.ofSeconds(60);

  private final EmbeddedPostgres server;
  private final OwnerLock owner;
  private final ProcessHandle postmaster;
  private final CompletableFuture<ProcessHandle> unexpectedExit = new CompletableFuture<>();
  private volatile boolean closing;

  private LocalPostgres(EmbeddedPostgres server, OwnerLock owner, ProcessHandle postmaster) {
    this.server = server;
    this.owner = owner;
    this.postmaster = postmaster;
    postmaster
        .onExit()
        .thenAccept(
            exited -> {
              if (!closing) {
                unexpectedExit.complete(exited);
              }
            });
  }

  /**
   * Starts PostgreSQL on {@code dataDirectory}, creating the cluster on first use and the {@value
   * #DATABASE} database if it is missing.
   *
   * @param port a fixed port, or 0 for any free one
   * @throws IllegalStateException when another live process owns the data directory
   */
  public static LocalPostgres start(Path dataDirectory, int port) {
    OwnerLock owner = OwnerLock.acquire(dataDirectory);
    try {
      Files.createDirectories(dataDirectory);
      stopOrphanedPostmaster(dataDirectory);
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
      EmbeddedPostgres server = builder.start();
      ProcessHandle postmaster =
          runningPostmaster(dataDirectory)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "PostgreSQL started but " + dataDirectory + " names no live postmaster"));
      LocalPostgres postgres = new LocalPostgres(server, owner, postmaster);
      postgres.createDatabaseIfMissing();
      return postgres;
    } catch (IOException e) {
      owner.release();
      throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
    } catch (RuntimeException e) {
      owner.release();
      throw e;
    }
  }

  /**
   * The postmaster named in {@code postmaster.pid}, if that process is alive and is a PostgreSQL
   * server on this very directory (a reused PID of some other program is not).
   */
  static Optional<ProcessHandle> runningPostmaster(Path dataDirectory) {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    List<String> lines;
    try {
      lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (lines.size() < 2) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    boolean sameDirectory = samePath(Path.of(lines.get(1).trim()), dataDirectory);
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(process -> sameDirectory && isPostgres(process));
  }

  private static boolean isPostgres(ProcessHandle process) {
    // The command can be unreadable (another user); a live PID in our own pid file is then ours.
    return process.info().command().map(command -> command.contains("postgres")).orElse(true);
  }

  private static boolean samePath(Path a, Path b) {
    try {
      return a.toRealPath().equals(b.toRealPath());
    } catch (IOException e) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
  }

  private static void stopOrphanedPostmaster(Path dataDirectory) {
    Optional<ProcessHandle> orphan = runningPostmaster(dataDirectory);
    if (orphan.isEmpty()) {
      return;
    }
    ProcessHandle process = orphan.get();
    LOG.warn(
        "PostgreSQL (pid {}) is still running on {}, left behind by a process that was killed;"
            + " shutting it down before starting a new one",
        process.pid(),
        dataDirectory);
    // SIGTERM is PostgreSQL's smart shutdown; the dead owner's sessions are gone already.
    process.destroy();
    try {
      process.onExit().get(ORPHAN_SHUTDOWN.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      LOG.warn("PostgreSQL (pid {}) ignored the shutdown request; killing it", process.pid());
      process.destroyForcibly();
      process.onExit().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping an orphaned PostgreSQL", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("Could not wait for the orphaned PostgreSQL", e);
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

  /** The postmaster process this instance started. */
  public ProcessHandle postmaster() {
    return postmaster;
  }

  /**
   * Completes with the postmaster when it exits although {@link #close()} was not called: it
   * crashed or was killed. Never completes for an orderly stop.
   */
  public CompletableFuture<ProcessHandle> unexpectedExit() {
    return unexpectedExit;
  }

  /** Stops the server; the data directory is kept. */
  @Override
  public void close() {
    closing = true;
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not stop the embedded PostgreSQL", e);
    } finally {
      owner.release();
    }
  }

  /**
   * An exclusive lock on {@code <data directory>.owner} for as long as this process runs the
   * server. The operating system drops it when the process dies, however it dies.
   */
  private record OwnerLock(FileChannel channel, FileLock lock) {
    static OwnerLock acquire(Path dataDirectory) {
      Path file =
          dataDirectory.toAbsolutePath().resolveSibling(dataDirectory.getFileName() + ".owner");
      FileChannel channel = null;
      try {
        Files.createDirectories(file.getParent());
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
          throw inUse(dataDirectory);
        }
        return new OwnerLock(channel, lock);
      } catch (OverlappingFileLockException e) {
        closeQuietly(channel);
        throw inUse(dataDirectory);
      } catch (IOException e) {
        closeQuietly(channel);
        throw new UncheckedIOException("Could not lock " + file, e);
      } catch (RuntimeException e) {
        closeQuietly(channel);
        throw e;
      }
    }

    private static IllegalStateException inUse(Path dataDirectory) {
      return new IllegalStateException(
          "The PostgreSQL data directory "
              + dataDirectory
              + " is in use by another running FleetTrust process; stop it first or set another"
              + " FLEETTRUST_HOME");
    }

    void release() {
      try {
        if (lock.isValid()) {
          lock.release();
        }
      } catch (IOException e) {
        LOG.warn("Could not release the lock on the PostgreSQL data directory", e);
      } finally {
        closeQuietly(channel);
      }
    }

    private static void closeQuietly(FileChannel channel) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // Closing is best effort; the lock goes with the process anyway.
        }
      }
    }
  }
}
