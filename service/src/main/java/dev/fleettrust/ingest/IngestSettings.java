package dev.fleettrust.ingest;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Ingestion settings under {@code fleettrust.ingest}. The dead-letter topic is always {@code
 * <topic>.dlq} (issue 5); the Kafka connection itself (bootstrap servers, security) comes from the
 * {@code kafka.*} keys the rest of the service uses.
 *
 * @param enabled run the Kafka consumers in this replica
 * @param topic the device event topic, keyed by device ID, any number of partitions
 * @param groupId the consumer group; more replicas in the same group share the partitions
 * @param consumers consumer threads per replica (each its own group member)
 * @param maxPollRecords records per batch, hence per database transaction
 * @param pollTimeout how long one poll waits for records
 * @param initialBackoff first wait after the database failed a batch; doubles up to the maximum
 * @param maxBackoff longest wait between retries of a failed batch
 * @param maxFutureSkew how far in the future an event's {@code time} may lie (clock skew)
 */
@ConfigurationProperties("fleettrust.ingest")
public record IngestSettings(
    @Bindable(defaultValue = "true") boolean enabled,
    @Bindable(defaultValue = "fleettrust.device-events") String topic,
    @Bindable(defaultValue = "fleettrust-ingest") String groupId,
    @Bindable(defaultValue = "1") int consumers,
    @Bindable(defaultValue = "5000") int maxPollRecords,
    @Bindable(defaultValue = "500ms") Duration pollTimeout,
    @Bindable(defaultValue = "200ms") Duration initialBackoff,
    @Bindable(defaultValue = "30s") Duration maxBackoff,
    @Bindable(defaultValue = "24h") Duration maxFutureSkew) {

  public String deadLetterTopic() {
    return topic + ".dlq";
  }
}
