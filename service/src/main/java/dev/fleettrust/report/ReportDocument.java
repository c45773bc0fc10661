package dev.fleettrust.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The report as stored in {@code compliance_report.document} and served as JSON ({@code
 * ComplianceReport} in api-spec/openapi.yaml). The device lists behind each section's counts are in
 * {@code compliance_report_device}.
 *
 * @param devices active devices in the inventory at the time of the run
 * @param headline the figures the trend follows, by name ({@link Figure})
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ReportDocument(
    UUID runId,
    LocalDate reportDate,
    Instant generatedAt,
    String catalogVersion,
    long environmentVersion,
    int devices,
    Map<String, Integer> headline,
    List<Section> sections,
    List<Baseline> baselines,
    List<RevocationListDue> revocationLists,
    List<FirmwareShare> firmwareDistribution,
    Trend trend) {

  /** The headline figures, in the order reports show them. */
  public enum Figure {
    belowBaseline,
    buildsNotInCatalog,
    failingToday,
    signInFailures24h,
    expiringWithin30Days,
    expiringWithin60Days,
    expiringWithin90Days,
    notSeenRecently,
    neverProvisioned,
    modelsNotInCatalog,
    unrecognisedUserAgents,
    resolvedSinceLastReport
  }

  /**
   * @param id the {@code section} query value ({@link ReportSection})
   * @param devices devices listed in the section
   * @param counts the section's own figures (e.g. {@code within30Days})
   * @param rules devices per rule ID
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Section(
      String id,
      String title,
      int devices,
      Map<String, Integer> counts,
      Map<String, Integer> rules) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Baseline(String family, String minimumBuild, String source) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record RevocationListDue(String issuer, Instant nextUpdate, int devices) {}

  /**
   * @param family the catalog family; null when the catalog does not know the model
   * @param belowBaseline whether the build is below its family's minimum
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record FirmwareShare(
      @Nullable String family,
      String build,
      int devices,
      boolean belowBaseline,
      boolean inCatalog) {}

  /**
   * @param lastNight the report the "last night" column comes from (the day before), if any
   * @param lastWeek the report of seven days before, if any
   * @param comparedWith the report new, changed and resolved devices are counted against: the
   *     newest one of an earlier date
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Trend(
      @Nullable LocalDate lastNight,
      @Nullable LocalDate lastWeek,
      @Nullable LocalDate comparedWith,
      List<TrendFigure> figures,
      List<SectionChange> changes) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record TrendFigure(
      String figure, int today, @Nullable Integer lastNight, @Nullable Integer lastWeek) {}

  /** Devices that entered, changed rule IDs in, or left a section since the compared report. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record SectionChange(String section, int newDevices, int changed, int resolved) {}
}
