package dev.fleettrust.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts this replica's consumer threads once the application context is up and stops them before
 * it goes down. Scale-out is more replicas (or more threads) in the same consumer group; Kafka
 * spreads the partitions over them.
 */
@Singleton
public final class IngestConsumers {
  private static final Logger LOG = LoggerFactory.getLogger(IngestConsumers.class);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final IngestSettings settings;
  private final KafkaClientConfig kafka;
  private final CloudEventDecoder decoder;
  private final IngestPipeline pipeline;
  private final DeadLetterPublisher deadLetters;
  private final IngestMetrics metrics;
  private final MeterRegistry registry;
  private final List<Running> running = new ArrayList<>();

  IngestConsumers(
      IngestSettings settings,
      KafkaClientConfig kafka,
      CloudEventDecoder decoder,
      IngestPipeline pipeline,
      DeadLetterPublisher deadLetters,
      IngestMetrics metrics,
      MeterRegistry registry) {
    this.settings = settings;
    this.kafka = kafka;
    this.decoder = decoder;
    this.pipeline = pipeline;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.registry = registry;
  }

  /** A consumer thread and how to stop it. */
  public final class Running implements AutoCloseable {
    private final DeviceEventConsumer consumer;
    private final Thread thread;
    private final String clientId;

    private Running(DeviceEventConsumer consumer, Thread thread, String clientId) {
      this.consumer = consumer;
      this.thread = thread;
      this.clientId = clientId;
    }

    /** Leaves the group (its partitions go to the other members) and waits for the thread. */
    @Override
    public void close() {
      consumer.stop();
      try {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Search.in(registry)
          .name("fleettrust.ingest.consumer.lag")
          .tag("client", clientId)
          .meters()
          .forEach(registry::remove);
      synchronized (IngestConsumers.this) {
        running.remove(this);
      }
    }

    public String clientId() {
      return clientId;
    }
  }

  @EventListener
  void onStartup(StartupEvent event) {
    if (!settings.enabled()) {
      LOG.info("Kafka ingestion is disabled (fleettrust.ingest.enabled=false)");
      return;
    }
    createDeadLetterTopic();
    for (int i = 0; i < settings.consumers(); i++) {
      start();
    }
  }

  /**
   * Starts one more member of the group in this replica. The service starts {@code
   * fleettrust.ingest.consumers} of them itself; tests start more to prove rebalancing.
   */
  public synchronized Running start() {
    String clientId =
        "fleettrust-ingest-"
            + ManagementFactory.getRuntimeMXBean().getName().replaceAll("[^A-Za-z0-9.-]", "-")
            + "-"
            + SEQUENCE.incrementAndGet();
    KafkaConsumer<byte[], byte[]> client =
        new KafkaConsumer<>(
            kafka.with(
                Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG,
                    settings.groupId(),
                    ConsumerConfig.CLIENT_ID_CONFIG,
                    clientId,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    "false",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    "earliest",
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                    Integer.toString(settings.maxPollRecords()),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    "read_committed",
                    ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    CooperativeStickyAssignor.class.getName())),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    AtomicLong lag = metrics.lagGauge(clientId);
    DeviceEventConsumer consumer =
        new DeviceEventConsumer(client, decoder, pipeline, deadLetters, metrics, settings, lag);
    Thread thread = new Thread(consumer, clientId);
    thread.setDaemon(false);
    thread.start();
    Running handle = new Running(consumer, thread, clientId);
    running.add(handle);
    LOG.info("Ingesting {} as {} in group {}", settings.topic(), clientId, settings.groupId());
    return handle;
  }

  /**
   * The dead-letter topic gets the source topic's partition count, so that it never has to be
   * auto-created on the first bad record (brokers may forbid that). Best effort: a broker that
   * refuses leaves it to its operators.
   */
  private void createDeadLetterTopic() {
    try (Admin admin = Admin.create(kafka.with(Map.of()))) {
      int partitions = 1;
      try {
        TopicDescription source =
            admin
                .describeTopics(List.of(settings.topic()))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(settings.topic());
        partitions = source.partitions().size();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      admin
          .createTopics(List.of(new NewTopic(settings.deadLetterTopic(), partitions, (short) -1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        LOG.warn("Could not create {}: {}", settings.deadLetterTopic(), e.getCause().toString());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException | RuntimeException e) {
      LOG.warn("Could not create {}: {}", settings.deadLetterTopic(), e.toString());
    }
  }

  @PreDestroy
  synchronized void stopAll() {
    for (Running handle : List.copyOf(running)) {
      handle.close();
    }
  }
}
