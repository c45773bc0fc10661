package dev.fleettrust.ingest;

import dev.fleettrust.inventory.DeviceEvent;
import dev.fleettrust.inventory.RejectionReason;
import java.util.Objects;
import java.util.Optional;

/** The result of reading one event off the wire: an event to store, or why it cannot be. */
public sealed interface DecodedEvent {

  /** A valid event, with its {@code data} as JSON text for the history. */
  record Valid(DeviceEvent event, Optional<String> dataJson) implements DecodedEvent {
    public Valid {
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(dataJson, "dataJson");
    }
  }

  /**
   * An event that is refused, with whatever of it could be read: {@code field} is the JSONPath of
   * the offending value, {@code subject} the subject as sent.
   */
  record Refused(
      RejectionReason reason,
      String message,
      Optional<String> field,
      Optional<String> eventId,
      Optional<String> eventType,
      Optional<String> subject)
      implements DecodedEvent {
    public Refused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(eventType, "eventType");
      Objects.requireNonNull(subject, "subject");
    }
  }
}
