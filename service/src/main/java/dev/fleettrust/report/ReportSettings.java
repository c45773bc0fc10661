package dev.fleettrust.report;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

/**
 * The nightly compliance report's settings under {@code fleettrust.report}.
 *
 * @param cron when the nightly run starts (Micronaut cron: second minute hour day month weekday)
 * @param zone the time zone the cron and the report dates are read in
 * @param staleAfter a device not seen for this long is stale
 * @param firmwareBaseline minimum build per family ID, over the catalog's minimum certified build
 *     ({@code uncataloguedFrom}); a family in neither has no baseline
 * @param staleRunAfter a run still {@code RUNNING} this long after its last progress is taken as
 *     lost with its replica, so the night can be claimed again at start-up
 */
@ConfigurationProperties("fleettrust.report")
public record ReportSettings(
    @Bindable(defaultValue = "0 0 2 * * *") String cron,
    @Bindable(defaultValue = "UTC") ZoneId zone,
    @Bindable(defaultValue = "30d") Duration staleAfter,
    Map<String, String> firmwareBaseline,
    @Bindable(defaultValue = "1h") Duration staleRunAfter) {

  public ReportSettings {
    firmwareBaseline = firmwareBaseline == null ? Map.of() : Map.copyOf(firmwareBaseline);
  }
}
