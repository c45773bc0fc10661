package dev.fleettrust.itsm;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Structured-mode CloudEvents on the ITSM topic, keyed by dedup key (so one key stays on one
 * partition, in order), {@code content-type: application/cloudevents+json}. A message counts as
 * sent once every in-sync replica has it ({@code acks=all}, idempotent producer).
 */
final class KafkaTransport implements Transport {
  private final String topic;
  private final Duration timeout;
  private final Producer<String, byte[]> producer;

  KafkaTransport(String topic, Duration timeout, Map<String, Object> clientConfig) {
    this.topic = topic;
    this.timeout = timeout;
    Map<String, Object> config = new java.util.HashMap<>(clientConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "fleettrust-itsm-relay");
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    this.producer = new KafkaProducer<>(config);
  }

  @Override
  public String name() {
    return Transports.KAFKA;
  }

  @Override
  public List<Outcome> send(List<Due> messages) {
    List<Future<RecordMetadata>> sends = new ArrayList<>(messages.size());
    List<Outcome> outcomes = new ArrayList<>(messages.size());
    for (Due message : messages) {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(
              topic, message.dedupKey(), message.event().getBytes(StandardCharsets.UTF_8));
      record
          .headers()
          .add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
      try {
        sends.add(producer.send(record));
      } catch (RuntimeException e) {
        sends.add(null);
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Future<RecordMetadata> send : sends) {
      if (send == null) {
        outcomes.add(new Outcome.Failed(false, "the producer refused the record"));
        continue;
      }
      try {
        send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        outcomes.add(new Outcome.Sent());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        outcomes.add(new Outcome.Failed(false, "interrupted"));
      } catch (TimeoutException e) {
        outcomes.add(new Outcome.Failed(false, "no acknowledgement within " + timeout));
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        boolean retriable = cause instanceof RetriableException;
        outcomes.add(
            new Outcome.Failed(
                false,
                (retriable ? "" : "not retriable by the producer: ")
                    + cause.getClass().getSimpleName()
                    + ": "
                    + cause.getMessage()));
      }
    }
    return outcomes;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
