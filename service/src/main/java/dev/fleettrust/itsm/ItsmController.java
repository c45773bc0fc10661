package dev.fleettrust.itsm;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import dev.fleettrust.api.problem.ProblemType;
import dev.fleettrust.api.problem.QueryParameters;
import dev.fleettrust.api.security.Role;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ITSM feed's API (api-spec/openapi.yaml: listItsmDeliveries, replayItsmDelivery,
 * listOpenViolations).
 */
@Controller("/api/v1/itsm")
final class ItsmController {
  private static final Logger LOG = LoggerFactory.getLogger(ItsmController.class);
  private static final Pattern POSITION = Pattern.compile("[1-9][0-9]{0,18}");
  private static final Pattern DEDUP_KEY = Pattern.compile("fleettrust-[a-z]+-[0-9a-f-]{32,36}");
  private static final List<String> STATUSES = List.of("PENDING", "SENT", "DEAD");

  private final ItsmViews views;
  private final JsonMapper json;

  ItsmController(ItsmViews views, JsonMapper json) {
    this.views = views;
    this.json = json;
  }

  @Get(uri = "/deliveries", produces = MediaType.APPLICATION_JSON)
  @Secured(Role.VIEWER_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  DeliveryPage deliveries(
      @QueryValue @Nullable String status,
      @QueryValue @Nullable String subject,
      @QueryValue @Nullable String limit,
      @QueryValue @Nullable String cursor) {
    List<Problem.ValidationError> errors = new ArrayList<>();
    if (status != null && !STATUSES.contains(status)) {
      errors.add(Problem.ValidationError.query("status", "must be one of " + STATUSES));
    }
    Optional<String> subjectFilter = QueryParameters.text("subject", subject, 200, errors);
    int pageSize = QueryParameters.limit(limit, errors);
    Optional<Long> before = decode(cursor, errors).map(Long::parseLong);
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.validation(errors));
    }
    List<ItsmViews.Message> rows =
        views.messages(Optional.ofNullable(status), subjectFilter, before, pageSize + 1);
    boolean more = rows.size() > pageSize;
    List<ItsmViews.Message> page = more ? rows.subList(0, pageSize) : rows;
    return new DeliveryPage(
        page.stream().map(ItsmController::delivery).toList(),
        more ? encode(Long.toString(page.get(page.size() - 1).position())) : null);
  }

  @Post(uri = "/deliveries/{id}/replay", produces = MediaType.APPLICATION_JSON)
  @Secured(Role.ADMIN_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  HttpResponse<Delivery> replay(@PathVariable String id, Authentication authentication) {
    UUID messageId = messageId(id);
    if (!views.anyTransport()) {
      throw new ProblemException(
          Problem.of(
              ProblemType.CONFLICT,
              "No ITSM transport is configured, so there is nothing to send the message by."));
    }
    ItsmViews.Message replayed = views.replay(messageId).orElseThrow(() -> notFound(id));
    LOG.info("ITSM message {} replayed by {}", messageId, authentication.getName());
    return HttpResponse.accepted().body(delivery(replayed));
  }

  @Get(uri = "/violations", produces = MediaType.APPLICATION_JSON)
  @Secured(Role.VIEWER_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  ViolationPage violations(
      @QueryValue @Nullable String limit, @QueryValue @Nullable String cursor) {
    List<Problem.ValidationError> errors = new ArrayList<>();
    int pageSize = QueryParameters.limit(limit, errors);
    Optional<String> after = decode(cursor, errors);
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.validation(errors));
    }
    List<ItsmViews.OpenViolation> rows = views.openViolations(after, pageSize + 1);
    boolean more = rows.size() > pageSize;
    List<ItsmViews.OpenViolation> page = more ? rows.subList(0, pageSize) : rows;
    return new ViolationPage(
        page.stream().map(this::violation).toList(),
        more ? encode(page.get(page.size() - 1).dedupKey()) : null);
  }

  private static Delivery delivery(ItsmViews.Message m) {
    return new Delivery(
        m.id().toString(),
        m.type(),
        m.subject(),
        m.dedupKey(),
        m.changeRef().orElse(null),
        m.createdAt().toString(),
        m.transports().stream()
            .map(
                t ->
                    new TransportStatus(
                        t.transport(),
                        t.status(),
                        t.attempts(),
                        t.lastError().orElse(null),
                        t.nextAttemptAt().map(Instant::toString).orElse(null),
                        t.sentAt().map(Instant::toString).orElse(null),
                        t.deadAt().map(Instant::toString).orElse(null)))
            .toList());
  }

  private OpenViolation violation(ItsmViews.OpenViolation v) {
    Map<String, Integer> counts;
    try {
      counts = json.readValue(v.countsJson(), Argument.mapOf(String.class, Integer.class));
    } catch (IOException e) {
      throw new UncheckedIOException("A stored violation's counts do not read back", e);
    }
    return new OpenViolation(
        v.dedupKey(),
        v.rule(),
        v.model(),
        v.build(),
        v.devices(),
        counts,
        v.summary(),
        v.deviceList(),
        v.reportId(),
        v.openedAt().toString(),
        v.updatedAt().toString());
  }

  private static UUID messageId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw notFound(id);
    }
  }

  private static ProblemException notFound(String id) {
    return new ProblemException(
        Problem.of(ProblemType.NOT_FOUND, "There is no ITSM message " + id + "."));
  }

  private static String encode(String position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(position.getBytes(StandardCharsets.UTF_8));
  }

  /** A cursor is the last item's outbox position or dedup key, base64url. */
  private static Optional<String> decode(String cursor, List<Problem.ValidationError> errors) {
    if (cursor == null) {
      return Optional.empty();
    }
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (POSITION.matcher(decoded).matches() || DEDUP_KEY.matcher(decoded).matches()) {
        return Optional.of(decoded);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    errors.add(Problem.ValidationError.query("cursor", "is not a cursor this list handed out"));
    return Optional.empty();
  }

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record TransportStatus(
      String transport,
      String status,
      int attempts,
      @Nullable String lastError,
      @Nullable String nextAttemptAt,
      @Nullable String sentAt,
      @Nullable String deadAt) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record Delivery(
      String id,
      String type,
      String subject,
      String dedupKey,
      @Nullable String changeRef,
      String createdAt,
      List<TransportStatus> transports) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record DeliveryPage(List<Delivery> items, @Nullable String nextCursor) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record OpenViolation(
      String dedupKey,
      String rule,
      String model,
      String build,
      int devices,
      Map<String, Integer> counts,
      String summary,
      String deviceList,
      String reportId,
      String openedAt,
      String updatedAt) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ViolationPage(List<OpenViolation> items, @Nullable String nextCursor) {}
}
