package dev.fleettrust.api;

import dev.fleettrust.report.ComplianceReports.DeviceRow;
import dev.fleettrust.report.ReportDocument;
import dev.fleettrust.report.ReportDocument.FirmwareShare;
import dev.fleettrust.report.ReportDocument.TrendFigure;
import io.micronaut.core.annotation.Introspected;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the HTML template of a compliance report renders: the document, the first rows of each
 * section and the geometry of the two inline-SVG charts, computed here so the template only places
 * values (Thymeleaf escapes every one of them).
 */
@Introspected
public record ComplianceReportPage(
    ReportDocument report,
    List<SectionTable> tables,
    List<Bar> firmwareBars,
    int firmwareChartHeight,
    List<TrendGroup> trendGroups,
    int trendChartWidth) {

  static final int ROWS_PER_SECTION = 100;
  private static final int FIRMWARE_BARS = 15;
  private static final int BAR_WIDTH = 420;
  private static final int TREND_HEIGHT = 140;

  /** The first rows of a section, and how many more the CSV holds. */
  @Introspected
  public record SectionTable(ReportDocument.Section section, List<Row> rows, int more) {}

  @Introspected
  public record Row(
      String deviceId,
      String model,
      String build,
      String site,
      String userAgent,
      String verdict,
      String horizon,
      String rules,
      String detail) {}

  /** A horizontal bar: label, value, its length, its row and its colour class. */
  @Introspected
  public record Bar(String label, int value, int length, int y, String kind) {}

  /** Three vertical bars for one headline figure: last week, last night, today. */
  @Introspected
  public record TrendGroup(String figure, int x, List<Column> columns) {}

  @Introspected
  public record Column(String label, String value, int x, int y, int height, String kind) {}

  static ComplianceReportPage of(ReportDocument report, Map<String, List<DeviceRow>> rows) {
    List<SectionTable> tables = new ArrayList<>();
    for (ReportDocument.Section section : report.sections()) {
      List<Row> shown = new ArrayList<>();
      for (DeviceRow row : rows.getOrDefault(section.id(), List.of())) {
        shown.add(
            new Row(
                row.deviceId(),
                row.model().orElse(""),
                row.build().orElse(""),
                row.site().orElse(""),
                row.userAgent().orElse(""),
                row.verdict().orElse(""),
                row.horizonDays().map(d -> d + " days").orElse(""),
                String.join(", ", row.ruleIds()),
                row.detail().orElse("")));
      }
      tables.add(new SectionTable(section, shown, Math.max(0, section.devices() - shown.size())));
    }
    List<FirmwareShare> shares = report.firmwareDistribution();
    int max = shares.stream().mapToInt(FirmwareShare::devices).max().orElse(1);
    List<Bar> bars = new ArrayList<>();
    int shown = Math.min(FIRMWARE_BARS, shares.size());
    for (int i = 0; i < shown; i++) {
      FirmwareShare s = shares.get(i);
      String kind = s.belowBaseline() ? "below" : s.inCatalog() ? "ok" : "unknown";
      String label = (s.family() == null ? "unknown model" : s.family()) + " " + s.build();
      bars.add(
          new Bar(label, s.devices(), Math.max(1, s.devices() * BAR_WIDTH / max), i * 22, kind));
    }
    if (shares.size() > shown) {
      int rest =
          shares.subList(shown, shares.size()).stream().mapToInt(FirmwareShare::devices).sum();
      bars.add(
          new Bar(
              "other builds (" + (shares.size() - shown) + ")",
              rest,
              Math.max(1, Math.min(BAR_WIDTH, rest * BAR_WIDTH / max)),
              shown * 22,
              "other"));
    }
    List<TrendFigure> figures = report.trend().figures();
    int top = 1;
    for (TrendFigure f : figures) {
      top =
          Math.max(
              top,
              Math.max(f.today(), Math.max(nullToZero(f.lastNight()), nullToZero(f.lastWeek()))));
    }
    List<TrendGroup> groups = new ArrayList<>();
    for (int i = 0; i < figures.size(); i++) {
      TrendFigure f = figures.get(i);
      int x = i * 70;
      List<Column> columns = new ArrayList<>();
      columns.add(column("last week", f.lastWeek(), x, top, "week"));
      columns.add(column("last night", f.lastNight(), x + 18, top, "night"));
      columns.add(column("today", f.today(), x + 36, top, "today"));
      groups.add(new TrendGroup(f.figure(), x, columns));
    }
    return new ComplianceReportPage(
        report,
        tables,
        bars,
        bars.size() * 22 + 10,
        groups,
        Math.max(200, figures.size() * 70 + 90));
  }

  private static Column column(String label, Integer value, int x, int top, String kind) {
    int height = value == null ? 0 : Math.max(value == 0 ? 0 : 1, value * TREND_HEIGHT / top);
    return new Column(
        label,
        value == null ? "no report" : String.valueOf(value),
        x,
        TREND_HEIGHT - height,
        height,
        kind);
  }

  private static int nullToZero(Integer value) {
    return value == null ? 0 : value;
  }
}
