package dev.fleettrust.report;

import java.util.Arrays;
import java.util.Optional;

/** The sections of a compliance report, by the {@code section} value the API and CSV use. */
public enum ReportSection {
  FIRMWARE_BASELINE("firmware-baseline", "Firmware baseline"),
  DRIFT("drift", "Drift: failing today with no change"),
  EXPIRY_HORIZON("expiry-horizon", "Expiry horizon (30/60/90 days)"),
  STALE_UNKNOWN("stale-unknown", "Stale and unknown devices"),
  RESOLVED("resolved", "Resolved since the last report");

  private final String id;
  private final String title;

  ReportSection(String id, String title) {
    this.id = id;
    this.title = title;
  }

  public String id() {
    return id;
  }

  public String title() {
    return title;
  }

  public static Optional<ReportSection> byId(String id) {
    return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
  }
}
