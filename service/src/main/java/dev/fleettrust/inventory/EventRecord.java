package dev.fleettrust.inventory;

import java.util.Objects;
import java.util.Optional;

/**
 * An accepted event on its way into the inventory: the decoded event, how it came, and its {@code
 * data} as JSON text for the history.
 */
public record EventRecord(DeviceEvent event, Channel channel, Optional<String> dataJson) {
  public EventRecord {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(dataJson, "dataJson");
  }

  public EventHeader header() {
    return event.header();
  }
}
