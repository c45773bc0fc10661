package dev.fleettrust.ingest;

import dev.fleettrust.inventory.Channel;
import dev.fleettrust.inventory.EventType;
import dev.fleettrust.inventory.RejectionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingestion meters, exposed for Prometheus at {@code /prometheus}:
 *
 * <ul>
 *   <li>{@code fleettrust_ingest_events_ingested_total{channel,type}}: new events stored;
 *   <li>{@code fleettrust_ingest_events_duplicate_total{channel}}: repeats that changed nothing;
 *   <li>{@code fleettrust_ingest_events_late_total{channel}}: events older than the device's state,
 *       kept in history only;
 *   <li>{@code fleettrust_ingest_events_rejected_total{channel,reason}};
 *   <li>{@code fleettrust_ingest_batch_seconds{channel}}: one batch's database transaction;
 *   <li>{@code fleettrust_ingest_retries_total}: batches retried after a transient failure;
 *   <li>{@code fleettrust_ingest_consumer_lag{client}}: records behind the log end, summed over the
 *       partitions a consumer holds.
 * </ul>
 */
@Singleton
final class IngestMetrics {
  private final MeterRegistry registry;

  IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void ingested(Channel channel, EventType type, int count) {
    if (count > 0) {
      Counter.builder("fleettrust.ingest.events.ingested")
          .description("New device events stored")
          .tag("channel", channel.name())
          .tag("type", type.cloudEventType())
          .register(registry)
          .increment(count);
    }
  }

  void duplicates(Channel channel, int count) {
    count(
        "fleettrust.ingest.events.duplicate",
        "Repeated events that changed nothing",
        channel,
        count);
  }

  void late(Channel channel, int count) {
    count(
        "fleettrust.ingest.events.late",
        "Events older than the device state, history only",
        channel,
        count);
  }

  void rejected(Channel channel, RejectionReason reason, int count) {
    if (count > 0) {
      Counter.builder("fleettrust.ingest.events.rejected")
          .description("Events refused and dead-lettered")
          .tag("channel", channel.name())
          .tag("reason", reason.name())
          .register(registry)
          .increment(count);
    }
  }

  void batch(Channel channel, Duration elapsed) {
    Timer.builder("fleettrust.ingest.batch")
        .description("Time to store one batch in one database transaction")
        .tag("channel", channel.name())
        .publishPercentileHistogram(false)
        .register(registry)
        .record(elapsed);
  }

  void retry() {
    Counter.builder("fleettrust.ingest.retries")
        .description("Batches retried after the database or broker failed them")
        .register(registry)
        .increment();
  }

  /** Registers the lag gauge of one consumer; the caller keeps the value current. */
  AtomicLong lagGauge(String clientId) {
    AtomicLong lag = new AtomicLong();
    Gauge.builder("fleettrust.ingest.consumer.lag", lag, AtomicLong::get)
        .description("Records behind the log end over the partitions this consumer holds")
        .tag("client", clientId)
        .register(registry);
    return lag;
  }

  private void count(String name, String description, Channel channel, int count) {
    if (count > 0) {
      Counter.builder(name)
          .description(description)
          .tag("channel", channel.name())
          .register(registry)
          .increment(count);
    }
  }
}
