package dev.fleettrust.inventory;

/**
 * Why an event was not taken. The code is what the dead-letter header, the {@code rejected_event}
 * table, the HTTP per-event result and the metrics tag carry.
 */
public enum RejectionReason {
  /** Not JSON, or not a JSON object where the CloudEvent or its data must be one. */
  MALFORMED_JSON("malformed-json"),
  /** A CloudEvents attribute is missing or not what CloudEvents 1.0 allows. */
  INVALID_ENVELOPE("invalid-envelope"),
  /** A {@code specversion} other than 1.0. */
  UNSUPPORTED_SPECVERSION("unsupported-specversion"),
  /** A {@code type} FleetTrust does not know. */
  UNKNOWN_TYPE("unknown-type"),
  /** A {@code subject} that is not a MAC address in any common spelling. */
  INVALID_DEVICE_ID("invalid-device-id"),
  /** A {@code time} missing, not RFC 3339, or too far in the future. */
  INVALID_TIME("invalid-time"),
  /** The {@code data} does not match the event type's schema. */
  SCHEMA_VIOLATION("schema-violation"),
  /** A certificate in the data cannot be parsed; the detail names its index and the reason. */
  INVALID_CERTIFICATE("invalid-certificate"),
  /** Valid on the wire, but the database refused it for good (never for an outage). */
  STORAGE_REJECTED("storage-rejected");

  private final String code;

  RejectionReason(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
