package dev.fleettrust.bench.ingest;

import dev.fleettrust.Application;
import dev.fleettrust.bench.fleet.FleetWriter;
import dev.fleettrust.embedded.LocalKafka;
import dev.fleettrust.embedded.LocalPostgres;
import dev.fleettrust.ingest.fleet.FleetGenerator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * How fast {@code device.registered} events go from Kafka into PostgreSQL through the real
 * ingestion path, next to the raw limits of the same machine in the same run:
 *
 * <ol>
 *   <li>the generated fleet's sign-ins are produced to a fresh topic (not timed against the
 *       target);
 *   <li>a bare Kafka consumer reads them all and does nothing else: the broker's limit;
 *   <li>the service's consumer (the production code: decode, validate, one transaction per batch,
 *       idempotency gate, history, sign-in outcomes, device upserts, profiles, commit) ingests
 *       them: the figure that counts, sustained over the middle 80% of the run;
 *   <li>PostgreSQL {@code COPY} writes the same rows the service wrote (history, sign-in outcomes,
 *       idempotency keys) into empty tables of the same shape: the database's limit.
 * </ol>
 *
 * Embedded PostgreSQL and an in-process KRaft broker run on the same machine as the service, as the
 * local default does. See bench/RESULTS.md for the command and figures.
 */
public final class IngestionBenchmark {
  private static String LOAD_BEFORE = "?";

  private IngestionBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = FleetWriter.options(args);
    LOAD_BEFORE = Files.readString(Path.of("/proc/loadavg")).strip();
    options.putIfAbsent("devices", "200000");
    options.put("sign-ins-only", "true");
    FleetGenerator.Options fleet = FleetWriter.fleetOptions(options);
    int partitions = Integer.parseInt(options.getOrDefault("partitions", "4"));
    int consumers = Integer.parseInt(options.getOrDefault("consumers", "1"));
    int maxPollRecords = Integer.parseInt(options.getOrDefault("max-poll-records", "5000"));
    Path home = Files.createTempDirectory("fleettrust-bench-");
    String topic = "bench.device-events";

    System.out.printf(
        "Ingestion benchmark: %,d devices, %d day(s), seed %d, %d partitions, %d consumer(s),"
            + " max-poll-records %d%n",
        fleet.devices(), fleet.days(), fleet.seed(), partitions, consumers, maxPollRecords);
    LocalPostgres postgres = LocalPostgres.start(home.resolve("postgres"), 0);
    if (!options.containsKey("stock-postgres")) {
      postgres = tuned(postgres, home.resolve("postgres"));
    }
    LocalKafka kafka = LocalKafka.start(home.resolve("kafka"), 0);
    try {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
      }

      long started = System.nanoTime();
      long events = FleetWriter.toKafka(new FleetGenerator(fleet), kafka.bootstrapServers(), topic);
      double produceSeconds = seconds(started);
      System.out.printf(
          "Produced %,d device.registered events in %.1f s (%,.0f/s)%n",
          events, produceSeconds, events / produceSeconds);

      double bareRate = bareConsumer(kafka.bootstrapServers(), topic, events);
      System.out.printf("Bare Kafka consumer: %,.0f records/s%n", bareRate);

      Ingest ingest =
          ingest(
              home.resolve("postgres").toString(),
              postgres,
              kafka,
              topic,
              events,
              consumers,
              maxPollRecords,
              partitions);
      System.out.printf(
          "Service ingestion: %,.0f events/s sustained (10%%..90%%), %,.0f events/s overall%n",
          ingest.sustained(), ingest.overall());

      Copy copy = copy(postgres, home.resolve("postgres"));
      System.out.printf(
          "PostgreSQL COPY of the same rows: %,.0f events/s in one session, %,.0f in two"
              + " (history + sign-ins + keys); %,.0f rows/s for the history alone%n",
          copy.eventsPerSecond(), copy.twoStreamsPerSecond(), copy.historyRowsPerSecond());

      System.out.println();
      System.out.println(
          report(
              fleet,
              events,
              partitions,
              consumers,
              maxPollRecords,
              produceSeconds,
              bareRate,
              ingest,
              copy,
              postgres));
    } finally {
      kafka.close();
      postgres.close();
      if (!options.containsKey("keep")) {
        try (Stream<Path> paths = Files.walk(home)) {
          paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  /**
   * The embedded server starts with PostgreSQL's stock settings (128 MB of shared buffers, 1 GB of
   * WAL between checkpoints), which turn a run of this size into a series of checkpoints with
   * full-page writes. A production server would be configured for its load; these are modest values
   * for this machine, and COPY runs with them too.
   */
  private static LocalPostgres tuned(LocalPostgres postgres, Path data) throws SQLException {
    int port = postgres.port();
    try (Connection connection = connect(postgres);
        Statement statement = connection.createStatement()) {
      statement.execute("ALTER SYSTEM SET shared_buffers = '1GB'");
      statement.execute("ALTER SYSTEM SET max_wal_size = '8GB'");
      statement.execute("ALTER SYSTEM SET checkpoint_timeout = '30min'");
      statement.execute("ALTER SYSTEM SET wal_compression = 'on'");
    }
    postgres.close();
    return LocalPostgres.start(data, port);
  }

  /**
   * CPU seconds used so far by this JVM (the broker, producers and consumers run in it) and by
   * every PostgreSQL process (the postmaster's children, and those already gone through its
   * cumulative counters). Unlike wall time, it does not depend on what else the shared machine runs
   * meanwhile.
   */
  record Cpu(double jvm, double postgres) {
    double total() {
      return jvm + postgres;
    }

    Cpu minus(Cpu before) {
      return new Cpu(jvm - before.jvm, postgres - before.postgres);
    }
  }

  static Cpu cpu(Path postgresData) {
    double jvm =
        ((com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime()
            / 1e9;
    double postgres = 0;
    try {
      long postmaster =
          Long.parseLong(Files.readAllLines(postgresData.resolve("postmaster.pid")).get(0).strip());
      try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
        for (Path process :
            processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
          try {
            String stat = Files.readString(process.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long pid = Long.parseLong(process.getFileName().toString());
            long parent = Long.parseLong(fields[1]);
            if (pid == postmaster || parent == postmaster) {
              long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
              if (pid == postmaster) {
                ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
              }
              postgres += ticks / 100.0;
            }
          } catch (IOException | RuntimeException gone) {
            // The process ended while being read; its time is in the postmaster's counters.
          }
        }
      }
    } catch (IOException e) {
      return new Cpu(jvm, Double.NaN);
    }
    return new Cpu(jvm, postgres);
  }

  private static double bareConsumer(String bootstrap, String topic, long expected) {
    long read = 0;
    long bytes = 0;
    long started = System.nanoTime();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers", bootstrap,
                "group.id", "bench-bare-consumer",
                "auto.offset.reset", "earliest",
                "enable.auto.commit", "false",
                "max.poll.records", "5000"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (read < expected) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
        for (var record : records) {
          bytes += record.value().length;
        }
        read += records.count();
      }
      consumer.commitSync();
    }
    double seconds = seconds(started);
    System.out.printf("  (%,d records, %.0f MB, %.1f s)%n", read, bytes / 1e6, seconds);
    return read / seconds;
  }

  record Ingest(double sustained, double overall, double seconds, long stored, Cpu cpu) {
    /** What two otherwise idle cores sustain, from the CPU the run used. */
    double perTwoCores() {
      return 2 * stored / cpu.total();
    }
  }

  private static Ingest ingest(
      String postgresDataDirectory,
      LocalPostgres postgres,
      LocalKafka kafka,
      String topic,
      long expected,
      int consumers,
      int maxPollRecords,
      int partitions)
      throws Exception {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    Map<String, Object> properties = new HashMap<>();
    properties.put("datasources.default.url", postgres.jdbcUrl());
    properties.put("datasources.default.username", postgres.username());
    properties.put("datasources.default.password", postgres.password());
    properties.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    properties.put(
        "micronaut.security.token.jwt.signatures.secret.generator.secret",
        HexFormat.of().formatHex(secret));
    properties.put("fleettrust.ingest.topic", topic);
    properties.put("fleettrust.ingest.group-id", "bench-service");
    properties.put("fleettrust.ingest.consumers", Integer.toString(consumers));
    properties.put("fleettrust.ingest.max-poll-records", Integer.toString(maxPollRecords));
    List<long[]> timeline = new ArrayList<>();
    Cpu used;
    try (ApplicationContext context =
        ApplicationContext.builder(Application.class).properties(properties).start()) {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      long started = System.nanoTime();
      long stored = 0;
      Cpu first = null;
      Path data = Path.of(postgresDataDirectory);
      while (stored < expected) {
        Thread.sleep(100);
        stored = 0;
        for (Counter counter : registry.find("fleettrust.ingest.events.ingested").counters()) {
          stored += (long) counter.count();
        }
        timeline.add(new long[] {System.nanoTime() - started, stored});
        if (first == null && stored > 0) {
          first = cpu(data);
        }
        if (seconds(started) > 3_600) {
          throw new IllegalStateException("Ingestion did not finish within an hour");
        }
      }
      used = cpu(data).minus(first);
    }
    long first = time(timeline, 1);
    long tenth = time(timeline, expected / 10);
    long ninetieth = time(timeline, expected * 9 / 10);
    long last = timeline.get(timeline.size() - 1)[0];
    double sustained = (expected * 0.8) / ((ninetieth - tenth) / 1e9);
    double overall = expected / ((last - first) / 1e9);
    try (Connection connection = connect(postgres)) {
      long history = count(connection, "SELECT count(*) FROM device_event");
      long signIns = count(connection, "SELECT count(*) FROM sign_in_outcome");
      System.out.printf(
          "  (stored %,d history rows and %,d sign-in outcomes in %.1f s; %,d devices, %,d"
              + " trust profiles)%n",
          history,
          signIns,
          (last - first) / 1e9,
          count(connection, "SELECT count(*) FROM device"),
          count(connection, "SELECT count(DISTINCT profile_hash) FROM device"));
      try (Statement statement = connection.createStatement();
          ResultSet stats =
              statement.executeQuery(
                  "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
                      + " WHERE relname IN ('device', 'ingested_event', 'trust_profile')")) {
        while (stats.next()) {
          System.out.printf(
              "  (%s: %,d inserted, %,d updated, %,d of them HOT)%n",
              stats.getString(1), stats.getLong(2), stats.getLong(3), stats.getLong(4));
        }
      }
      if (history != expected || signIns != expected) {
        throw new IllegalStateException("Expected " + expected + " rows of each");
      }
    }
    System.out.printf(
        "  (CPU while ingesting: %.1f s in the JVM, %.1f s in PostgreSQL)%n",
        used.jvm(), used.postgres());
    return new Ingest(sustained, overall, (last - first) / 1e9, expected, used);
  }

  private static long time(List<long[]> timeline, long stored) {
    for (long[] point : timeline) {
      if (point[1] >= stored) {
        return point[0];
      }
    }
    return timeline.get(timeline.size() - 1)[0];
  }

  record Copy(
      double eventsPerSecond,
      double historyRowsPerSecond,
      double twoStreamsPerSecond,
      long events,
      Cpu cpu) {
    double best() {
      return Math.max(eventsPerSecond, twoStreamsPerSecond);
    }

    /** What two otherwise idle cores sustain, from the CPU the one-session COPY used. */
    double perTwoCores() {
      return 2 * events / cpu.total();
    }
  }

  /**
   * Copies the rows the service wrote into empty tables of the same shape (partitioned like the
   * originals, with the same indexes), timing only {@code COPY FROM}: once in one session, and once
   * split over two sessions at the same time, since the service may use two connections too.
   */
  private static Copy copy(LocalPostgres postgres, Path data) throws Exception {
    byte[] history;
    byte[] signIns;
    byte[] keys;
    long events;
    try (Connection connection = connect(postgres)) {
      CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
      history = export(copy, "device_event");
      signIns = export(copy, "sign_in_outcome");
      keys = export(copy, "ingested_event");
      events = count(connection, "SELECT count(*) FROM ingested_event");
    }
    createCopyTables(postgres, "copy1_");
    Cpu before = cpu(data);
    long started = System.nanoTime();
    copyIn(postgres, "copy1_", history, signIns, keys);
    double oneStream = seconds(started);
    Cpu used = cpu(data).minus(before);
    createCopyTables(postgres, "copy2_");
    byte[][] historyHalves = halves(history);
    byte[][] signInHalves = halves(signIns);
    byte[][] keyHalves = halves(keys);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    started = System.nanoTime();
    List<java.util.concurrent.Future<Double>> streams = new ArrayList<>();
    for (int half = 0; half < 2; half++) {
      int h = half;
      streams.add(
          pool.submit(
              () -> copyIn(postgres, "copy2_", historyHalves[h], signInHalves[h], keyHalves[h])));
    }
    for (java.util.concurrent.Future<Double> stream : streams) {
      stream.get();
    }
    double twoStreams = seconds(started);
    pool.shutdown();
    double historySeconds;
    try (Connection connection = connect(postgres)) {
      createCopyTables(postgres, "copy3_");
      connection.setAutoCommit(false);
      long historyStarted = System.nanoTime();
      connection
          .unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn("COPY copy3_device_event FROM STDIN", new ByteArrayInputStream(history));
      connection.commit();
      historySeconds = seconds(historyStarted);
    }
    System.out.printf(
        "  (COPY %,d events' rows, %.0f MB: %.1f s in one session, %.1f s in two; history alone"
            + " %.1f s)%n",
        events,
        (history.length + signIns.length + keys.length) / 1e6,
        oneStream,
        twoStreams,
        historySeconds);
    System.out.printf(
        "  (CPU of the one-session COPY: %.1f s in the JVM, %.1f s in PostgreSQL)%n",
        used.jvm(), used.postgres());
    return new Copy(events / oneStream, events / historySeconds, events / twoStreams, events, used);
  }

  private static double copyIn(
      LocalPostgres postgres, String prefix, byte[] history, byte[] signIns, byte[] keys)
      throws SQLException, IOException {
    try (Connection connection = connect(postgres)) {
      connection.setAutoCommit(false);
      CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
      long started = System.nanoTime();
      copy.copyIn("COPY " + prefix + "device_event FROM STDIN", new ByteArrayInputStream(history));
      copy.copyIn(
          "COPY " + prefix + "sign_in_outcome FROM STDIN", new ByteArrayInputStream(signIns));
      copy.copyIn("COPY " + prefix + "ingested_event FROM STDIN", new ByteArrayInputStream(keys));
      connection.commit();
      return seconds(started);
    }
  }

  private static void createCopyTables(LocalPostgres postgres, String prefix) throws SQLException {
    try (Connection connection = connect(postgres);
        Statement statement = connection.createStatement()) {
      for (String table : List.of("device_event", "sign_in_outcome")) {
        statement.execute(
            "CREATE TABLE "
                + prefix
                + table
                + " (LIKE "
                + table
                + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (event_time)");
        statement.execute("CREATE INDEX ON " + prefix + table + " (device_id, event_time DESC)");
        statement.execute(
            "SELECT fleettrust_ensure_monthly_partitions('"
                + prefix
                + table
                + "', (SELECT min(event_time) FROM "
                + table
                + "), (SELECT max(event_time) FROM "
                + table
                + "))");
      }
      statement.execute(
          "CREATE TABLE " + prefix + "ingested_event (LIKE ingested_event INCLUDING ALL)");
    }
  }

  /** Splits COPY text at the row boundary nearest the middle. */
  private static byte[][] halves(byte[] rows) {
    int middle = rows.length / 2;
    while (middle < rows.length && rows[middle - 1] != '\n') {
      middle++;
    }
    return new byte[][] {
      java.util.Arrays.copyOfRange(rows, 0, middle),
      java.util.Arrays.copyOfRange(rows, middle, rows.length)
    };
  }

  private static byte[] export(CopyManager copy, String table) throws SQLException, IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 << 20);
    copy.copyOut("COPY (SELECT * FROM " + table + ") TO STDOUT", out);
    return out.toByteArray();
  }

  private static String report(
      FleetGenerator.Options fleet,
      long events,
      int partitions,
      int consumers,
      int maxPollRecords,
      double produceSeconds,
      double bareRate,
      Ingest ingest,
      Copy copy,
      LocalPostgres postgres)
      throws Exception {
    String postgresVersion;
    String settings;
    try (Connection connection = connect(postgres);
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT current_setting('server_version'), 'shared_buffers '"
                    + " || current_setting('shared_buffers') || ', max_wal_size '"
                    + " || current_setting('max_wal_size') || ', synchronous_commit '"
                    + " || current_setting('synchronous_commit')")) {
      row.next();
      postgresVersion = row.getString(1);
      settings = row.getString(2);
    }
    return String.format(
        Locale.ROOT,
        """
        | what | figure |
        |---|---|
        | machine | %s, %d cores, %s RAM, Java %s, PostgreSQL %s (embedded; %s), Kafka %s (in-process KRaft) |
        | fleet | %,d devices, %d day(s), seed %d: %,d device.registered events |
        | topic, consumers | %d partitions, %d consumer thread(s), max-poll-records %d |
        | produce (not the target) | %,.0f events/s |
        | bare Kafka consumer | %,.0f records/s |
        | **service ingestion, sustained** | **%,.0f events/s** (%,.0f overall, %.1f s) |
        | PostgreSQL COPY of the same rows, one session | %,.0f events/s (history alone %,.0f rows/s) |
        | PostgreSQL COPY of the same rows, two sessions | %,.0f events/s |
        | ratio ingestion / best COPY (wall clock) | %.2f |
        | CPU per 1,000 events: ingestion / COPY | %.3f s / %.3f s |
        | per two idle cores, from CPU used: ingestion / COPY | %,.0f / %,.0f events/s (ratio %.2f) |
        | load average before the run | %s |
        """,
        cpuModel(),
        Runtime.getRuntime().availableProcessors(),
        memory(),
        System.getProperty("java.version"),
        postgresVersion,
        settings,
        org.apache.kafka.common.utils.AppInfoParser.getVersion(),
        fleet.devices(),
        fleet.days(),
        fleet.seed(),
        events,
        partitions,
        consumers,
        maxPollRecords,
        events / produceSeconds,
        bareRate,
        ingest.sustained(),
        ingest.overall(),
        ingest.seconds(),
        copy.eventsPerSecond(),
        copy.historyRowsPerSecond(),
        copy.twoStreamsPerSecond(),
        ingest.sustained() / copy.best(),
        1000 * ingest.cpu().total() / ingest.stored(),
        1000 * copy.cpu().total() / copy.events(),
        ingest.perTwoCores(),
        copy.perTwoCores(),
        ingest.perTwoCores() / copy.perTwoCores(),
        LOAD_BEFORE);
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static String memory() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
      return lines
          .filter(l -> l.startsWith("MemTotal"))
          .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / (1024 * 1024) + " GiB")
          .findFirst()
          .orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }

  private static Connection connect(LocalPostgres postgres) throws SQLException {
    return DriverManager.getConnection(
        postgres.jdbcUrl(), postgres.username(), postgres.password());
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
