package dev.fleettrust.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fleettrust.api.problem.DateTimes;
import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import dev.fleettrust.api.problem.QueryParameters;
import dev.fleettrust.api.security.Role;
import dev.fleettrust.inventory.Channel;
import dev.fleettrust.inventory.DeviceViews.Page;
import dev.fleettrust.inventory.DeviceViews.RejectedEventView;
import dev.fleettrust.inventory.DeviceViews.RejectedFilter;
import dev.fleettrust.inventory.DeviceViews.RejectedKey;
import dev.fleettrust.inventory.InventoryReader;
import dev.fleettrust.inventory.RejectionReason;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /api/v1/rejected-events}: events refused by the consumer or by {@code POST
 * /api/v1/events}, newest first, cursor-paged, filterable by reason, channel and time.
 */
@Controller("/api/v1/rejected-events")
@Secured(Role.VIEWER_NAME)
final class RejectedEventsController {
  private final InventoryReader inventory;

  RejectedEventsController(InventoryReader inventory) {
    this.inventory = inventory;
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  RejectedEventPage list(
      @QueryValue @Nullable String reason,
      @QueryValue @Nullable String channel,
      @QueryValue @Nullable String since,
      @QueryValue @Nullable String limit,
      @QueryValue @Nullable String cursor) {
    List<Problem.ValidationError> errors = new ArrayList<>();
    Optional<RejectionReason> reasonFilter =
        QueryParameters.enumValue("reason", reason, RejectionReason.class, errors);
    Optional<Channel> channelFilter =
        QueryParameters.enumValue("channel", channel, Channel.class, errors);
    Optional<Instant> sinceFilter = Optional.empty();
    if (since != null) {
      sinceFilter = DateTimes.rfc3339(since);
      if (sinceFilter.isEmpty()) {
        errors.add(Problem.ValidationError.query("since", "must be an RFC 3339 date-time"));
      }
    }
    int pageSize = QueryParameters.limit(limit, errors);
    Optional<RejectedKey> after = decodeCursor(cursor, errors);
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.validation(errors));
    }
    Page<RejectedEventView, RejectedKey> page =
        inventory.rejectedEvents(
            new RejectedFilter(reasonFilter, channelFilter, sinceFilter), pageSize, after);
    List<RejectedEvent> items = new ArrayList<>(page.items().size());
    for (RejectedEventView view : page.items()) {
      items.add(
          new RejectedEvent(
              view.id().toString(),
              view.receivedAt().toString(),
              view.channel().name(),
              view.reason(),
              view.message(),
              view.field().orElse(null),
              view.eventId().orElse(null),
              view.eventType().orElse(null),
              view.subject().orElse(null),
              view.kafka()
                  .map(k -> new KafkaPosition(k.topic(), k.partition(), k.offset()))
                  .orElse(null),
              view.payload(),
              view.payloadTruncated()));
    }
    return new RejectedEventPage(items, page.continueAfter().map(this::encodeCursor).orElse(null));
  }

  private String encodeCursor(RejectedKey key) {
    String json = "{\"before\":\"" + key.receivedAt() + "\",\"id\":\"" + key.id() + "\"}";
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<RejectedKey> decodeCursor(
      String cursor, List<Problem.ValidationError> errors) {
    if (cursor == null) {
      return Optional.empty();
    }
    try {
      String json = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      java.util.regex.Matcher matcher =
          java.util.regex.Pattern.compile(
                  "\\{\"before\":\"([^\"]+)\",\"id\":\"([0-9a-f-]{36})\"\\}")
              .matcher(json);
      if (matcher.matches()) {
        return Optional.of(
            new RejectedKey(Instant.parse(matcher.group(1)), UUID.fromString(matcher.group(2))));
      }
    } catch (IllegalArgumentException | DateTimeParseException e) {
      // reported below
    }
    errors.add(Problem.ValidationError.query("cursor", "is not a cursor this list handed out"));
    return Optional.empty();
  }

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RejectedEventPage(List<RejectedEvent> items, String nextCursor) {}

  @Serdeable
  record KafkaPosition(String topic, int partition, long offset) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record RejectedEvent(
      String id,
      String receivedAt,
      String channel,
      String reason,
      String message,
      @JsonInclude(JsonInclude.Include.NON_NULL) String field,
      String eventId,
      String eventType,
      String subject,
      @JsonInclude(JsonInclude.Include.NON_NULL) KafkaPosition kafka,
      String payload,
      boolean payloadTruncated) {}
}
