package dev.fleettrust.bench.fleet;

import dev.fleettrust.ingest.fleet.FleetGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes the generated fleet's CloudEvents to Kafka (structured mode, keyed by device ID), to
 * {@code POST /api/v1/events}, or to a file (one event per line).
 *
 * <pre>
 * java -cp ... dev.fleettrust.bench.fleet.FleetWriter --to kafka --bootstrap localhost:9092 \
 *     [--topic fleettrust.device-events] --devices 10000 [--seed 42] [--days 1] [--sign-ins-only]
 * java -cp ... dev.fleettrust.bench.fleet.FleetWriter --to http --url http://localhost:8080 \
 *     --token "$(deploy/local/token.sh admin)" --devices 1000 [--batch 1000]
 * java -cp ... dev.fleettrust.bench.fleet.FleetWriter --to file --file fleet.jsonl --devices 1000
 * </pre>
 */
public final class FleetWriter {
  private FleetWriter() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    FleetGenerator generator = new FleetGenerator(fleetOptions(options));
    String to = options.getOrDefault("to", "file");
    long started = System.nanoTime();
    long written =
        switch (to) {
          case "kafka" ->
              toKafka(
                  generator,
                  options.getOrDefault("bootstrap", "localhost:9092"),
                  options.getOrDefault("topic", "fleettrust.device-events"));
          case "http" ->
              toHttp(
                  generator,
                  options.getOrDefault("url", "http://localhost:8080"),
                  required(options, "token"),
                  Integer.parseInt(options.getOrDefault("batch", "1000")));
          case "file" -> toFile(generator, Path.of(options.getOrDefault("file", "fleet.jsonl")));
          default -> throw new IllegalArgumentException("--to kafka|http|file");
        };
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "Wrote %,d events for %,d devices to %s in %.1f s (%,.0f events/s)%n",
        written, generator.options().devices(), to, seconds, written / seconds);
  }

  /** Generator options from {@code --seed --devices --days --start --sign-ins-only}. */
  public static FleetGenerator.Options fleetOptions(Map<String, String> options) {
    FleetGenerator.Options fleet =
        FleetGenerator.Options.of(
                Long.parseLong(options.getOrDefault("seed", "42")),
                Integer.parseInt(options.getOrDefault("devices", "10000")))
            .withDays(Integer.parseInt(options.getOrDefault("days", "1")));
    if (options.containsKey("start")) {
      fleet = fleet.withStart(Instant.parse(options.get("start")));
    }
    if (options.containsKey("sign-ins-only")) {
      fleet = fleet.onlySignIns();
    }
    return fleet;
  }

  /** Produces every event, structured mode, keyed by device ID; returns how many. */
  public static long toKafka(FleetGenerator generator, String bootstrap, String topic) {
    AtomicLong failed = new AtomicLong();
    long count = 0;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "20",
                ProducerConfig.BATCH_SIZE_CONFIG, "262144",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      byte[] contentType = "application/cloudevents+json".getBytes(StandardCharsets.UTF_8);
      Iterator<FleetGenerator.GeneratedEvent> events = generator.events().iterator();
      while (events.hasNext()) {
        FleetGenerator.GeneratedEvent event = events.next();
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(
                topic,
                event.key().getBytes(StandardCharsets.UTF_8),
                event.json().getBytes(StandardCharsets.UTF_8));
        record.headers().add("content-type", contentType);
        producer.send(
            record,
            (metadata, error) -> {
              if (error != null) {
                failed.incrementAndGet();
              }
            });
        count++;
      }
      producer.flush();
    }
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " events were not produced");
    }
    return count;
  }

  /** Posts the events in batches to {@code /api/v1/events}; returns how many were accepted. */
  public static long toHttp(FleetGenerator generator, String url, String token, int batchSize)
      throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    long accepted = 0;
    List<String> batch = new ArrayList<>(batchSize);
    Iterator<FleetGenerator.GeneratedEvent> events = generator.events().iterator();
    while (events.hasNext()) {
      batch.add(events.next().json());
      if (batch.size() == batchSize || !events.hasNext()) {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(URI.create(url + "/api/v1/events"))
                    .header("Content-Type", "application/cloudevents-batch+json")
                    .header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofMinutes(2))
                    .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", batch) + "]"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IllegalStateException(
              "POST /api/v1/events answered " + response.statusCode() + ": " + response.body());
        }
        accepted += batch.size();
        batch.clear();
      }
    }
    return accepted;
  }

  /** One structured-mode event per line (JSON Lines). */
  public static long toFile(FleetGenerator generator, Path file) throws IOException {
    long count = 0;
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      Iterator<FleetGenerator.GeneratedEvent> events = generator.events().iterator();
      while (events.hasNext()) {
        out.write(events.next().json());
        out.write('\n');
        count++;
      }
    }
    return count;
  }

  /** {@code --name value} pairs and bare {@code --flag}s. */
  public static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("Unexpected argument " + args[i]);
      }
      String name = args[i].substring(2);
      if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        options.put(name, args[++i]);
      } else {
        options.put(name, "true");
      }
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }
}
