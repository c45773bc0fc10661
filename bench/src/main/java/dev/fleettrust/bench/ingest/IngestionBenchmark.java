package dev.fleettrust.bench.ingest;

import dev.fleettrust.Application;
import dev.fleettrust.bench.fleet.FleetWriter;
import dev.fleettrust.embedded.LocalKafka;
import dev.fleettrust.embedded.LocalPostgres;
import dev.fleettrust.ingest.IngestConsumers;
import dev.fleettrust.ingest.fleet.FleetGenerator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
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
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * How fast {@code device.registered} events go from Kafka into PostgreSQL through the real
 * ingestion path, next to the raw limits of the same machine in the same run:
 *
 * <ol>
 *   <li>a warm-up fleet (distinct devices) is ingested first by the same service consumers, so that
 *       JIT compilation, the connection pool and the history's first partitions are done before
 *       anything is measured; its rows stay, as a live inventory is never empty;
 *   <li>the generated fleet's sign-ins are produced to the topic (not timed against the target);
 *   <li>a bare Kafka consumer reads them all and does nothing else: the broker's limit;
 *   <li>the service's consumer (the production code: decode, validate, one transaction per batch,
 *       idempotency gate, history, sign-in outcomes, device upserts, profiles, commit) ingests
 *       them: the figure that counts, sustained over the middle 80% of the run;
 *   <li>PostgreSQL {@code COPY} writes the same rows into empty tables of the same shape: the
 *       database's limit. Twice: the append-only rows alone (history, sign-in outcomes, idempotency
 *       keys; the baseline of earlier runs), and every row the service wrote for the measured
 *       events (those plus the measured devices' {@code device} and {@code trust_profile} rows).
 * </ol>
 *
 * Embedded PostgreSQL and an in-process KRaft broker run on the same machine as the service, as the
 * local default does. See bench/RESULTS.md for the command and figures.
 */
public final class IngestionBenchmark {
  private static final String TOPIC = "bench.device-events";
  private static final String SERVICE_GROUP = "bench-service";

  /** Of the tables COPY fills, those of the baseline of earlier runs (append-only rows). */
  private static final List<String> APPEND_ONLY_TABLES =
      List.of("device_event", "sign_in_outcome", "ingested_event");

  /**
   * Every table the service writes per device for the fleet's events: a {@code device.registered}
   * event's, and with {@code --mix} the provisioning steps, held certificates and CA certificates;
   * the fleet group membership the database keeps for every device that changes group (V40).
   */
  private static final List<String> ALL_WRITTEN_TABLES =
      List.of(
          "device_event",
          "sign_in_outcome",
          "ingested_event",
          "device",
          "trust_profile",
          "device_provisioning",
          "device_anchor",
          "ca_certificate",
          "fleet_group_member");

  /** The measured fleet's device IDs, loaded after ingestion to pick its rows for COPY. */
  private static final String MEASURED_DEVICES = "SELECT device_id FROM bench_measured_device";

  private IngestionBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = FleetWriter.options(args);
    String loadBefore = loadAverage();
    options.putIfAbsent("devices", "200000");
    // --mix: the generator's whole feed (registrations, provisioning with CA certificates,
    // firmware updates, resets, trust-store reports), not only its sign-ins.
    if (!options.containsKey("mix")) {
      options.put("sign-ins-only", "true");
    }
    FleetGenerator.Options fleet = FleetWriter.fleetOptions(options);
    int warmupDevices =
        Integer.parseInt(
            options.getOrDefault("warmup-devices", Integer.toString(fleet.devices() / 5)));
    int partitions = Integer.parseInt(options.getOrDefault("partitions", "4"));
    int consumers = Integer.parseInt(options.getOrDefault("consumers", "1"));
    int maxPollRecords = Integer.parseInt(options.getOrDefault("max-poll-records", "5000"));
    if (warmupDevices < 0) {
      throw new IllegalArgumentException("--warmup-devices must be 0 (no warm-up) or more");
    }
    Path home = Files.createTempDirectory("fleettrust-bench-");
    Path postgresData = home.resolve("postgres");

    System.out.printf(
        "Ingestion benchmark: %,d devices, %d day(s), seed %d, %d partitions, %d consumer(s),"
            + " max-poll-records %d, %,d warm-up devices%n",
        fleet.devices(),
        fleet.days(),
        fleet.seed(),
        partitions,
        consumers,
        maxPollRecords,
        warmupDevices);
    Set<String> measuredDevices = deviceIds(fleet);
    Optional<FleetGenerator.Options> warmupFleet =
        warmupDevices == 0
            ? Optional.empty()
            : Optional.of(warmupFleet(fleet, warmupDevices, measuredDevices));
    LocalPostgres postgres = LocalPostgres.start(postgresData, 0);
    if (!options.containsKey("stock-postgres")) {
      postgres = tuned(postgres, postgresData);
    }
    LocalKafka kafka = LocalKafka.start(home.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    try {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1))).all().get();
      }

      Optional<Warmup> warmup = Optional.empty();
      Ingest ingest;
      long events;
      double produceSeconds;
      double bareRate;
      try (Service service =
          Service.start(postgres, postgresData, kafka, TOPIC, consumers, maxPollRecords)) {
        if (warmupFleet.isPresent()) {
          warmup = Optional.of(warmUp(service, warmupFleet.get(), bootstrap));
        }

        Map<TopicPartition, Long> measuredStart = endOffsets(bootstrap, TOPIC);
        long started = System.nanoTime();
        events = FleetWriter.toKafka(new FleetGenerator(fleet), bootstrap, TOPIC);
        produceSeconds = seconds(started);
        System.out.printf(
            "Produced %,d events in %.1f s (%,.0f/s)%n",
            events, produceSeconds, events / produceSeconds);

        bareRate = bareConsumer(bootstrap, measuredStart, events);
        System.out.printf("Bare Kafka consumer: %,.0f records/s%n", bareRate);

        ingest = service.ingest(events);
      }
      System.out.printf(
          "Service ingestion: %,.0f events/s sustained (10%%..90%%), %,.0f events/s overall%n",
          ingest.sustained(), ingest.overall());
      System.out.printf(
          "  (CPU while ingesting: %.1f s in the JVM (%.1f s of it JIT compiler threads), %.1f s in"
              + " PostgreSQL)%n",
          ingest.cpu().jvm(), ingest.jitSeconds(), ingest.cpu().postgres());
      checkMeasuredRows(
          postgres, measuredDevices, events, warmup.map(Warmup::events).orElse(0L), ingest);

      Copies copies = copy(postgres, postgresData, events);
      System.out.printf(
          "PostgreSQL COPY of the same rows: %,.0f events/s in one session, %,.0f in two"
              + " (history + sign-ins + keys); %,.0f rows/s for the history alone%n",
          copies.appendOnly().oneSessionRate(),
          copies.appendOnly().twoSessionRate(),
          copies.historyRowsPerSecond());
      System.out.printf(
          "PostgreSQL COPY of all rows written: %,.0f events/s in one session, %,.0f in two"
              + " (+ device, trust_profile)%n",
          copies.allRows().oneSessionRate(), copies.allRows().twoSessionRate());

      System.out.println();
      System.out.println(
          report(
              fleet,
              warmup,
              events,
              partitions,
              consumers,
              maxPollRecords,
              produceSeconds,
              bareRate,
              ingest,
              copies,
              postgres,
              loadBefore));
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

  // ---------------------------------------------------------------- warm-up

  /** What the warm-up ingested, reported so that a reader sees what was kept out of the figures. */
  record Warmup(FleetGenerator.Options fleet, long events, Ingest ingest) {}

  private static Set<String> deviceIds(FleetGenerator.Options fleet) {
    FleetGenerator generator = new FleetGenerator(fleet);
    Set<String> ids = new HashSet<>(fleet.devices() * 2);
    for (int i = 0; i < fleet.devices(); i++) {
      ids.add(generator.device(i).deviceId().value());
    }
    return ids;
  }

  /**
   * The warm-up fleet: the measured fleet's shape (window, sign-ins per day) on another seed. A
   * device ID is an OUI of its model plus 24 bits that the seed offsets, so two seeds can share
   * IDs; the first seed after the measured one whose every device ID is checked to be absent from
   * the measured fleet is taken. Event ids are random 122-bit UUIDs from the seed: a shared one
   * would be dropped by the idempotency gate, which the row counts after ingestion would show.
   */
  private static FleetGenerator.Options warmupFleet(
      FleetGenerator.Options measured, int devices, Set<String> measuredDevices) {
    for (long seed = measured.seed() + 1; seed <= measured.seed() + 100; seed++) {
      FleetGenerator.Options candidate =
          new FleetGenerator.Options(
              seed,
              devices,
              measured.start(),
              measured.days(),
              measured.minSignInsPerDay(),
              measured.maxSignInsPerDay(),
              measured.signInsOnly());
      if (Collections.disjoint(deviceIds(candidate), measuredDevices)) {
        return candidate;
      }
    }
    throw new IllegalStateException("No warm-up seed without shared device IDs in 100 tries");
  }

  /**
   * Runs the warm-up fleet through the same path as the measured one: produced to the same topic,
   * read by the bare consumer, ingested by the same service consumers into the same database.
   * Afterwards the service group must have committed every warm-up offset, so that no warm-up
   * record is read again (and costs time) in the measured phase.
   */
  private static Warmup warmUp(Service service, FleetGenerator.Options fleet, String bootstrap)
      throws Exception {
    Map<TopicPartition, Long> start = endOffsets(bootstrap, TOPIC);
    long events = FleetWriter.toKafka(new FleetGenerator(fleet), bootstrap, TOPIC);
    bareConsumer(bootstrap, start, events);
    Ingest ingest = service.ingest(events);
    System.out.printf(
        "Warm-up: %,d devices (seed %d), %,d events, %,.0f events/s overall; CPU %.1f s in the"
            + " JVM (JIT compiler threads %.1f s), %.1f s in PostgreSQL%n",
        fleet.devices(),
        fleet.seed(),
        events,
        ingest.overall(),
        ingest.cpu().jvm(),
        ingest.jitSeconds(),
        ingest.cpu().postgres());
    Map<TopicPartition, Long> end = endOffsets(bootstrap, TOPIC);
    Map<TopicPartition, Long> committed = committedOffsets(bootstrap, SERVICE_GROUP);
    for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
      long at = committed.getOrDefault(partition.getKey(), 0L);
      if (at != partition.getValue()) {
        throw new IllegalStateException(
            "The warm-up left "
                + partition.getKey()
                + " committed at "
                + at
                + " of "
                + partition.getValue());
      }
    }
    return new Warmup(fleet, events, ingest);
  }

  private static Map<TopicPartition, Long> endOffsets(String bootstrap, String topic)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      int partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      return admin.listOffsets(latest).all().get().entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
  }

  private static Map<TopicPartition, Long> committedOffsets(String bootstrap, String group)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      return committed.entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
  }

  // ---------------------------------------------------------------- CPU accounting

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
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
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

  /**
   * CPU seconds the JIT compiler threads used so far: the part of a run that a sustained rate
   * should not include. Read from /proc (the compiler threads are not visible to ThreadMXBean);
   * CompilationMXBean's compilation time is wall time, which the neighbours' load inflates. With
   * two cores the JVM keeps one C1 and one C2 thread, which never exit, so nothing is lost with
   * them.
   */
  static double jitSeconds() {
    double seconds = 0;
    try (Stream<Path> threads = Files.list(Path.of("/proc/self/task"))) {
      for (Path thread : threads.toList()) {
        try {
          String stat = Files.readString(thread.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            seconds += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
          }
        } catch (IOException | RuntimeException gone) {
          // The thread ended while being read.
        }
      }
    } catch (IOException e) {
      return Double.NaN;
    }
    return seconds;
  }

  // ---------------------------------------------------------------- the bare consumer

  /**
   * Reads {@code expected} records from the given offsets and does nothing with them. No consumer
   * group: the partitions are assigned, so the warm-up records before those offsets are skipped.
   */
  private static double bareConsumer(
      String bootstrap, Map<TopicPartition, Long> from, long expected) {
    long read = 0;
    long bytes = 0;
    long started = System.nanoTime();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers", bootstrap,
                "enable.auto.commit", "false",
                "max.poll.records", "5000"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.assign(from.keySet());
      from.forEach(consumer::seek);
      while (read < expected) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
        for (var record : records) {
          bytes += record.value().length;
        }
        read += records.count();
      }
    }
    double seconds = seconds(started);
    System.out.printf("  (%,d records, %.0f MB, %.1f s)%n", read, bytes / 1e6, seconds);
    return read / seconds;
  }

  // ---------------------------------------------------------------- the service's ingestion

  /**
   * One ingestion phase. {@code stored} counts only the phase's own events.
   *
   * @param jitSeconds CPU of the JIT compiler threads inside the timed window (part of the JVM's)
   */
  record Ingest(
      double sustained, double overall, double seconds, long stored, Cpu cpu, double jitSeconds) {
    /** What two otherwise idle cores sustain, from the CPU the run used. */
    double perTwoCores() {
      return 2 * stored / cpu.total();
    }
  }

  /**
   * The service's ingestion as in production, in this JVM: one application context, hence one
   * {@link IngestConsumers} with its pipeline, inventory writer, profile cache and connection pool,
   * for the warm-up and the measured phase alike. The context starts no consumer itself ({@code
   * fleettrust.ingest.consumers} 0); each phase starts the group members through {@link
   * IngestConsumers#start()}, the method the service's own start-up calls, and stops them once its
   * events are stored (they commit and leave the group). A Kafka consumer cannot be restarted, so
   * the members' client objects and threads are new in each phase; the code they run is the same,
   * already compiled, and the database connections are the pool's.
   */
  static final class Service implements AutoCloseable {
    private final ApplicationContext context;
    private final IngestConsumers consumers;
    private final MeterRegistry registry;
    private final Path postgresData;
    private final int members;

    private Service(ApplicationContext context, Path postgresData, int members) {
      this.context = context;
      this.consumers = context.getBean(IngestConsumers.class);
      this.registry = context.getBean(MeterRegistry.class);
      this.postgresData = postgresData;
      this.members = members;
    }

    static Service start(
        LocalPostgres postgres,
        Path postgresData,
        LocalKafka kafka,
        String topic,
        int members,
        int maxPollRecords) {
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
      properties.put("fleettrust.ingest.group-id", SERVICE_GROUP);
      properties.put("fleettrust.ingest.consumers", "0");
      properties.put("fleettrust.ingest.max-poll-records", Integer.toString(maxPollRecords));
      ApplicationContext context =
          ApplicationContext.builder(Application.class).properties(properties).start();
      return new Service(context, postgresData, members);
    }

    /**
     * Starts the group members, waits until {@code expected} more events are stored and stops the
     * members. CPU and JIT time are counted from the phase's first stored event to its last, so the
     * group's join is left out, as before the warm-up existed.
     */
    Ingest ingest(long expected) throws InterruptedException {
      long before = storedSoFar();
      List<long[]> timeline = new ArrayList<>();
      List<IngestConsumers.Running> running = new ArrayList<>();
      Cpu atStart = cpu(postgresData);
      double jitAtStart = jitSeconds();
      Cpu atFirst = null;
      double jitAtFirst = 0;
      Cpu atLast;
      double jitAtLast;
      long started = System.nanoTime();
      try {
        for (int i = 0; i < members; i++) {
          running.add(consumers.start());
        }
        long stored = 0;
        while (stored < expected) {
          Thread.sleep(100);
          stored = storedSoFar() - before;
          timeline.add(new long[] {System.nanoTime() - started, stored});
          if (atFirst == null && stored > 0) {
            atFirst = cpu(postgresData);
            jitAtFirst = jitSeconds();
          }
          if (seconds(started) > 3_600) {
            throw new IllegalStateException("Ingestion did not finish within an hour");
          }
        }
        atLast = cpu(postgresData);
        jitAtLast = jitSeconds();
      } finally {
        running.forEach(IngestConsumers.Running::close);
      }
      long firstStored = time(timeline, 1);
      long last = timeline.get(timeline.size() - 1)[0];
      if (firstStored == last) {
        // Everything was stored between two samples (a small warm-up): time the phase, and count
        // its CPU, from the start of the members instead.
        double seconds = last / 1e9;
        return new Ingest(
            expected / seconds,
            expected / seconds,
            seconds,
            expected,
            atLast.minus(atStart),
            jitAtLast - jitAtStart);
      }
      long tenth = time(timeline, expected / 10);
      long ninetieth = time(timeline, expected * 9 / 10);
      double sustained = (expected * 0.8) / ((ninetieth - tenth) / 1e9);
      double overall = expected / ((last - firstStored) / 1e9);
      return new Ingest(
          sustained,
          overall,
          (last - firstStored) / 1e9,
          expected,
          atLast.minus(atFirst),
          jitAtLast - jitAtFirst);
    }

    private long storedSoFar() {
      long stored = 0;
      for (Counter counter : registry.find("fleettrust.ingest.events.ingested").counters()) {
        stored += (long) counter.count();
      }
      return stored;
    }

    @Override
    public void close() {
      context.close();
    }
  }

  private static long time(List<long[]> timeline, long stored) {
    for (long[] point : timeline) {
      if (point[1] >= stored) {
        return point[0];
      }
    }
    return timeline.get(timeline.size() - 1)[0];
  }

  /**
   * Loads the measured fleet's device IDs into {@code bench_measured_device} (after ingestion, so
   * outside every timing) and checks that exactly the measured events' rows are there: one history
   * row, one sign-in outcome and one idempotency key each, and nothing else in the history but the
   * warm-up's.
   */
  private static void checkMeasuredRows(
      LocalPostgres postgres,
      Set<String> measuredDevices,
      long events,
      long warmupEvents,
      Ingest ingest)
      throws SQLException, IOException {
    try (Connection connection = connect(postgres)) {
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE bench_measured_device (device_id text COLLATE \"C\" PRIMARY KEY)");
      }
      connection
          .unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(
              "COPY bench_measured_device FROM STDIN",
              new ByteArrayInputStream(
                  (String.join("\n", measuredDevices) + "\n").getBytes(StandardCharsets.UTF_8)));
      try (Statement statement = connection.createStatement()) {
        statement.execute("ANALYZE bench_measured_device");
      }
      long history = countMeasured(connection, "device_event");
      long signIns = countMeasured(connection, "sign_in_outcome");
      long keys = countMeasured(connection, "ingested_event");
      long allHistory = count(connection, "SELECT count(*) FROM device_event");
      long profiles = countMeasured(connection, "trust_profile");
      // One pass with a hash join: NOT IN over a subquery larger than work_mem is quadratic.
      long profilesOfMeasuredOnly =
          count(
              connection,
              "SELECT count(*) FROM (SELECT d.profile_hash FROM device d"
                  + " LEFT JOIN bench_measured_device m ON m.device_id = d.device_id"
                  + " GROUP BY d.profile_hash HAVING bool_and(m.device_id IS NOT NULL)) p");
      System.out.printf(
          "  (stored %,d history rows, %,d sign-in outcomes and %,d idempotency keys for the"
              + " measured devices in %.1f s; %,d of them in the device table, with %,d trust"
              + " profiles, %,d of which no warm-up device shares)%n",
          history,
          signIns,
          keys,
          ingest.seconds(),
          countMeasured(connection, "device"),
          profiles,
          profilesOfMeasuredOnly);
      try (Statement statement = connection.createStatement();
          ResultSet stats =
              statement.executeQuery(
                  "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
                      + " WHERE relname IN ('device', 'ingested_event', 'trust_profile')")) {
        while (stats.next()) {
          System.out.printf(
              "  (%s, warm-up included: %,d inserted, %,d updated, %,d of them HOT)%n",
              stats.getString(1), stats.getLong(2), stats.getLong(3), stats.getLong(4));
        }
      }
      if (history != events || signIns != events || keys != events) {
        throw new IllegalStateException("Expected " + events + " rows of each");
      }
      if (allHistory != events + warmupEvents) {
        throw new IllegalStateException(
            "Expected " + (events + warmupEvents) + " history rows with the warm-up's");
      }
    }
  }

  // ---------------------------------------------------------------- COPY

  /** One table's rows as COPY text, and the columns they fill (the generated ones are not). */
  record TableRows(String table, String columns, byte[] rows) {}

  /** A timed COPY: wall time and the CPU used by the JVM and PostgreSQL meanwhile. */
  record Timed(double seconds, Cpu cpu) {}

  /** One COPY baseline: the same rows into empty tables, in one session and split over two. */
  record CopyBaseline(long events, Timed oneSession, Timed twoSessions) {
    double oneSessionRate() {
      return events / oneSession.seconds();
    }

    double twoSessionRate() {
      return events / twoSessions.seconds();
    }

    double best() {
      return Math.max(oneSessionRate(), twoSessionRate());
    }

    double cpuPerThousandEvents(Timed run) {
      return 1000 * run.cpu().total() / events;
    }

    /** What two otherwise idle cores sustain, from the CPU the one-session COPY used. */
    double perTwoCores() {
      return 2 * events / oneSession.cpu().total();
    }
  }

  /**
   * @param appendOnly history, sign-in outcomes and idempotency keys: the baseline of earlier runs
   * @param historyRowsPerSecond the history alone, one session
   * @param allRows every row the service wrote for the measured events
   */
  record Copies(CopyBaseline appendOnly, double historyRowsPerSecond, CopyBaseline allRows) {}

  /**
   * Copies the rows the service wrote for the measured events (not the warm-up's) into empty tables
   * of the same shape, timing only {@code COPY FROM} and the commit: in one session, and split over
   * two sessions at the same time, since the service may use two connections too.
   */
  private static Copies copy(LocalPostgres postgres, Path data, long events) throws Exception {
    Map<String, TableRows> rows = new HashMap<>();
    try (Connection connection = connect(postgres)) {
      CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
      for (String table : ALL_WRITTEN_TABLES) {
        rows.put(table, export(connection, copy, table));
      }
    }
    List<TableRows> appendOnly = APPEND_ONLY_TABLES.stream().map(rows::get).toList();
    List<TableRows> all = ALL_WRITTEN_TABLES.stream().map(rows::get).toList();

    CopyBaseline appendOnlyBaseline =
        new CopyBaseline(
            events,
            timedCopy(postgres, data, "copy1_", appendOnly, 1),
            timedCopy(postgres, data, "copy2_", appendOnly, 2));
    Timed history = timedCopy(postgres, data, "copy3_", List.of(rows.get("device_event")), 1);
    CopyBaseline allRows =
        new CopyBaseline(
            events,
            timedCopy(postgres, data, "copy4_", all, 1),
            timedCopy(postgres, data, "copy5_", all, 2));

    for (TableRows table : all) {
      System.out.printf(
          "  (COPY rows of %s: %,d, %.0f MB)%n",
          table.table(), lines(table.rows()), table.rows().length / 1e6);
    }
    for (var baseline :
        List.of(
            Map.entry("history + sign-ins + keys", appendOnlyBaseline),
            Map.entry("all rows", allRows))) {
      CopyBaseline copy = baseline.getValue();
      System.out.printf(
          "  (COPY %s: %.1f s in one session, %.1f s in two; CPU %.1f s JVM + %.1f s PostgreSQL"
              + " in one session, %.1f s + %.1f s in two)%n",
          baseline.getKey(),
          copy.oneSession().seconds(),
          copy.twoSessions().seconds(),
          copy.oneSession().cpu().jvm(),
          copy.oneSession().cpu().postgres(),
          copy.twoSessions().cpu().jvm(),
          copy.twoSessions().cpu().postgres());
    }
    System.out.printf("  (COPY of the history alone: %.1f s)%n", history.seconds());
    return new Copies(appendOnlyBaseline, events / history.seconds(), allRows);
  }

  /**
   * Creates empty copies of the tables, then COPYs the rows in over {@code sessions} connections at
   * once (each its share of every table, in one transaction), then drops the copies. The sessions
   * connect before the clock starts, so neither the timing nor the CPU includes starting backends.
   */
  private static Timed timedCopy(
      LocalPostgres postgres, Path data, String prefix, List<TableRows> tables, int sessions)
      throws Exception {
    createCopyTables(postgres, prefix, tables);
    List<Connection> connections = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(sessions);
    try {
      List<List<TableRows>> shares = new ArrayList<>();
      for (int s = 0; s < sessions; s++) {
        Connection connection = connect(postgres);
        connection.setAutoCommit(false);
        connections.add(connection);
        shares.add(new ArrayList<>());
      }
      for (TableRows table : tables) {
        byte[][] parts = split(table.rows(), sessions);
        for (int s = 0; s < sessions; s++) {
          shares.get(s).add(new TableRows(table.table(), table.columns(), parts[s]));
        }
      }
      Cpu before = cpu(data);
      long started = System.nanoTime();
      List<Future<?>> running = new ArrayList<>();
      for (int s = 0; s < sessions; s++) {
        Connection connection = connections.get(s);
        List<TableRows> share = shares.get(s);
        running.add(
            pool.submit(
                () -> {
                  copyIn(connection, prefix, share);
                  return null;
                }));
      }
      for (Future<?> session : running) {
        session.get();
      }
      double seconds = seconds(started);
      return new Timed(seconds, cpu(data).minus(before));
    } finally {
      pool.shutdown();
      for (Connection connection : connections) {
        connection.close();
      }
      dropCopyTables(postgres, prefix, tables);
    }
  }

  private static void copyIn(Connection connection, String prefix, List<TableRows> tables)
      throws SQLException, IOException {
    CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
    for (TableRows table : tables) {
      copy.copyIn(
          "COPY " + prefix + table.table() + " (" + table.columns() + ") FROM STDIN",
          new ByteArrayInputStream(table.rows()));
    }
    connection.commit();
  }

  /**
   * {@code LIKE … INCLUDING ALL} copies columns, defaults, the generated column, constraints and
   * indexes, but neither the partitioning nor the storage parameters ({@code device}'s fillfactor
   * keeps its updates HOT): those are read from the catalog and declared too, and the result is
   * checked against the original.
   */
  private static void createCopyTables(
      LocalPostgres postgres, String prefix, List<TableRows> tables) throws SQLException {
    try (Connection connection = connect(postgres);
        Statement statement = connection.createStatement()) {
      for (TableRows rows : tables) {
        String table = rows.table();
        String copy = prefix + table;
        String partitioning =
            text(connection, "SELECT pg_get_partkeydef('" + table + "'::regclass)");
        String storage =
            text(
                connection,
                "SELECT array_to_string(reloptions, ', ') FROM pg_class"
                    + " WHERE oid = '"
                    + table
                    + "'::regclass");
        statement.execute(
            "CREATE TABLE "
                + copy
                + " (LIKE "
                + table
                + " INCLUDING ALL)"
                + (partitioning == null ? "" : " PARTITION BY " + partitioning)
                + (storage == null ? "" : " WITH (" + storage + ")"));
        if (partitioning != null) {
          // The history tables are partitioned by month of event_time (V6, V7, V8).
          statement.execute(
              "SELECT fleettrust_ensure_monthly_partitions('"
                  + copy
                  + "', (SELECT min(event_time) FROM "
                  + table
                  + "), (SELECT max(event_time) FROM "
                  + table
                  + "))");
        }
        String original = shape(connection, table);
        String copied = shape(connection, copy);
        if (!original.equals(copied)) {
          throw new IllegalStateException(
              copy + " is not shaped like " + table + ": " + copied + " vs " + original);
        }
      }
    }
  }

  /** Index and constraint counts, storage parameters and partition key of a table. */
  private static String shape(Connection connection, String table) throws SQLException {
    return text(
        connection,
        "SELECT (SELECT count(*) FROM pg_index WHERE indrelid = c.oid)"
            + " || ' indexes, ' || (SELECT count(*) FROM pg_constraint WHERE conrelid = c.oid)"
            + " || ' constraints, storage ' || coalesce(array_to_string(c.reloptions, ','), '-')"
            + " || ', partitioned ' || coalesce(pg_get_partkeydef(c.oid), '-')"
            + " FROM pg_class c WHERE c.oid = '"
            + table
            + "'::regclass");
  }

  private static void dropCopyTables(LocalPostgres postgres, String prefix, List<TableRows> tables)
      throws SQLException {
    try (Connection connection = connect(postgres);
        Statement statement = connection.createStatement()) {
      for (TableRows rows : tables) {
        statement.execute("DROP TABLE IF EXISTS " + prefix + rows.table());
      }
    }
  }

  /** The measured events' rows of a table, as COPY text, with the columns COPY may fill. */
  private static TableRows export(Connection connection, CopyManager copy, String table)
      throws SQLException, IOException {
    String columns =
        text(
            connection,
            "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute"
                + " WHERE attrelid = '"
                + table
                + "'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''");
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 << 20);
    copy.copyOut(
        "COPY (SELECT "
            + columns
            + " FROM "
            + table
            + " WHERE "
            + measuredRows(table)
            + ") TO STDOUT",
        out);
    return new TableRows(table, columns, out.toByteArray());
  }

  /**
   * Which rows of a table the service wrote for the measured events: those of the measured devices,
   * their events' idempotency keys, and the profiles they hold (some of which warm-up devices hold
   * too: the service wrote those before the measured phase, COPY writes them all).
   */
  private static String measuredRows(String table) {
    String measured = "device_id IN (" + MEASURED_DEVICES + ")";
    return switch (table) {
      case "device_event",
              "sign_in_outcome",
              "device",
              "device_provisioning",
              "device_anchor",
              "fleet_group_member" ->
          measured;
      case "ca_certificate" ->
          "sha256 IN (SELECT sha256 FROM device_anchor WHERE " + measured + ")";
      case "ingested_event" ->
          "event_id IN (SELECT event_id FROM device_event WHERE " + measured + ")";
      case "trust_profile" ->
          "profile_hash IN (SELECT profile_hash FROM device WHERE " + measured + ")";
      default -> throw new IllegalArgumentException("No measured rows in " + table);
    };
  }

  private static long countMeasured(Connection connection, String table) throws SQLException {
    return count(connection, "SELECT count(*) FROM " + table + " WHERE " + measuredRows(table));
  }

  /** Splits COPY text into {@code parts} at row boundaries (a raw newline always ends a row). */
  private static byte[][] split(byte[] rows, int parts) {
    byte[][] split = new byte[parts][];
    int from = 0;
    for (int part = 0; part < parts; part++) {
      int to =
          part == parts - 1
              ? rows.length
              : Math.max(from, (int) ((long) rows.length * (part + 1) / parts));
      while (to > 0 && to < rows.length && rows[to - 1] != '\n') {
        to++;
      }
      split[part] = Arrays.copyOfRange(rows, from, to);
      from = to;
    }
    return split;
  }

  private static long lines(byte[] rows) {
    long lines = 0;
    for (byte b : rows) {
      if (b == '\n') {
        lines++;
      }
    }
    return lines;
  }

  // ---------------------------------------------------------------- report

  private static String report(
      FleetGenerator.Options fleet,
      Optional<Warmup> warmup,
      long events,
      int partitions,
      int consumers,
      int maxPollRecords,
      double produceSeconds,
      double bareRate,
      Ingest ingest,
      Copies copies,
      LocalPostgres postgres,
      String loadBefore)
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
    String warmupFigure =
        warmup
            .map(
                w ->
                    String.format(
                        Locale.ROOT,
                        "%,d devices, seed %d (no device ID in common with the measured fleet):"
                            + " %,d events, %,.0f events/s, JIT compiler threads %.1f s CPU; its rows stay",
                        w.fleet().devices(),
                        w.fleet().seed(),
                        w.events(),
                        w.ingest().overall(),
                        w.ingest().jitSeconds()))
            .orElse("none (--warmup-devices 0)");
    CopyBaseline appendOnly = copies.appendOnly();
    CopyBaseline allRows = copies.allRows();
    return String.format(
        Locale.ROOT,
        """
        | what | figure |
        |---|---|
        | machine | %s, %d cores, %s RAM, Java %s, PostgreSQL %s (embedded; %s), Kafka %s (in-process KRaft) |
        | fleet | %,d devices, %d day(s), seed %d: %,d events |
        | warm-up before measuring (same consumers, same database) | %s |
        | topic, consumers | %d partitions, %d consumer thread(s), max-poll-records %d |
        | produce (not the target) | %,.0f events/s |
        | bare Kafka consumer | %,.0f records/s |
        | **service ingestion, sustained** | **%,.0f events/s** (%,.0f overall, %.1f s) |
        | JIT compiler threads while ingesting (measured window) | %.1f s CPU of the JVM's %.1f s |
        | PostgreSQL COPY of the same rows, one session (history + sign-ins + keys, as before) | %,.0f events/s (history alone %,.0f rows/s) |
        | PostgreSQL COPY of the same rows, two sessions (history + sign-ins + keys, as before) | %,.0f events/s |
        | PostgreSQL COPY of all rows written (+ device, trust_profile), one session | %,.0f events/s |
        | PostgreSQL COPY of all rows written (+ device, trust_profile), two sessions | %,.0f events/s |
        | ratio ingestion / best COPY (wall clock): history + sign-ins + keys / all rows | %.2f / %.2f |
        | CPU per 1,000 events: ingestion / COPY history + sign-ins + keys (one, two sessions) / COPY all rows (one, two sessions) | %.3f s / %.3f s, %.3f s / %.3f s, %.3f s |
        | per two idle cores, from CPU used: ingestion / COPY history + sign-ins + keys / COPY all rows (one session) | %,.0f / %,.0f / %,.0f events/s (ratios %.2f / %.2f) |
        | load average before / after the run | %s / %s |
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
        warmupFigure,
        partitions,
        consumers,
        maxPollRecords,
        events / produceSeconds,
        bareRate,
        ingest.sustained(),
        ingest.overall(),
        ingest.seconds(),
        ingest.jitSeconds(),
        ingest.cpu().jvm(),
        appendOnly.oneSessionRate(),
        copies.historyRowsPerSecond(),
        appendOnly.twoSessionRate(),
        allRows.oneSessionRate(),
        allRows.twoSessionRate(),
        ingest.sustained() / appendOnly.best(),
        ingest.sustained() / allRows.best(),
        1000 * ingest.cpu().total() / ingest.stored(),
        appendOnly.cpuPerThousandEvents(appendOnly.oneSession()),
        appendOnly.cpuPerThousandEvents(appendOnly.twoSessions()),
        allRows.cpuPerThousandEvents(allRows.oneSession()),
        allRows.cpuPerThousandEvents(allRows.twoSessions()),
        ingest.perTwoCores(),
        appendOnly.perTwoCores(),
        allRows.perTwoCores(),
        ingest.perTwoCores() / appendOnly.perTwoCores(),
        ingest.perTwoCores() / allRows.perTwoCores(),
        loadBefore,
        loadAverage());
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "?";
    }
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

  private static String text(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      return row.next() ? row.getString(1) : null;
    }
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
