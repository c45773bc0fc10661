package dev.fleettrust.itsm;

/** The outbound message types, as the CloudEvent {@code type} names them (api-spec/events/). */
public enum MessageType {
  IMPACT_ASSESSED("fleettrust.impact.assessed"),
  VIOLATION_OPENED("fleettrust.violation.opened"),
  VIOLATION_UPDATED("fleettrust.violation.updated"),
  VIOLATION_RESOLVED("fleettrust.violation.resolved");

  private final String cloudEventType;

  MessageType(String cloudEventType) {
    this.cloudEventType = cloudEventType;
  }

  public String cloudEventType() {
    return cloudEventType;
  }

  static MessageType fromCloudEventType(String type) {
    for (MessageType candidate : values()) {
      if (candidate.cloudEventType.equals(type)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("Not an ITSM message type: " + type);
  }
}
