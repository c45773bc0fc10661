package dev.fleettrust.inventory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What every device event carries: the CloudEvents {@code id}, {@code source} and {@code time}, and
 * the device it is about ({@code subject}). The time is kept to the microsecond, PostgreSQL's
 * precision, so that comparisons in Java and in SQL agree.
 */
public record EventHeader(String id, String source, Instant time, DeviceId deviceId) {
  public EventHeader {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(deviceId, "deviceId");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("An event id is never empty");
    }
    time = time.truncatedTo(ChronoUnit.MICROS);
  }
}
