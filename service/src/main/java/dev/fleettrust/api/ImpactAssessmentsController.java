package dev.fleettrust.api;

import dev.fleettrust.api.problem.DateTimes;
import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import dev.fleettrust.api.problem.ProblemType;
import dev.fleettrust.api.problem.QueryParameters;
import dev.fleettrust.api.security.Role;
import dev.fleettrust.api.security.SpreadsheetCells;
import dev.fleettrust.assessment.AssessmentJobs;
import dev.fleettrust.assessment.AssessmentRunner;
import dev.fleettrust.assessment.AssessmentStore;
import dev.fleettrust.assessment.FleetSnapshot;
import dev.fleettrust.impact.Assessment;
import dev.fleettrust.impact.AssessmentOutcome;
import dev.fleettrust.impact.Candidate;
import dev.fleettrust.impact.ChangeResult;
import dev.fleettrust.impact.Comparison;
import dev.fleettrust.impact.GroupResult;
import dev.fleettrust.itsm.ImpactFeed;
import io.micronaut.context.annotation.Value;
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
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * The pre-change impact queries (api-spec/openapi.yaml: createImpactAssessment,
 * compareImpactAssessments, getImpactAssessment, listAssessmentDevices, listImpactAssessments,
 * cancelImpactAssessment). Assessments run synchronously up to a configured fleet size (their cost
 * is in trust profiles, not devices), in the background above it or when the client prefers.
 */
@Controller("/api/v1/impact-assessments")
final class ImpactAssessmentsController {
  private static final String CSV = "text/csv";
  private static final Pattern CURSOR = Pattern.compile("([0-9]{1,9}):([0-9a-f:]{17})");
  private static final int CSV_PAGE = 1_000;
  private static final List<String> VERDICT_NAMES =
      List.of("BREAKS", "DEGRADED", "AT_RISK", "UNKNOWN", "OK");

  private static final String RESPOND_ASYNC = "respond-async";

  private final AssessmentRunner runner;
  private final AssessmentStore store;
  private final AssessmentJobs jobs;
  private final JsonMapper json;
  private final int asyncAboveDevices;
  private final ImpactFeed impactFeed;

  ImpactAssessmentsController(
      AssessmentRunner runner,
      AssessmentStore store,
      AssessmentJobs jobs,
      JsonMapper json,
      @Value("${fleettrust.assessments.async-above-devices:1000000}") int asyncAboveDevices,
      ImpactFeed impactFeed) {
    this.runner = runner;
    this.store = store;
    this.jobs = jobs;
    this.json = json;
    this.asyncAboveDevices = asyncAboveDevices;
    this.impactFeed = impactFeed;
  }

  @Post(produces = MediaType.APPLICATION_JSON)
  @Secured(Role.PLANNER_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  HttpResponse<?> create(
      @Body byte[] body, @Header("Prefer") @Nullable String prefer, Authentication authentication) {
    RequestGuardFilter.checkBody(body, BodyLimitFilter.CERTIFICATE_PAYLOAD_LIMIT, true);
    AssessmentWire.AssessmentRequest request = read(body, AssessmentWire.AssessmentRequest.class);
    if (request.changes() == null) {
      throw invalid("$.changes", "is required (an empty list evaluates today's environment)");
    }
    Instant evaluateAt = evaluateAt(request.evaluateAt());
    Optional<String> changeRef = changeRef(request.changeRef());
    var changes = AssessmentMapping.changes(request.changes(), "$.changes");
    List<AssessmentWire.Change> submitted =
        changes.stream().map(AssessmentMapping::toWire).toList();
    AssessmentRunner.Inputs inputs = runner.inputs();
    boolean askedAsync = prefersAsync(prefer);
    if (!askedAsync && inputs.fleet().devices() <= asyncAboveDevices) {
      return createSynchronously(
          request, changeRef, changes, submitted, evaluateAt, inputs, authentication);
    }
    runner
        .rejection(inputs, changes)
        .ifPresent(
            rejected -> {
              throw unknownReference(rejected, "$.changes");
            });
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    int profiles = inputs.fleet().groups().size();
    AssessmentStore.StoredAssessment pending =
        new AssessmentStore.StoredAssessment(
            UUID.randomUUID(),
            "PENDING",
            Optional.ofNullable(request.description()),
            evaluateAt,
            now,
            authentication.getName(),
            write(submitted),
            inputs.catalog().version(),
            inputs.environment().version(),
            inputs.fleet().takenAt(),
            null,
            null,
            Optional.of(inputs.fleet().membership()),
            Optional.of(new AssessmentStore.JobProgress(0, profiles)),
            Optional.empty(),
            Optional.empty(),
            changeRef);
    store.begin(pending);
    jobs.start(
        pending.id(),
        profiles,
        new AssessmentJobs.Work() {
          @Override
          public void run(dev.fleettrust.impact.Progress progress) {
            AssessmentRunner.Run run = runner.assess(inputs, changes, evaluateAt, progress);
            Assessment assessment = assessed(run.outcome(), "$.changes");
            Instant completedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            store.complete(
                pending.id(),
                completedAt,
                write(AssessmentMapping.summary(assessment.summary())),
                groups(assessment, inputs.fleet()),
                connection ->
                    impactFeed.assessed(
                        connection,
                        new ImpactFeed.AssessedChange(
                            pending.id(),
                            changeRef,
                            pending.description(),
                            evaluateAt,
                            completedAt,
                            assessment.summary())));
          }

          @Override
          public String failure(Exception failure) {
            return write(
                problemDocument(
                    Problem.of(
                        ProblemType.INTERNAL,
                        "The assessment failed unexpectedly; the cause has been logged.")));
          }
        });
    var response =
        HttpResponse.accepted()
            .body(inProgress(pending, submitted, pending.progress().orElseThrow()))
            .headers(
                h -> {
                  h.location(URI.create("/api/v1/impact-assessments/" + pending.id()));
                  h.add("Retry-After", "1");
                  if (askedAsync) {
                    h.add("Preference-Applied", RESPOND_ASYNC);
                  }
                });
    return response;
  }

  private HttpResponse<AssessmentWire.Assessment> createSynchronously(
      AssessmentWire.AssessmentRequest request,
      Optional<String> changeRef,
      List<dev.fleettrust.impact.Change> changes,
      List<AssessmentWire.Change> submitted,
      Instant evaluateAt,
      AssessmentRunner.Inputs inputs,
      Authentication authentication) {
    AssessmentRunner.Run run =
        runner.assess(inputs, changes, evaluateAt, dev.fleettrust.impact.Progress.NONE);
    Assessment assessment = assessed(run.outcome(), "$.changes");
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
            inputs.environment().version(),
            inputs.fleet().takenAt(),
            now,
            write(summary),
            Optional.of(inputs.fleet().membership()),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            changeRef);
    store.save(
        stored,
        groups(assessment, inputs.fleet()),
        connection ->
            impactFeed.assessed(
                connection,
                new ImpactFeed.AssessedChange(
                    stored.id(),
                    changeRef,
                    stored.description(),
                    evaluateAt,
                    now,
                    assessment.summary())));
    return HttpResponse.created(view(stored, submitted, summary))
        .headers(h -> h.location(URI.create("/api/v1/impact-assessments/" + stored.id())));
  }

  /** RFC 7240: {@code Prefer} is a list of preferences, each a token with optional parameters. */
  private static boolean prefersAsync(String prefer) {
    if (prefer == null) {
      return false;
    }
    for (String preference : prefer.split(",")) {
      String token = preference.split(";", 2)[0].trim();
      if (token.equalsIgnoreCase(RESPOND_ASYNC)) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, Object> problemDocument(Problem problem) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("type", problem.type().uri().toString());
    document.put("title", problem.type().title());
    document.put("status", problem.type().status());
    document.put("detail", problem.detail());
    return document;
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  @Secured(Role.VIEWER_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  AssessmentWire.AssessmentListPage list(
      @QueryValue @Nullable String limit, @QueryValue @Nullable String cursor) {
    List<Problem.ValidationError> errors = new ArrayList<>();
    int pageSize = QueryParameters.limit(limit, errors);
    Optional<AssessmentStore.ListPosition> after = decodeListCursor(cursor, errors);
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.validation(errors));
    }
    List<AssessmentStore.ListedAssessment> rows = store.list(pageSize + 1, after);
    boolean more = rows.size() > pageSize;
    List<AssessmentStore.ListedAssessment> page = more ? rows.subList(0, pageSize) : rows;
    List<AssessmentWire.AssessmentListItem> items = new ArrayList<>();
    for (AssessmentStore.ListedAssessment a : page) {
      Optional<AssessmentStore.JobProgress> progress =
          inProgress(a.status()) ? jobs.progress(a.id()).or(() -> a.progress()) : Optional.empty();
      items.add(
          new AssessmentWire.AssessmentListItem(
              a.id().toString(),
              a.status(),
              a.description().orElse(null),
              a.evaluateAt().toString(),
              a.createdAt().toString(),
              a.createdBy(),
              a.completedAt().map(Instant::toString).orElse(null),
              a.devices().orElse(null),
              a.verdictsJson()
                  .map(v -> read(v, Argument.mapOf(String.class, Integer.class)))
                  .orElse(null),
              progress.map(ImpactAssessmentsController::progress).orElse(null)));
    }
    String next = null;
    if (more) {
      AssessmentStore.ListedAssessment last = page.get(page.size() - 1);
      next =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(
                  (last.createdAt() + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
    }
    return new AssessmentWire.AssessmentListPage(items, next);
  }

  private static Optional<AssessmentStore.ListPosition> decodeListCursor(
      String cursor, List<Problem.ValidationError> errors) {
    if (cursor == null) {
      return Optional.empty();
    }
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
      if (parts.length == 2) {
        return Optional.of(
            new AssessmentStore.ListPosition(Instant.parse(parts[0]), UUID.fromString(parts[1])));
      }
    } catch (IllegalArgumentException | DateTimeParseException e) {
      // reported below
    }
    errors.add(Problem.ValidationError.query("cursor", "is not a cursor this list handed out"));
    return Optional.empty();
  }

  @Post(uri = "/{id}/cancel", produces = MediaType.APPLICATION_JSON)
  @Secured(Role.PLANNER_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  Object cancel(@PathVariable String id, Authentication authentication) {
    AssessmentStore.StoredAssessment stored = find(id);
    if (!jobs.cancel(stored.id(), authentication.getName())) {
      throw new ProblemException(
          Problem.of(
              ProblemType.CONFLICT,
              "Assessment "
                  + id
                  + " is "
                  + find(id).status()
                  + ": only a pending or running"
                  + " assessment can be cancelled."));
    }
    return get(id);
  }

  private static boolean inProgress(String status) {
    return status.equals("PENDING") || status.equals("RUNNING");
  }

  private static AssessmentWire.Progress progress(AssessmentStore.JobProgress p) {
    return new AssessmentWire.Progress(p.profilesEvaluated(), p.profilesTotal());
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
  Object get(@PathVariable String id) {
    AssessmentStore.StoredAssessment stored = find(id);
    List<AssessmentWire.Change> changes =
        read(stored.changesJson(), Argument.listOf(AssessmentWire.Change.class));
    return switch (stored.status()) {
      case "COMPLETED" ->
          view(
              stored,
              changes,
              read(
                  stored.summaryJson().getBytes(StandardCharsets.UTF_8),
                  AssessmentWire.Summary.class));
      case "FAILED" ->
          new AssessmentWire.AssessmentFailed(
              stored.id().toString(),
              stored.status(),
              stored.description().orElse(null),
              stored.changeRef().orElse(null),
              stored.evaluateAt().toString(),
              stored.createdAt().toString(),
              stored.createdBy(),
              changes,
              stored.catalogVersion(),
              stored.environmentVersion(),
              stored.inventorySnapshotAt().toString(),
              stored.completedAt().toString(),
              read(stored.errorJson().orElse("{}"), Argument.mapOf(String.class, Object.class)));
      case "CANCELLED" ->
          new AssessmentWire.AssessmentCancelled(
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
              stored.cancelledBy().orElse(""));
      default ->
          inProgress(
              stored,
              changes,
              jobs.progress(stored.id())
                  .or(stored::progress)
                  .orElse(new AssessmentStore.JobProgress(0, 0)));
    };
  }

  private static AssessmentWire.AssessmentInProgress inProgress(
      AssessmentStore.StoredAssessment stored,
      List<AssessmentWire.Change> changes,
      AssessmentStore.JobProgress progress) {
    return new AssessmentWire.AssessmentInProgress(
        stored.id().toString(),
        stored.status(),
        stored.description().orElse(null),
        stored.changeRef().orElse(null),
        stored.evaluateAt().toString(),
        stored.createdAt().toString(),
        stored.createdBy(),
        changes,
        stored.catalogVersion(),
        stored.environmentVersion(),
        stored.inventorySnapshotAt().toString(),
        progress(progress));
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
    if (!stored.status().equals("COMPLETED")) {
      throw new ProblemException(
          Problem.of(
              ProblemType.CONFLICT,
              "Assessment "
                  + id
                  + " is "
                  + stored.status()
                  + ": only a completed assessment"
                  + " lists devices."));
    }
    var filter =
        new AssessmentStore.DeviceFilter(
            verdicts,
            Optional.ofNullable(rule),
            Optional.ofNullable(model),
            Optional.ofNullable(build));
    boolean csv =
        accept != null && accept.contains(CSV) && !accept.contains(MediaType.APPLICATION_JSON);
    if (csv) {
      return HttpResponse.ok(csv(stored, filter))
          .contentType(CSV + "; charset=utf-8")
          .header(
              "Content-Disposition",
              "attachment; filename=\"assessment-" + stored.id() + "-devices.csv\"");
    }
    List<AssessmentStore.DeviceRow> rows = store.devices(stored, filter, after, pageSize + 1);
    boolean more = rows.size() > pageSize;
    List<AssessmentStore.DeviceRow> page = more ? rows.subList(0, pageSize) : rows;
    Map<String, List<AssessmentWire.DeviceFinding>> findings = new IdentityHashMap<>();
    List<AssessmentWire.AssessedDevice> items =
        page.stream().map(row -> device(row, findings)).toList();
    String next = more ? encodeCursor(page.get(page.size() - 1)) : null;
    return HttpResponse.ok(new AssessmentWire.AssessedDevicePage(items, next))
        .contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  /**
   * One listed device. The devices of a group share its findings document (one String per group and
   * page), so {@code parsed} reads each once.
   */
  private AssessmentWire.AssessedDevice device(
      AssessmentStore.DeviceRow row, Map<String, List<AssessmentWire.DeviceFinding>> parsed) {
    return new AssessmentWire.AssessedDevice(
        row.deviceId(),
        row.model().orElse(null),
        row.family().orElse(null),
        row.build().orElse(null),
        row.site().orElse(null),
        row.verdict(),
        findings(row, parsed));
  }

  private List<AssessmentWire.DeviceFinding> findings(
      AssessmentStore.DeviceRow row, Map<String, List<AssessmentWire.DeviceFinding>> parsed) {
    return parsed.computeIfAbsent(
        row.findingsJson(),
        json -> read(json, Argument.listOf(AssessmentWire.DeviceFinding.class)));
  }

  /**
   * RFC 4180: the spec's header row, CRLF, fields quoted where they need it. Streamed a page of
   * devices at a time, each page read when the client has taken the previous one: the stored
   * snapshot makes the pages one consistent list without holding a transaction open.
   */
  private Flux<byte[]> csv(
      AssessmentStore.StoredAssessment stored, AssessmentStore.DeviceFilter filter) {
    byte[] header =
        "deviceId,model,family,build,site,verdict,rules,messages,remediation\r\n"
            .getBytes(StandardCharsets.UTF_8);
    Flux<byte[]> rows =
        Flux.<byte[], Optional<AssessmentStore.Position>>generate(
                () -> Optional.empty(),
                (after, sink) -> {
                  List<AssessmentStore.DeviceRow> page =
                      store.devices(stored, filter, after, CSV_PAGE);
                  if (page.isEmpty()) {
                    sink.complete();
                    return after;
                  }
                  sink.next(csvRows(page));
                  if (page.size() < CSV_PAGE) {
                    sink.complete();
                  }
                  AssessmentStore.DeviceRow last = page.get(page.size() - 1);
                  return Optional.of(new AssessmentStore.Position(last.listKey(), last.deviceId()));
                })
            .subscribeOn(Schedulers.boundedElastic());
    return Flux.concat(Flux.just(header), rows);
  }

  private byte[] csvRows(List<AssessmentStore.DeviceRow> rows) {
    StringBuilder out = new StringBuilder();
    Map<String, List<AssessmentWire.DeviceFinding>> parsed = new IdentityHashMap<>();
    for (AssessmentStore.DeviceRow row : rows) {
      List<AssessmentWire.DeviceFinding> findings = findings(row, parsed);
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
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String csvField(String raw) {
    String value = SpreadsheetCells.neutralised(raw);
    boolean quote =
        value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r");
    return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
  }

  /** One stored result per fleet group of the snapshot: the engine's verdict for its profile. */
  private List<AssessmentStore.StoredGroup> groups(Assessment assessment, FleetSnapshot fleet) {
    List<AssessmentStore.StoredGroup> groups = new ArrayList<>();
    for (GroupResult result : assessment.groups()) {
      var profile = result.group().profile();
      String findings = write(AssessmentMapping.findings(result.findings()));
      List<String> rules = result.findings().stream().map(f -> f.rule().name()).distinct().toList();
      for (FleetSnapshot.FleetGroupShare share : fleet.fleetGroupsOf(profile)) {
        groups.add(
            new AssessmentStore.StoredGroup(
                result.profileHash(),
                result.verdict().name(),
                VERDICT_NAMES.indexOf(result.verdict().name()),
                nonBlank(profile.model()),
                result.family(),
                nonBlank(profile.build()),
                profile.site(),
                findings,
                rules,
                share.fleetGroupId(),
                share.devices()));
      }
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
        stored.changeRef().orElse(null),
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

  /** The ITSM change request's reference: 1 to 100 characters, as ServiceNow and Jira keys are. */
  private static Optional<String> changeRef(String value) {
    if (value == null) {
      return Optional.empty();
    }
    if (value.isBlank() || value.length() > 100 || !value.strip().equals(value)) {
      throw invalid("$.changeRef", "must be 1 to 100 characters without surrounding spaces");
    }
    return Optional.of(value);
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
        .encodeToString((last.listKey() + ":" + last.deviceId()).getBytes(StandardCharsets.UTF_8));
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
