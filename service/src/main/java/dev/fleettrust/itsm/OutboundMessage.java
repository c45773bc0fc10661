package dev.fleettrust.itsm;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One message for the ITSM tools before it is stored.
 *
 * @param subject what it is about: the assessment ID, or the violation's dedup key
 * @param dedupKey the ordering and partitioning key: messages of one key are delivered in the order
 *     they were enqueued (the Kafka record key, the ServiceNow {@code correlation_id})
 * @param changeRef the ITSM change request the message belongs to, where there is one
 * @param data the CloudEvent's {@code data}: a {@code @Serdeable} value
 * @param time when the state it reports came about (the CloudEvent's {@code time})
 */
public record OutboundMessage(
    MessageType type,
    String subject,
    String dedupKey,
    Optional<String> changeRef,
    Object data,
    Instant time) {
  public OutboundMessage {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(dedupKey, "dedupKey");
    Objects.requireNonNull(changeRef, "changeRef");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(time, "time");
    if (subject.isBlank() || dedupKey.isBlank()) {
      throw new IllegalArgumentException("subject and dedupKey must not be blank");
    }
  }
}
