package dev.fleettrust.ingest;

import dev.fleettrust.inventory.Channel;
import dev.fleettrust.inventory.Rejection;
import dev.fleettrust.inventory.RejectionReason;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Copies refused records to {@code <topic>.dlq}: same key, value and headers, plus the reason.
 * Headers added (values UTF-8):
 *
 * <ul>
 *   <li>{@code fleettrust.dlq.reason}: the rejection reason code, e.g. {@code UNPARSEABLE_PEM};
 *   <li>{@code fleettrust.dlq.message}: the reason in words;
 *   <li>{@code fleettrust.dlq.field}: the JSONPath of the offending value, when there is one;
 *   <li>{@code fleettrust.dlq.rejection-id}: the id under {@code GET /api/v1/rejected-events};
 *   <li>{@code fleettrust.dlq.channel}: {@code KAFKA} or {@code HTTP};
 *   <li>{@code fleettrust.dlq.source-topic}, {@code .source-partition}, {@code .source-offset}:
 *       where a Kafka record was;
 *   <li>{@code fleettrust.dlq.rejected-at}: ISO-8601 instant.
 * </ul>
 *
 * Publishing waits for the broker's acknowledgement, and the consumer commits its offsets only
 * after that, so a crash can repeat a dead letter but never lose one.
 */
@Singleton
final class DeadLetterPublisher implements AutoCloseable {
  static final String REASON = "fleettrust.dlq.reason";
  static final String MESSAGE = "fleettrust.dlq.message";
  static final String FIELD = "fleettrust.dlq.field";
  static final String REJECTION_ID = "fleettrust.dlq.rejection-id";
  static final String CHANNEL = "fleettrust.dlq.channel";
  static final String SOURCE_TOPIC = "fleettrust.dlq.source-topic";
  static final String SOURCE_PARTITION = "fleettrust.dlq.source-partition";
  static final String SOURCE_OFFSET = "fleettrust.dlq.source-offset";
  static final String REJECTED_AT = "fleettrust.dlq.rejected-at";

  private final KafkaClientConfig config;
  private Producer<byte[], byte[]> producer;

  DeadLetterPublisher(KafkaClientConfig config) {
    this.config = config;
  }

  /** Thrown when the broker did not take the dead letters in time; the batch is retried. */
  static final class DeadLetterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DeadLetterException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * A refused event and why: its key, value and headers as received, and where it was on Kafka
   * (empty for an event posted over HTTP).
   */
  record DeadLetter(
      byte[] key,
      byte[] value,
      Iterable<Header> headers,
      Optional<Rejection.KafkaCoordinates> source,
      Channel channel,
      IngestPipeline.Outcome.Rejected why) {

    static DeadLetter of(
        ConsumerRecord<byte[], byte[]> record, IngestPipeline.Outcome.Rejected why) {
      return new DeadLetter(
          record.key(),
          record.value(),
          record.headers(),
          Optional.of(
              new Rejection.KafkaCoordinates(record.topic(), record.partition(), record.offset())),
          Channel.KAFKA,
          why);
    }
  }

  void publish(String topic, List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return;
    }
    Producer<byte[], byte[]> out = producer();
    String now = Instant.now().toString();
    List<Future<RecordMetadata>> sent = new ArrayList<>(letters.size());
    for (DeadLetter letter : letters) {
      ProducerRecord<byte[], byte[]> copy =
          new ProducerRecord<>(topic, null, letter.key(), letter.value(), letter.headers());
      Headers headers = copy.headers();
      RejectionReason reason = letter.why().reason();
      add(headers, REASON, reason.name());
      add(headers, MESSAGE, letter.why().message());
      letter.why().field().ifPresent(field -> add(headers, FIELD, field));
      add(headers, REJECTION_ID, letter.why().rejectionId().toString());
      add(headers, CHANNEL, letter.channel().name());
      letter
          .source()
          .ifPresent(
              source -> {
                add(headers, SOURCE_TOPIC, source.topic());
                add(headers, SOURCE_PARTITION, Integer.toString(source.partition()));
                add(headers, SOURCE_OFFSET, Long.toString(source.offset()));
              });
      add(headers, REJECTED_AT, now);
      sent.add(out.send(copy));
    }
    try {
      for (Future<RecordMetadata> future : sent) {
        future.get(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeadLetterException("Interrupted while dead-lettering", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new DeadLetterException("The broker did not take the dead letters: " + e, e);
    }
  }

  private static void add(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private synchronized Producer<byte[], byte[]> producer() {
    if (producer == null) {
      producer =
          new KafkaProducer<>(
              config.with(
                  Map.of(
                      ProducerConfig.CLIENT_ID_CONFIG, "fleettrust-dlq",
                      ProducerConfig.ACKS_CONFIG, "all",
                      ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                      ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000",
                      ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000",
                      ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000")),
              new ByteArraySerializer(),
              new ByteArraySerializer());
    }
    return producer;
  }

  @PreDestroy
  @Override
  public synchronized void close() {
    if (producer != null) {
      producer.close(java.time.Duration.ofSeconds(5));
      producer = null;
    }
  }
}
