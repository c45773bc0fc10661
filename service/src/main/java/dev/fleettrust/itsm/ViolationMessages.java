package dev.fleettrust.itsm;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/** The {@code data} of the violation messages (api-spec/events/fleettrust.violation.*). */
final class ViolationMessages {
  private ViolationMessages() {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record Violation(
      String dedupKey,
      String state,
      String rule,
      String model,
      String build,
      int devices,
      Map<String, Integer> counts,
      @Nullable Integer previousDevices,
      String summary,
      String reportId,
      String openedAt,
      String deviceList) {}
}
