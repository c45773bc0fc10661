package dev.fleettrust.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import dev.fleettrust.api.problem.ProblemType;
import dev.fleettrust.api.problem.QueryParameters;
import dev.fleettrust.api.security.Role;
import dev.fleettrust.assessment.AssessmentStore;
import dev.fleettrust.backtest.BacktestDevice;
import dev.fleettrust.backtest.BacktestDeviceFilter;
import dev.fleettrust.backtest.BacktestService;
import dev.fleettrust.backtest.Deployment;
import dev.fleettrust.backtest.DeploymentStore;
import dev.fleettrust.backtest.Observed;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Deployments and backtests of assessments (api-spec/openapi.yaml, tag {@code backtest}):
 * recordDeployment, listDeployments, getBacktest, listBacktestDevices.
 */
@Controller("/api/v1/impact-assessments/{id}")
final class BacktestController {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> DEPLOYMENT_FIELDS = Set.of("deployedAt", "changeRef", "pools");
  private static final Pattern HOST =
      Pattern.compile(
          "^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");
  private static final Pattern DEVICE_CURSOR = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

  private final AssessmentStore assessments;
  private final DeploymentStore deployments;
  private final BacktestService backtests;

  BacktestController(
      AssessmentStore assessments, DeploymentStore deployments, BacktestService backtests) {
    this.assessments = assessments;
    this.deployments = deployments;
    this.backtests = backtests;
  }

  @Post(
      uri = "/deployments",
      consumes = MediaType.APPLICATION_JSON,
      produces = MediaType.APPLICATION_JSON)
  @Secured(Role.PLANNER_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  HttpResponse<BacktestWire.DeploymentView> record(
      @PathVariable String id, @Body @Nullable byte[] body, Authentication authentication) {
    RequestGuardFilter.checkBody(body, BodyLimitFilter.CERTIFICATE_PAYLOAD_LIMIT, true);
    JsonNode tree = readObject(body);
    List<Problem.ValidationError> errors = new ArrayList<>();
    for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!DEPLOYMENT_FIELDS.contains(name)) {
        errors.add(Problem.ValidationError.body("$." + name, "is not a field of a deployment"));
      }
    }
    Instant deployedAt = null;
    JsonNode at = tree.get("deployedAt");
    if (at == null || !at.isTextual()) {
      errors.add(
          Problem.ValidationError.body("$.deployedAt", "is required, an RFC 3339 date-time"));
    } else {
      try {
        deployedAt = OffsetDateTime.parse(at.asText()).toInstant();
      } catch (DateTimeParseException e) {
        errors.add(
            Problem.ValidationError.body(
                "$.deployedAt", "must be an RFC 3339 date-time such as 2026-10-02T06:00:00Z"));
      }
    }
    Optional<String> changeRef = Optional.empty();
    JsonNode ref = tree.get("changeRef");
    if (ref != null && !ref.isNull()) {
      if (!ref.isTextual() || ref.asText().isEmpty() || ref.asText().length() > 128) {
        errors.add(Problem.ValidationError.body("$.changeRef", "must be 1 to 128 characters"));
      } else {
        changeRef = Optional.of(ref.asText());
      }
    }
    Set<String> pools = new LinkedHashSet<>();
    JsonNode list = tree.get("pools");
    if (list != null && !list.isNull()) {
      if (!list.isArray() || list.size() > 1000) {
        errors.add(Problem.ValidationError.body("$.pools", "must be a list of up to 1000 FQDNs"));
      } else {
        for (int i = 0; i < list.size(); i++) {
          JsonNode pool = list.get(i);
          if (!pool.isTextual() || !HOST.matcher(pool.asText()).matches()) {
            errors.add(Problem.ValidationError.body("$.pools[" + i + "]", "must be a host name"));
          } else if (!pools.add(pool.asText().toLowerCase(Locale.ROOT))) {
            errors.add(Problem.ValidationError.body("$.pools[" + i + "]", "is listed twice"));
          }
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.validation(errors));
    }
    AssessmentStore.StoredAssessment assessment = assessment(id);
    Deployment recorded =
        deployments.record(
            assessment.id(), deployedAt, changeRef, List.copyOf(pools), authentication.getName());
    return HttpResponse.created(BacktestWire.DeploymentView.of(recorded))
        .headers(
            h ->
                h.location(
                    URI.create("/api/v1/impact-assessments/" + assessment.id() + "/deployments")));
  }

  @Get(uri = "/deployments", produces = MediaType.APPLICATION_JSON)
  @Secured(Role.VIEWER_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  BacktestWire.Page<BacktestWire.DeploymentView> list(
      @PathVariable String id,
      @QueryValue @Nullable String limit,
      @QueryValue @Nullable String cursor) {
    List<Problem.ValidationError> errors = new ArrayList<>();
    int pageSize = QueryParameters.limit(limit, errors);
    Optional<DeploymentStore.Position> after =
        Keyset.decode(cursor, errors).map(k -> new DeploymentStore.Position(k.at(), k.id()));
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.validation(errors));
    }
    AssessmentStore.StoredAssessment assessment = assessment(id);
    List<Deployment> rows = deployments.list(assessment.id(), after, pageSize + 1);
    boolean more = rows.size() > pageSize;
    List<Deployment> page = more ? rows.subList(0, pageSize) : rows;
    Deployment last = page.isEmpty() ? null : page.get(page.size() - 1);
    String next = more ? new Keyset(last.deployedAt(), last.id()).encode() : null;
    return new BacktestWire.Page<>(
        page.stream().map(BacktestWire.DeploymentView::of).toList(), next);
  }

  @Get(uri = "/backtest", produces = MediaType.APPLICATION_JSON)
  @Secured(Role.VIEWER_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  BacktestWire.BacktestView backtest(
      @PathVariable String id,
      @QueryValue @Nullable String deploymentId,
      @QueryValue @Nullable String windowHours) {
    List<Problem.ValidationError> errors = new ArrayList<>();
    Optional<UUID> deployment = uuid("deploymentId", deploymentId, errors);
    int window = windowHours(windowHours, errors);
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.validation(errors));
    }
    Deployment target = target(assessment(id), deployment);
    return BacktestWire.BacktestView.of(backtests.backtest(target, window, Instant.now()));
  }

  @Get(uri = "/backtest/devices", produces = MediaType.APPLICATION_JSON)
  @Secured(Role.VIEWER_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  BacktestWire.Page<BacktestWire.DeviceView> devices(
      @PathVariable String id,
      @QueryValue @Nullable String deploymentId,
      @QueryValue @Nullable String windowHours,
      @QueryValue @Nullable List<String> verdict,
      @QueryValue @Nullable List<String> observed,
      @QueryValue @Nullable String model,
      @QueryValue @Nullable String build,
      @QueryValue @Nullable String rule,
      @QueryValue @Nullable String limit,
      @QueryValue @Nullable String cursor) {
    List<Problem.ValidationError> errors = new ArrayList<>();
    Optional<UUID> deployment = uuid("deploymentId", deploymentId, errors);
    int window = windowHours(windowHours, errors);
    List<String> verdicts = verdict == null ? List.of() : verdict;
    for (String v : verdicts) {
      if (!dev.fleettrust.backtest.Backtest.VERDICTS.contains(v)) {
        errors.add(
            Problem.ValidationError.query(
                "verdict", "must be one of " + dev.fleettrust.backtest.Backtest.VERDICTS));
      }
    }
    List<Observed> outcomes = new ArrayList<>();
    for (String o : observed == null ? List.<String>of() : observed) {
      try {
        outcomes.add(Observed.valueOf(o));
      } catch (IllegalArgumentException e) {
        errors.add(
            Problem.ValidationError.query(
                "observed", "must be one of " + List.of(Observed.values())));
      }
    }
    Optional<String> byModel = QueryParameters.text("model", model, 64, errors);
    Optional<String> byBuild = QueryParameters.text("build", build, 64, errors);
    Optional<String> byRule = QueryParameters.text("rule", rule, 64, errors);
    int pageSize = QueryParameters.limit(limit, errors);
    Optional<String> after = Optional.empty();
    if (cursor != null) {
      String decoded = decode(cursor);
      if (DEVICE_CURSOR.matcher(decoded).matches()) {
        after = Optional.of(decoded);
      } else {
        errors.add(Problem.ValidationError.query("cursor", "is not a cursor this list handed out"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.validation(errors));
    }
    Deployment target = target(assessment(id), deployment);
    List<BacktestDevice> rows =
        backtests.devices(
            target,
            window,
            Instant.now(),
            new BacktestDeviceFilter(verdicts, outcomes, byModel, byBuild, byRule),
            after,
            pageSize + 1);
    boolean more = rows.size() > pageSize;
    List<BacktestDevice> page = more ? rows.subList(0, pageSize) : rows;
    String next = more ? encode(page.get(page.size() - 1).deviceId()) : null;
    return new BacktestWire.Page<>(page.stream().map(BacktestWire.DeviceView::of).toList(), next);
  }

  private Deployment target(AssessmentStore.StoredAssessment assessment, Optional<UUID> id) {
    BacktestService.Target target = backtests.target(assessment.id(), id);
    if (target instanceof BacktestService.Target.NoDeployment none) {
      throw new ProblemException(Problem.of(ProblemType.CONFLICT, none.detail()));
    }
    return ((BacktestService.Target.Found) target).deployment();
  }

  private AssessmentStore.StoredAssessment assessment(String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw notFound(id);
    }
    return assessments.find(uuid).orElseThrow(() -> notFound(id));
  }

  private static ProblemException notFound(String id) {
    return new ProblemException(
        Problem.of(ProblemType.NOT_FOUND, "There is no assessment " + id + "."));
  }

  private static Optional<UUID> uuid(
      String name, String value, List<Problem.ValidationError> errors) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(value));
    } catch (IllegalArgumentException e) {
      errors.add(Problem.ValidationError.query(name, "must be a UUID"));
      return Optional.empty();
    }
  }

  private static int windowHours(String value, List<Problem.ValidationError> errors) {
    if (value == null) {
      return BacktestService.DEFAULT_WINDOW_HOURS;
    }
    try {
      int hours = Integer.parseInt(value.strip());
      if (hours >= 1 && hours <= 720) {
        return hours;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(Problem.ValidationError.query("windowHours", "must be between 1 and 720"));
    return BacktestService.DEFAULT_WINDOW_HOURS;
  }

  private static JsonNode readObject(byte[] body) {
    try {
      JsonNode tree = body == null ? null : JSON.readTree(body);
      if (tree != null && tree.isObject()) {
        return tree;
      }
    } catch (IOException e) {
      // reported below
    }
    throw new ProblemException(
        Problem.validation(Problem.ValidationError.body("$", "must be a JSON object")));
  }

  /** The position in a list ordered by a time and then an ID, as its cursor spells it. */
  record Keyset(Instant at, UUID id) {
    String encode() {
      return BacktestController.encode(at + "|" + id);
    }

    static Optional<Keyset> decode(String cursor, List<Problem.ValidationError> errors) {
      if (cursor == null) {
        return Optional.empty();
      }
      String[] parts = BacktestController.decode(cursor).split("\\|");
      try {
        return Optional.of(new Keyset(Instant.parse(parts[0]), UUID.fromString(parts[1])));
      } catch (RuntimeException e) {
        errors.add(Problem.ValidationError.query("cursor", "is not a cursor this list handed out"));
        return Optional.empty();
      }
    }
  }

  static String encode(String position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(position.getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String cursor) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
