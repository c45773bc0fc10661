package dev.fleettrust.inventory;

import java.util.Optional;

/** The CloudEvents {@code type} values FleetTrust understands (issue 5, contract.md). */
public enum EventType {
  REGISTERED("device.registered"),
  PROVISIONED("device.provisioned"),
  FIRMWARE_UPDATED("device.firmware-updated"),
  TRUST_STORE_REPORTED("device.trust-store-reported"),
  RESET("device.reset"),
  RETIRED("device.retired");

  private final String cloudEventType;

  EventType(String cloudEventType) {
    this.cloudEventType = cloudEventType;
  }

  public String cloudEventType() {
    return cloudEventType;
  }

  public static Optional<EventType> fromCloudEventType(String type) {
    for (EventType candidate : values()) {
      if (candidate.cloudEventType.equals(type)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
