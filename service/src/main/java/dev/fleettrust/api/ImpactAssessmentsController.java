package dev.fleettrust.api;

import dev.fleettrust.api.problem.DateTimes;
import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import dev.fleettrust.api.problem.ProblemType;
import dev.fleettrust.api.problem.QueryParameters;
import dev.fleettrust.api.security.Role;
import dev.fleettrust.api.security.SpreadsheetCells;
import dev.fleettrust.assessment.AssessmentRunner;
import dev.fleettrust.assessment.AssessmentStore;
import dev.fleettrust.impact.Assessment;
import dev.fleettrust.impact.AssessmentOutcome;
import dev.fleettrust.impact.Candidate;
import dev.fleettrust.impact.ChangeResult;
import dev.fleettrust.impact.Comparison;
import dev.fleettrust.impact.GroupResult;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The pre-change impact queries (api-spec/openapi.yaml: createImpactAssessment,
 * compareImpactAssessments, getImpactAssessment, listAssessmentDevices). Assessments run
 * synchronously: a fleet of 100,000 devices is a few thousand profile evaluations.
 */
@Controller("/api/v1/impact-assessments")
final class ImpactAssessmentsController {
  private static final String CSV = "text/csv";
  private static final Pattern CURSOR = Pattern.compile("([0-4]):([0-9a-f:]{17})");
  private static final List<String> VERDICT_NAMES =
      List.of("BREAKS", "DEGRADED", "AT_RISK", "UNKNOWN", "OK");

  private final AssessmentRunner runner;
  private final AssessmentStore store;
  private final JsonMapper json;

  ImpactAssessmentsController(AssessmentRunner runner, AssessmentStore store, JsonMapper json) {
    this.runner = runner;
    this.store = store;
    this.json = json;
  }

  @Post(produces = MediaType.APPLICATION_JSON)
  @Secured(Role.PLANNER_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  HttpResponse<AssessmentWire.Assessment> create(@Body byte[] body, Authentication authentication) {
    RequestGuardFilter.checkBody(body, BodyLimitFilter.CERTIFICATE_PAYLOAD_LIMIT, true);
    AssessmentWire.AssessmentRequest request = read(body, AssessmentWire.AssessmentRequest.class);
    if (request.changes() == null) {
      throw invalid("$.changes", "is required (an empty list evaluates today's environment)");
    }
    Instant evaluateAt = evaluateAt(request.evaluateAt());
    var changes = AssessmentMapping.changes(request.changes(), "$.changes");
    AssessmentRunner.Run run = runner.assess(changes, evaluateAt);
    Assessment assessment = assessed(run.outcome(), "$.changes");
    List<AssessmentWire.Change> submitted =
        changes.stream().map(AssessmentMapping::toWire).toList();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    AssessmentWire.Summary summary = AssessmentMapping.summary(assessment.summary());
    AssessmentStore.StoredAssessment stored =
        new AssessmentStore.StoredAssessment(
            UUID.randomUUID(),
            "COMPLETED",
            Optional.ofNullable(request.description()),
            evaluateAt,
            now,
            authentication.getName(),
            write(submitted),
            assessment.catalogVersion(),
            run.inputs().environment().version(),
            run.inputs().fleet().takenAt(),
            now,
            write(summary));
    store.save(stored, groups(assessment));
    return HttpResponse.created(view(stored, submitted, summary))
        .headers(h -> h.location(URI.create("/api/v1/impact-assessments/" + stored.id())));
  }

  @Post(uri = "/compare", produces = MediaType.APPLICATION_JSON)
  @Secured(Role.PLANNER_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  AssessmentWire.CompareResult compare(@Body byte[] body) {
    RequestGuardFilter.checkBody(body, BodyLimitFilter.CERTIFICATE_PAYLOAD_LIMIT, true);
    AssessmentWire.CompareRequest request = read(body, AssessmentWire.CompareRequest.class);
    List<AssessmentWire.Candidate> wire = request.candidates();
    if (wire == null || wire.size() < 2) {
      throw invalid("$.candidates", "needs two or more candidates");
    }
    Instant evaluateAt = evaluateAt(request.evaluateAt());
    List<Candidate> candidates = new ArrayList<>();
    var names = new HashSet<String>();
    for (int i = 0; i < wire.size(); i++) {
      String at = "$.candidates[" + i + "]";
      AssessmentWire.Candidate c = wire.get(i);
      if (c == null || c.name() == null || c.name().isBlank()) {
        throw invalid(at + ".name", "is required");
      }
      if (!names.add(c.name())) {
        throw invalid(at + ".name", "must be unique within the request");
      }
      if (c.changes() == null) {
        throw invalid(at + ".changes", "is required");
      }
      candidates.add(
          new Candidate(c.name(), AssessmentMapping.changes(c.changes(), at + ".changes")));
    }
    AssessmentRunner.Compared compared = runner.compare(candidates, evaluateAt);
    if (compared.comparison() instanceof Comparison.Rejected rejected) {
      int position = 0;
      for (int i = 0; i < wire.size(); i++) {
        if (wire.get(i).name().equals(rejected.candidate())) {
          position = i;
        }
      }
      throw unknownReference(rejected.change(), "$.candidates[" + position + "].changes");
    }
    var ranked = ((Comparison.Ranked) compared.comparison()).ranked();
    List<AssessmentWire.RankedCandidate> results = new ArrayList<>();
    for (Comparison.RankedCandidate r : ranked) {
      results.add(
          new AssessmentWire.RankedCandidate(
              r.rank(), r.name(), AssessmentMapping.summary(r.assessment().summary())));
    }
    var inputs = compared.inputs();
    return new AssessmentWire.CompareResult(
        evaluateAt.toString(),
        inputs.catalog().version(),
        inputs.environment().version(),
        inputs.fleet().takenAt().toString(),
        results);
  }

  @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
  @Secured(Role.VIEWER_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  AssessmentWire.Assessment get(@PathVariable String id) {
    AssessmentStore.StoredAssessment stored = find(id);
    return view(
        stored,
        read(stored.changesJson(), Argument.listOf(AssessmentWire.Change.class)),
        read(stored.summaryJson().getBytes(StandardCharsets.UTF_8), AssessmentWire.Summary.class));
  }

  @Get(
      uri = "/{id}/devices",
      produces = {MediaType.APPLICATION_JSON, CSV})
  @Secured(Role.VIEWER_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  HttpResponse<?> devices(
      @PathVariable String id,
      @QueryValue @Nullable List<String> verdict,
      @QueryValue @Nullable String rule,
      @QueryValue @Nullable String model,
      @QueryValue @Nullable String build,
      @QueryValue @Nullable String limit,
      @QueryValue @Nullable String cursor,
      @Header("Accept") @Nullable String accept) {
    List<Problem.ValidationError> errors = new ArrayList<>();
    List<String> verdicts = verdict == null ? List.of() : verdict;
    for (String v : verdicts) {
      if (!VERDICT_NAMES.contains(v)) {
        errors.add(Problem.ValidationError.query("verdict", "must be one of " + VERDICT_NAMES));
      }
    }
    int pageSize = QueryParameters.limit(limit, errors);
    Optional<AssessmentStore.Position> after = decodeCursor(cursor, errors);
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.validation(errors));
    }
    AssessmentStore.StoredAssessment stored = find(id);
    var filter =
        new AssessmentStore.DeviceFilter(
            verdicts,
            Optional.ofNullable(rule),
            Optional.ofNullable(model),
            Optional.ofNullable(build));
    boolean csv =
        accept != null && accept.contains(CSV) && !accept.contains(MediaType.APPLICATION_JSON);
    if (csv) {
      List<AssessmentStore.DeviceRow> rows =
          store.devices(stored.id(), filter, Optional.empty(), Optional.empty());
      return HttpResponse.ok(csv(rows))
          .contentType(CSV + "; charset=utf-8")
          .header(
              "Content-Disposition",
              "attachment; filename=\"assessment-" + stored.id() + "-devices.csv\"");
    }
    List<AssessmentStore.DeviceRow> rows =
        store.devices(stored.id(), filter, after, Optional.of(pageSize + 1));
    boolean more = rows.size() > pageSize;
    List<AssessmentStore.DeviceRow> page = more ? rows.subList(0, pageSize) : rows;
    List<AssessmentWire.AssessedDevice> items = page.stream().map(this::device).toList();
    String next = more ? encodeCursor(page.get(page.size() - 1)) : null;
    return HttpResponse.ok(new AssessmentWire.AssessedDevicePage(items, next))
        .contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  private AssessmentWire.AssessedDevice device(AssessmentStore.DeviceRow row) {
    return new AssessmentWire.AssessedDevice(
        row.deviceId(),
        row.model().orElse(null),
        row.family().orElse(null),
        row.build().orElse(null),
        row.site().orElse(null),
        row.verdict(),
        read(row.findingsJson(), Argument.listOf(AssessmentWire.DeviceFinding.class)));
  }

  /** RFC 4180: the spec's header row, CRLF, fields quoted where they need it. */
  private String csv(List<AssessmentStore.DeviceRow> rows) {
    StringBuilder out =
        new StringBuilder(
            "deviceId,model,family,build,site,verdict,rules,messages,remediation\r\n");
    for (AssessmentStore.DeviceRow row : rows) {
      List<AssessmentWire.DeviceFinding> findings =
          read(row.findingsJson(), Argument.listOf(AssessmentWire.DeviceFinding.class));
      List<String> fields =
          List.of(
              row.deviceId(),
              row.model().orElse(""),
              row.family().orElse(""),
              row.build().orElse(""),
              row.site().orElse(""),
              row.verdict(),
              findings.stream()
                  .map(AssessmentWire.DeviceFinding::rule)
                  .collect(Collectors.joining("; ")),
              findings.stream()
                  .map(AssessmentWire.DeviceFinding::message)
                  .collect(Collectors.joining("; ")),
              findings.stream()
                  .map(AssessmentWire.DeviceFinding::remediation)
                  .collect(Collectors.joining("; ")));
      out.append(
              fields.stream()
                  .map(ImpactAssessmentsController::csvField)
                  .collect(Collectors.joining(",")))
          .append("\r\n");
    }
    return out.toString();
  }

  private static String csvField(String raw) {
    String value = SpreadsheetCells.neutralised(raw);
    boolean quote =
        value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r");
    return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
  }

  private List<AssessmentStore.StoredGroup> groups(Assessment assessment) {
    List<AssessmentStore.StoredGroup> groups = new ArrayList<>();
    for (GroupResult result : assessment.groups()) {
      var profile = result.group().profile();
      groups.add(
          new AssessmentStore.StoredGroup(
              result.profileHash(),
              result.verdict().name(),
              VERDICT_NAMES.indexOf(result.verdict().name()),
              nonBlank(profile.model()),
              result.family(),
              nonBlank(profile.build()),
              profile.site(),
              write(AssessmentMapping.findings(result.findings())),
              result.group().deviceIds()));
    }
    return groups;
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  private static AssessmentWire.Assessment view(
      AssessmentStore.StoredAssessment stored,
      List<AssessmentWire.Change> changes,
      AssessmentWire.Summary summary) {
    return new AssessmentWire.Assessment(
        stored.id().toString(),
        stored.status(),
        stored.description().orElse(null),
        stored.evaluateAt().toString(),
        stored.createdAt().toString(),
        stored.createdBy(),
        changes,
        stored.catalogVersion(),
        stored.environmentVersion(),
        stored.inventorySnapshotAt().toString(),
        stored.completedAt().toString(),
        summary);
  }

  private Assessment assessed(AssessmentOutcome outcome, String changesPath) {
    if (outcome instanceof AssessmentOutcome.Rejected rejected) {
      throw unknownReference(rejected.change(), changesPath);
    }
    return ((AssessmentOutcome.Assessed) outcome).assessment();
  }

  /** The engine refused a change because it names a pool or Exchange host it does not know. */
  private static ProblemException unknownReference(
      ChangeResult.Rejected rejected, String changesPath) {
    String field = changesPath + "[" + rejected.index() + "]." + rejected.field();
    Problem.ReferenceKind kind =
        rejected.field().equals("ewsFqdn")
            ? Problem.ReferenceKind.EXCHANGE_HOST
            : Problem.ReferenceKind.POOL;
    return new ProblemException(
        Problem.unknownReference(
            field, Problem.Location.BODY, kind, rejected.reason(), rejected.reason()));
  }

  private AssessmentStore.StoredAssessment find(String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw notFound(id);
    }
    return store.find(uuid).orElseThrow(() -> notFound(id));
  }

  private static ProblemException notFound(String id) {
    return new ProblemException(
        Problem.of(ProblemType.NOT_FOUND, "There is no assessment " + id + "."));
  }

  private static Instant evaluateAt(String value) {
    if (value == null) {
      return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
    return DateTimes.rfc3339(value)
        .orElseThrow(
            () ->
                invalid(
                    "$.evaluateAt", "must be an RFC 3339 date-time such as 2026-12-01T06:00:00Z"));
  }

  private static ProblemException invalid(String field, String message) {
    return new ProblemException(Problem.validation(Problem.ValidationError.body(field, message)));
  }

  private <T> T read(byte[] body, Class<T> type) {
    try {
      T value = json.readValue(body, Argument.of(type));
      if (value == null) {
        throw invalid("$", "must be a JSON object");
      }
      return value;
    } catch (IOException | RuntimeException e) {
      if (e instanceof ProblemException problem) {
        throw problem;
      }
      throw new ProblemException(
          Problem.validation(
              Problem.ValidationError.body("$", "The body is not the JSON this operation takes.")));
    }
  }

  private <T> T read(String stored, Argument<T> type) {
    try {
      return json.readValue(stored, type);
    } catch (IOException e) {
      throw new UncheckedIOException("A stored assessment document does not read back", e);
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String encodeCursor(AssessmentStore.DeviceRow last) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(
            (last.verdictRank() + ":" + last.deviceId()).getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<AssessmentStore.Position> decodeCursor(
      String cursor, List<Problem.ValidationError> errors) {
    if (cursor == null) {
      return Optional.empty();
    }
    try {
      Matcher matcher =
          CURSOR.matcher(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
      if (matcher.matches()) {
        return Optional.of(
            new AssessmentStore.Position(Integer.parseInt(matcher.group(1)), matcher.group(2)));
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    errors.add(Problem.ValidationError.query("cursor", "is not a cursor this list handed out"));
    return Optional.empty();
  }
}
