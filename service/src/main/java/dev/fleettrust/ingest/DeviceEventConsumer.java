package dev.fleettrust.ingest;

import dev.fleettrust.inventory.Channel;
import dev.fleettrust.inventory.InventoryStoreException;
import dev.fleettrust.inventory.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of the ingestion consumer group: a plain poll loop on its own thread
 * (service/docs/adr/0501-kafka-consumer-loop.md says why not a framework listener).
 *
 * <p>Each poll is one batch: decoded, stored in one database transaction, refused records
 * dead-lettered, and only then are the offsets committed. When the database (or the broker, for
 * dead letters) fails a batch, every assigned partition is paused and the same batch is retried
 * with exponential backoff, polling meanwhile so the member stays in the group; offsets never move
 * past an unstored record. Partitions revoked during the wait are dropped from the batch: their new
 * owner starts again from the last commit, and idempotency on event id makes the overlap harmless.
 */
final class DeviceEventConsumer implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceEventConsumer.class);

  private final Consumer<byte[], byte[]> consumer;
  private final CloudEventDecoder decoder;
  private final IngestPipeline pipeline;
  private final DeadLetterPublisher deadLetters;
  private final IngestMetrics metrics;
  private final IngestSettings settings;
  private final AtomicLong lag;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
  private boolean paused;

  DeviceEventConsumer(
      Consumer<byte[], byte[]> consumer,
      CloudEventDecoder decoder,
      IngestPipeline pipeline,
      DeadLetterPublisher deadLetters,
      IngestMetrics metrics,
      IngestSettings settings,
      AtomicLong lag) {
    this.consumer = consumer;
    this.decoder = decoder;
    this.pipeline = pipeline;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.settings = settings;
    this.lag = lag;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(settings.topic()), new PauseNewPartitionsWhilePaused());
      while (running.get()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(settings.pollTimeout());
        updateLag();
        commitPending();
        if (!records.isEmpty()) {
          List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(records.count());
          records.forEach(batch::add);
          handle(batch);
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } catch (RuntimeException e) {
      LOG.error("The ingestion consumer stopped on an unexpected failure", e);
      throw e;
    } finally {
      try {
        commitPending();
      } catch (RuntimeException e) {
        LOG.warn("Final commit failed: {}", e.toString());
      }
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.warn("Closing the ingestion consumer failed: {}", e.toString());
      }
    }
  }

  /** Stops the loop from another thread; the loop closes the consumer on its way out. */
  void stop() {
    running.set(false);
    consumer.wakeup();
  }

  private void handle(List<ConsumerRecord<byte[], byte[]>> batch) {
    Duration backoff = settings.initialBackoff();
    List<ConsumerRecord<byte[], byte[]>> pending = batch;
    while (running.get() && !pending.isEmpty()) {
      try {
        List<IngestPipeline.Outcome> outcomes = pipeline.ingest(items(pending));
        deadLetters.publish(settings.deadLetterTopic(), deadLetters(pending, outcomes));
        commit(pending);
        resume();
        return;
      } catch (InventoryStoreException | DeadLetterPublisher.DeadLetterException e) {
        LOG.warn(
            "Storing a batch of {} records failed ({}); pausing and retrying in {}",
            pending.size(),
            e.getMessage(),
            backoff);
        pending = retryLater(pending, backoff);
        backoff = next(backoff);
      } catch (RuntimeException e) {
        // A defect, not bad input (bad input is a rejection): keep the records and say so loudly
        // rather than lose them or let the thread die.
        LOG.error(
            "Unexpected failure on a batch of {} records; retrying in {}",
            pending.size(),
            backoff,
            e);
        pending = retryLater(pending, backoff);
        backoff = next(backoff);
      }
    }
  }

  private List<ConsumerRecord<byte[], byte[]>> retryLater(
      List<ConsumerRecord<byte[], byte[]>> pending, Duration backoff) {
    metrics.retry();
    pause();
    waitPolling(backoff);
    return stillAssigned(pending);
  }

  private List<IngestPipeline.Item> items(List<ConsumerRecord<byte[], byte[]>> records) {
    List<IngestPipeline.Item> items = new ArrayList<>(records.size());
    for (ConsumerRecord<byte[], byte[]> record : records) {
      Map<String, byte[]> headers = new HashMap<>();
      for (Header header : record.headers()) {
        headers.put(header.key().toLowerCase(java.util.Locale.ROOT), header.value());
      }
      DecodedEvent decoded = decoder.decodeKafka(record.value(), headers);
      Map<String, String> kept = Map.of();
      String payload = "";
      if (decoded instanceof DecodedEvent.Refused) {
        // Only a refused record keeps its payload and headers (for the rejected_event row).
        payload = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
        Map<String, String> text = new HashMap<>();
        headers.forEach(
            (name, value) ->
                text.put(name, value == null ? "" : new String(value, StandardCharsets.UTF_8)));
        kept = text;
      }
      items.add(
          new IngestPipeline.Item(
              decoded,
              Channel.KAFKA,
              Optional.of(
                  new Rejection.KafkaCoordinates(
                      record.topic(), record.partition(), record.offset())),
              payload,
              kept));
    }
    return items;
  }

  private static List<DeadLetterPublisher.DeadLetter> deadLetters(
      List<ConsumerRecord<byte[], byte[]>> records, List<IngestPipeline.Outcome> outcomes) {
    List<DeadLetterPublisher.DeadLetter> letters = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      if (outcomes.get(i) instanceof IngestPipeline.Outcome.Rejected rejected) {
        letters.add(DeadLetterPublisher.DeadLetter.of(records.get(i), rejected));
      }
    }
    return letters;
  }

  /** Offsets of stored batches, committed as soon as the group lets this member commit. */
  private void commit(List<ConsumerRecord<byte[], byte[]>> records) {
    for (ConsumerRecord<byte[], byte[]> record : records) {
      uncommitted.merge(
          new TopicPartition(record.topic(), record.partition()),
          new OffsetAndMetadata(record.offset() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    commitPending();
  }

  /**
   * Commits what is stored but not yet committed, for the partitions this member still holds. A
   * commit refused during a rebalance is kept and tried again on the next turn of the loop; one
   * refused because the partitions moved on is dropped, since their new owner re-reads from the
   * last commit and the idempotency gate makes the repeat a no-op.
   */
  private void commitPending() {
    if (uncommitted.isEmpty()) {
      return;
    }
    uncommitted.keySet().retainAll(consumer.assignment());
    if (uncommitted.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(uncommitted);
      uncommitted.clear();
    } catch (RebalanceInProgressException e) {
      LOG.debug("Commit deferred until the rebalance completes");
    } catch (CommitFailedException e) {
      LOG.info("Offsets not committed, the partitions moved on: {}", e.getMessage());
      uncommitted.clear();
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } catch (KafkaException e) {
      LOG.warn("Committing offsets failed, will retry: {}", e.toString());
    }
  }

  /**
   * Waits out a backoff while staying in the group. All partitions are paused, so polls return
   * nothing; should a fetch slip through anyway, the consumer is rewound so nothing is skipped.
   */
  private void waitPolling(Duration backoff) {
    long deadline = System.nanoTime() + backoff.toNanos();
    while (running.get()) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return;
      }
      ConsumerRecords<byte[], byte[]> unexpected =
          consumer.poll(Duration.ofNanos(Math.min(remaining, settings.pollTimeout().toNanos())));
      for (TopicPartition partition : unexpected.partitions()) {
        consumer.seek(partition, unexpected.records(partition).get(0).offset());
      }
      updateLag();
    }
  }

  private List<ConsumerRecord<byte[], byte[]>> stillAssigned(
      List<ConsumerRecord<byte[], byte[]>> records) {
    Set<TopicPartition> assigned = consumer.assignment();
    List<ConsumerRecord<byte[], byte[]>> kept = new ArrayList<>(records.size());
    for (ConsumerRecord<byte[], byte[]> record : records) {
      if (assigned.contains(new TopicPartition(record.topic(), record.partition()))) {
        kept.add(record);
      }
    }
    return kept;
  }

  private void pause() {
    consumer.pause(consumer.assignment());
    paused = true;
  }

  private void resume() {
    if (paused) {
      consumer.resume(consumer.paused());
      paused = false;
    }
  }

  private Duration next(Duration backoff) {
    Duration doubled = backoff.multipliedBy(2);
    Duration capped =
        doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
    // Jitter keeps replicas that failed together from retrying in lockstep.
    long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, capped.toMillis() / 5));
    return capped.plusMillis(jitter);
  }

  private void updateLag() {
    long total = 0;
    for (TopicPartition partition : consumer.assignment()) {
      total += consumer.currentLag(partition).orElse(0);
    }
    lag.set(total);
  }

  /** Partitions assigned while a batch waits for the database are paused with the rest. */
  private final class PauseNewPartitionsWhilePaused implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // Hand over cleanly: commit what is stored for the partitions that leave, if anything.
      Map<TopicPartition, OffsetAndMetadata> leaving = new HashMap<>();
      for (TopicPartition partition : partitions) {
        OffsetAndMetadata offset = uncommitted.remove(partition);
        if (offset != null) {
          leaving.put(partition, offset);
        }
      }
      if (!leaving.isEmpty()) {
        try {
          consumer.commitSync(leaving);
        } catch (KafkaException e) {
          LOG.info("Offsets of revoked partitions not committed: {}", e.toString());
        }
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      partitions.forEach(uncommitted::remove);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (paused && !partitions.isEmpty()) {
        consumer.pause(partitions);
      }
    }
  }
}
