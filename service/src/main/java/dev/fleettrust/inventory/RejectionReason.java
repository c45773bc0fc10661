package dev.fleettrust.inventory;

/**
 * Why an event was not taken: the codes of the API's {@code RejectionReason} schema. The same code
 * travels in the dead-letter header, the {@code rejected_event} table, the HTTP per-event result
 * and the metrics tag.
 */
public enum RejectionReason {
  /** The Kafka record's value is not JSON (or not a JSON object where an event must be one). */
  NOT_JSON,
  /**
   * The event violates the event schemas: a missing or malformed CloudEvents attribute, a {@code
   * subject} that is not a MAC address, a {@code time} that is not RFC 3339, or bad {@code data}.
   */
  SCHEMA_VIOLATION,
  /** A {@code type} FleetTrust does not know. */
  UNKNOWN_TYPE,
  /** A certificate in the data does not parse; the message names its index, block and reason. */
  UNPARSEABLE_PEM,
  /**
   * Valid on the wire, yet the database refused it for good (never for an outage, which is
   * retried). Not in the API's schema yet: it signals a defect to fix, not a producer's mistake.
   */
  STORAGE_REJECTED
}
