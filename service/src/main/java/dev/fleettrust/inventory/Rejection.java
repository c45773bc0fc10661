package dev.fleettrust.inventory;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An event that was not taken, as the {@code rejected_event} table keeps it: whatever could be read
 * of it, the reason with a message and the JSONPath of the offending value, and the payload as
 * received.
 */
public record Rejection(
    UUID id,
    Channel channel,
    Optional<KafkaCoordinates> coordinates,
    Optional<String> eventId,
    Optional<String> eventType,
    Optional<String> subject,
    RejectionReason reason,
    String message,
    Optional<String> field,
    String payload,
    Map<String, String> headers) {

  public Rejection {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(coordinates, "coordinates");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(payload, "payload");
    headers = Map.copyOf(headers);
  }

  /** Where a rejected Kafka record sits, so that a redelivery is recorded once. */
  public record KafkaCoordinates(String topic, int partition, long offset) {
    public KafkaCoordinates {
      Objects.requireNonNull(topic, "topic");
    }
  }
}
