package dev.fleettrust.ingest;

import dev.fleettrust.ingest.fleet.FleetGenerator;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a generated demo fleet ({@link FleetGenerator}) to the device event topic, keyed by
 * device ID, the way phone management tools would: the one-shot loader of {@code
 * deploy/compose.yaml}. It reads the service's Kafka settings ({@code kafka.*}, {@code
 * fleettrust.ingest.topic}) through Micronaut's environment alone, so SASL/TLS settings apply
 * unchanged and no bean starts.
 *
 * <pre>
 * java -cp 'fleettrust-service.jar:lib/*' dev.fleettrust.ingest.DemoFleetLoader \
 *     [--devices 1000] [--seed 42] [--start 2026-12-01T00:00:00Z]
 * </pre>
 *
 * The same seed and start give the same event IDs, so loading twice stores nothing twice. The start
 * defaults to yesterday (UTC midnight), so the demo's sign-ins are recent.
 */
public final class DemoFleetLoader {
  private DemoFleetLoader() {}

  public static void main(String[] args) {
    Map<String, String> options = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("Expected --name value, got " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    Instant start =
        options.containsKey("start")
            ? Instant.parse(options.get("start"))
            : Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
    FleetGenerator fleet =
        new FleetGenerator(
            FleetGenerator.Options.of(
                    Long.parseLong(options.getOrDefault("seed", "42")),
                    Integer.parseInt(options.getOrDefault("devices", "1000")))
                .withStart(start));
    try (ApplicationContext context = ApplicationContext.builder().build()) {
      Environment environment = context.getEnvironment();
      environment.start();
      String topic =
          environment
              .getProperty("fleettrust.ingest.topic", String.class)
              .orElse("fleettrust.device-events");
      long sent = publish(fleet, new KafkaClientConfig(environment), topic);
      System.out.printf(
          "Published %,d events for %,d demo devices to %s%n",
          sent, fleet.options().devices(), topic);
    }
  }

  /** Produces every event in structured mode and waits until the broker has acknowledged all. */
  static long publish(FleetGenerator fleet, KafkaClientConfig kafka, String topic) {
    AtomicReference<Exception> failure = new AtomicReference<>();
    AtomicLong count = new AtomicLong();
    byte[] contentType = CloudEventDecoder.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            kafka.with(
                Map.of(
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                    ProducerConfig.LINGER_MS_CONFIG, "20")),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      Iterator<FleetGenerator.GeneratedEvent> events = fleet.events().iterator();
      while (events.hasNext() && failure.get() == null) {
        FleetGenerator.GeneratedEvent event = events.next();
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(
                topic,
                event.key().getBytes(StandardCharsets.UTF_8),
                event.json().getBytes(StandardCharsets.UTF_8));
        record.headers().add("content-type", contentType);
        producer.send(record, (metadata, error) -> failure.compareAndSet(null, error));
        count.incrementAndGet();
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("Demo fleet not fully published", failure.get());
    }
    return count.get();
  }
}
