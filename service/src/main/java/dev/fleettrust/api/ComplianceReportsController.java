package dev.fleettrust.api;

import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import dev.fleettrust.api.problem.ProblemType;
import dev.fleettrust.api.problem.QueryParameters;
import dev.fleettrust.api.security.Role;
import dev.fleettrust.report.ComplianceReportService;
import dev.fleettrust.report.ComplianceReports;
import dev.fleettrust.report.ComplianceReports.DeviceRow;
import dev.fleettrust.report.ComplianceReports.Stored;
import dev.fleettrust.report.ReportDocument;
import dev.fleettrust.report.ReportRun;
import dev.fleettrust.report.ReportSection;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.io.Writable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.thymeleaf.ThymeleafViewsRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nightly compliance report (issue 13; api-spec/openapi.yaml, tag {@code reports}): runs, the
 * list of stored reports, one report as JSON, CSV or HTML, and the device list behind a section.
 */
@Controller("/api/v1/reports/compliance")
@Secured(Role.VIEWER_NAME)
final class ComplianceReportsController {
  private static final String CSV = "text/csv";
  private static final String CSV_HEADER =
      "section,deviceId,model,build,site,userAgent,verdict,horizonDays,rules,detail\r\n";
  private static final Pattern LIST_CURSOR = Pattern.compile("(-?\\d+):([0-9a-f-]{36})");

  private final ComplianceReportService service;
  private final ComplianceReports reports;
  private final ThymeleafViewsRenderer<Map<String, Object>> html;

  ComplianceReportsController(
      ComplianceReportService service,
      ComplianceReports reports,
      ThymeleafViewsRenderer<Map<String, Object>> html) {
    this.service = service;
    this.reports = reports;
    this.html = html;
  }

  @Serdeable
  record RunResource(
      UUID id,
      String trigger,
      String status,
      String phase,
      int progress,
      LocalDate reportDate,
      Instant createdAt,
      String createdBy,
      @Nullable Instant completedAt,
      @Nullable String error,
      @Nullable String report) {}

  @Serdeable
  record ReportSummary(
      UUID runId,
      LocalDate reportDate,
      Instant generatedAt,
      int devices,
      Map<String, Integer> headline,
      String report) {}

  @Serdeable
  record ReportPage(List<ReportSummary> items, @Nullable String nextCursor) {}

  @Serdeable
  record ReportDevice(
      String section,
      String deviceId,
      List<String> rules,
      @Nullable String verdict,
      @Nullable Integer horizonDays,
      @Nullable String model,
      @Nullable String build,
      @Nullable String site,
      @Nullable String userAgent,
      @Nullable String detail) {}

  @Serdeable
  record ReportDevicePage(List<ReportDevice> items, @Nullable String nextCursor) {}

  @Post(uri = "/runs", produces = MediaType.APPLICATION_JSON)
  @Secured(Role.ADMIN_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  HttpResponse<RunResource> startRun(Authentication authentication) {
    ReportRun run = service.start(authentication.getName());
    return HttpResponse.<RunResource>status(HttpStatus.ACCEPTED)
        .header("Location", "/api/v1/reports/compliance/runs/" + run.id())
        .body(resource(run));
  }

  @Get(uri = "/runs/{id}", produces = MediaType.APPLICATION_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  RunResource getRun(@PathVariable String id) {
    UUID runId;
    try {
      runId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          Problem.validation(Problem.ValidationError.path("id", "must be a UUID")));
    }
    return service
        .run(runId)
        .map(this::resource)
        .orElseThrow(() -> notFound("No report run " + runId));
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  ReportPage list(@QueryValue @Nullable String limit, @QueryValue @Nullable String cursor) {
    List<Problem.ValidationError> errors = new ArrayList<>();
    int pageSize = QueryParameters.limit(limit, errors);
    Optional<ComplianceReports.ListPosition> after = Optional.empty();
    if (cursor != null) {
      Matcher m = LIST_CURSOR.matcher(decode(cursor));
      if (m.matches()) {
        long micros = Long.parseLong(m.group(1));
        after =
            Optional.of(
                new ComplianceReports.ListPosition(
                    Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS),
                    UUID.fromString(m.group(2))));
      } else {
        errors.add(Problem.ValidationError.query("cursor", "is not a cursor this list returned"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.validation(errors));
    }
    ComplianceReports.Page<Stored, ComplianceReports.ListPosition> page =
        reports.list(pageSize, after);
    List<ReportSummary> items = new ArrayList<>();
    for (Stored stored : page.items()) {
      ReportDocument doc = reports.parse(stored);
      items.add(
          new ReportSummary(
              stored.runId(),
              stored.reportDate(),
              stored.generatedAt(),
              doc.devices(),
              doc.headline(),
              "/api/v1/reports/compliance/" + stored.reportDate()));
    }
    String next =
        page.next()
            .map(
                p ->
                    encode(
                        java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, p.generatedAt())
                            + ":"
                            + p.runId()))
            .orElse(null);
    return new ReportPage(items, next);
  }

  @Get(
      uri = "/latest",
      produces = {MediaType.APPLICATION_JSON, CSV, MediaType.TEXT_HTML})
  @ExecuteOn(TaskExecutors.BLOCKING)
  HttpResponse<?> latest(
      @QueryValue @Nullable String section, @Header("Accept") @Nullable String accept) {
    Optional<ReportSection> chosen = section(section);
    Representation representation = Representation.of(accept);
    Stored stored = reports.latest().orElseThrow(() -> notFound("No compliance report yet"));
    return represent(stored, chosen, representation);
  }

  @Get(
      uri = "/{date}",
      produces = {MediaType.APPLICATION_JSON, CSV, MediaType.TEXT_HTML})
  @ExecuteOn(TaskExecutors.BLOCKING)
  HttpResponse<?> ofDate(
      @PathVariable String date,
      @QueryValue @Nullable String section,
      @Header("Accept") @Nullable String accept) {
    LocalDate day = date(date);
    Optional<ReportSection> chosen = section(section);
    Representation representation = Representation.of(accept);
    Stored stored =
        reports.ofDate(day).orElseThrow(() -> notFound("No compliance report of " + day));
    return represent(stored, chosen, representation);
  }

  @Get(
      uri = "/{date}/devices",
      produces = {MediaType.APPLICATION_JSON, CSV})
  @ExecuteOn(TaskExecutors.BLOCKING)
  HttpResponse<?> devices(
      @PathVariable String date,
      @QueryValue @Nullable String section,
      @QueryValue @Nullable String limit,
      @QueryValue @Nullable String cursor,
      @Header("Accept") @Nullable String accept) {
    List<Problem.ValidationError> errors = new ArrayList<>();
    LocalDate day = date(date);
    Optional<ReportSection> chosen = Optional.empty();
    if (section == null) {
      errors.add(Problem.ValidationError.query("section", "is required"));
    } else {
      chosen = ReportSection.byId(section);
      if (chosen.isEmpty()) {
        errors.add(Problem.ValidationError.query("section", "must be one of " + sectionIds()));
      }
    }
    int pageSize = QueryParameters.limit(limit, errors);
    Optional<String> after = Optional.empty();
    if (cursor != null) {
      String decoded = decode(cursor);
      if (decoded.matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
        after = Optional.of(decoded);
      } else {
        errors.add(Problem.ValidationError.query("cursor", "is not a cursor this list returned"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.validation(errors));
    }
    Representation representation = Representation.of(accept);
    Stored stored =
        reports.ofDate(day).orElseThrow(() -> notFound("No compliance report of " + day));
    if (representation == Representation.CSV) {
      return csv(stored, chosen);
    }
    ComplianceReports.Page<DeviceRow, String> page =
        reports.devices(stored.runId(), chosen.orElseThrow(), pageSize, after);
    List<ReportDevice> items =
        page.items().stream().map(ComplianceReportsController::device).toList();
    return HttpResponse.ok(new ReportDevicePage(items, page.next().map(this::encode).orElse(null)))
        .contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  /** What the {@code Accept} header asks for, of what a report can be. */
  enum Representation {
    JSON,
    CSV,
    HTML;

    static Representation of(@Nullable String accept) {
      if (accept == null || accept.isBlank()) {
        return JSON;
      }
      Representation best = null;
      double bestQuality = -1;
      for (String part : accept.split(",")) {
        String[] params = part.strip().split(";");
        String type = params[0].strip().toLowerCase(Locale.ROOT);
        double quality = 1;
        for (int i = 1; i < params.length; i++) {
          String p = params[i].strip();
          if (p.startsWith("q=")) {
            try {
              quality = Double.parseDouble(p.substring(2));
            } catch (NumberFormatException e) {
              quality = 0;
            }
          }
        }
        Representation r =
            switch (type) {
              case "application/json", "application/*", "*/*" -> JSON;
              case "text/csv" -> CSV;
              case "text/html", "text/*" -> HTML;
              default -> null;
            };
        if (r != null && quality > bestQuality && quality > 0) {
          best = r;
          bestQuality = quality;
        }
      }
      if (best == null) {
        throw new ProblemException(
            Problem.of(
                ProblemType.NOT_ACCEPTABLE,
                "A compliance report is application/json, text/csv or text/html."));
      }
      return best;
    }
  }

  private HttpResponse<?> represent(
      Stored stored, Optional<ReportSection> section, Representation representation) {
    return switch (representation) {
      case JSON -> HttpResponse.ok(stored.document()).contentType(MediaType.APPLICATION_JSON_TYPE);
      case CSV -> csv(stored, section);
      case HTML -> page(stored);
    };
  }

  private HttpResponse<?> page(Stored stored) {
    ReportDocument doc = reports.parse(stored);
    Map<String, List<DeviceRow>> rows = new LinkedHashMap<>();
    for (ReportSection s : ReportSection.values()) {
      rows.put(
          s.id(),
          reports
              .devices(stored.runId(), s, ComplianceReportPage.ROWS_PER_SECTION, Optional.empty())
              .items());
    }
    Writable body =
        html.render("compliance-report", Map.of("page", ComplianceReportPage.of(doc, rows)), null);
    java.io.StringWriter out = new java.io.StringWriter();
    try {
      body.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HttpResponse.ok(out.toString()).contentType(MediaType.TEXT_HTML + "; charset=utf-8");
  }

  /** RFC 4180, CRLF, every row of the section (or of every section). */
  private HttpResponse<?> csv(Stored stored, Optional<ReportSection> section) {
    StringBuilder out = new StringBuilder(CSV_HEADER);
    reports.eachDevice(
        stored.runId(),
        section,
        row -> {
          List<String> fields =
              List.of(
                  row.section(),
                  row.deviceId(),
                  row.model().orElse(""),
                  row.build().orElse(""),
                  row.site().orElse(""),
                  row.userAgent().orElse(""),
                  row.verdict().orElse(""),
                  row.horizonDays().map(String::valueOf).orElse(""),
                  String.join("; ", row.ruleIds()),
                  row.detail().orElse(""));
          for (int i = 0; i < fields.size(); i++) {
            out.append(i == 0 ? "" : ",").append(csvField(fields.get(i)));
          }
          out.append("\r\n");
        });
    return HttpResponse.ok(out.toString()).contentType(CSV + "; charset=utf-8");
  }

  /**
   * Quoted where RFC 4180 needs it; a device-supplied value that a spreadsheet would run as a
   * formula ({@code =}, {@code +}, {@code -}, {@code @}) gets a leading apostrophe.
   */
  static String csvField(String value) {
    String v = value;
    if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    boolean quote = v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r");
    return quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }

  private static ReportDevice device(DeviceRow row) {
    return new ReportDevice(
        row.section(),
        row.deviceId(),
        row.ruleIds(),
        row.verdict().orElse(null),
        row.horizonDays().orElse(null),
        row.model().orElse(null),
        row.build().orElse(null),
        row.site().orElse(null),
        row.userAgent().orElse(null),
        row.detail().orElse(null));
  }

  private RunResource resource(ReportRun run) {
    return new RunResource(
        run.id(),
        run.trigger().name(),
        run.status().name(),
        run.phase(),
        run.progress(),
        run.reportDate(),
        run.createdAt(),
        run.createdBy(),
        run.completedAt().orElse(null),
        run.error().orElse(null),
        run.status() == ReportRun.Status.COMPLETED
            ? "/api/v1/reports/compliance/" + run.reportDate()
            : null);
  }

  private static Optional<ReportSection> section(@Nullable String section) {
    if (section == null) {
      return Optional.empty();
    }
    Optional<ReportSection> found = ReportSection.byId(section);
    if (found.isEmpty()) {
      throw new ProblemException(
          Problem.validation(
              Problem.ValidationError.query("section", "must be one of " + sectionIds())));
    }
    return found;
  }

  private static String sectionIds() {
    List<String> ids = new ArrayList<>();
    for (ReportSection s : ReportSection.values()) {
      ids.add(s.id());
    }
    return String.join(", ", ids);
  }

  private static LocalDate date(String date) {
    try {
      return LocalDate.parse(date);
    } catch (DateTimeParseException e) {
      throw new ProblemException(
          Problem.validation(
              Problem.ValidationError.path("date", "must be an RFC 3339 full date (2026-12-06)")));
    }
  }

  private static ProblemException notFound(String detail) {
    return new ProblemException(Problem.of(ProblemType.NOT_FOUND, detail));
  }

  private String encode(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String cursor) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
