package dev.fleettrust.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import dev.fleettrust.api.security.Role;
import dev.fleettrust.ingest.EventBatchIngest;
import dev.fleettrust.ingest.IngestPipeline;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/v1/events}: a JSON array of 1 to 10,000 structured-mode CloudEvents, the same
 * events as on the Kafka topic, with the same semantics (api-spec/openapi.yaml, {@code
 * ingestEvents}). Each event is accepted or rejected on its own; the answer is {@code 200} with one
 * result per event unless the body is not such an array.
 */
@Controller("/api/v1/events")
@Secured(Role.ADMIN_NAME)
final class EventsController {
  static final String BATCH_MEDIA_TYPE = "application/cloudevents-batch+json";
  static final int MAX_EVENTS = 10_000;
  static final List<String> SUPPORTED = List.of(MediaType.APPLICATION_JSON, BATCH_MEDIA_TYPE);

  private final EventBatchIngest ingest;
  private final JsonMapper json;

  EventsController(EventBatchIngest ingest, JsonMapper json) {
    this.ingest = ingest;
    this.json = json;
  }

  /**
   * Consumes any type and checks it here: a route that does not match the content type is no route
   * at all for Micronaut, and Micronaut Security would answer 403 instead of 415.
   */
  @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  EventBatchResult ingest(HttpRequest<?> request, @Body byte[] body) {
    RequestGuardFilter.checkBody(body, BodyLimitFilter.DOCUMENT_LIMIT, false);
    String contentType = request.getContentType().map(MediaType::getName).orElse("none");
    if (!SUPPORTED.contains(contentType)) {
      throw new ProblemException(
          Problem.unsupportedMediaType(
              SUPPORTED,
              "Content-Type: "
                  + contentType
                  + " is not accepted; send a JSON array of structured-mode events as "
                  + String.join(" or ", SUPPORTED)
                  + "."));
    }
    List<JsonNode> events = events(body);
    List<IngestPipeline.Outcome> outcomes = ingest.ingest(events);
    List<EventResult> results = new ArrayList<>(outcomes.size());
    int accepted = 0;
    for (int i = 0; i < outcomes.size(); i++) {
      IngestPipeline.Outcome outcome = outcomes.get(i);
      if (outcome instanceof IngestPipeline.Outcome.Accepted ok) {
        accepted++;
        results.add(
            new EventResult(i, ok.eventId(), "ACCEPTED", ok.duplicate(), null, null, null, null));
      } else {
        IngestPipeline.Outcome.Rejected refused = (IngestPipeline.Outcome.Rejected) outcome;
        results.add(
            new EventResult(
                i,
                refused.eventId().orElse(null),
                "REJECTED",
                null,
                refused.reason().name(),
                refused.message(),
                refused.field().orElse(null),
                refused.rejectionId().toString()));
      }
    }
    return new EventBatchResult(accepted, outcomes.size() - accepted, results);
  }

  private List<JsonNode> events(byte[] body) {
    JsonNode batch;
    try {
      batch = json.readValue(body, Argument.of(JsonNode.class));
    } catch (IOException | RuntimeException e) {
      throw new ProblemException(
          Problem.validation(Problem.ValidationError.body(null, "The body is not JSON.")));
    }
    if (batch == null || !batch.isArray()) {
      throw new ProblemException(
          Problem.validation(
              Problem.ValidationError.body(
                  "$", "The body must be a JSON array of structured-mode CloudEvents.")));
    }
    if (batch.size() == 0 || batch.size() > MAX_EVENTS) {
      throw new ProblemException(
          Problem.validation(
              Problem.ValidationError.body(
                  "$",
                  "A batch holds 1 to " + MAX_EVENTS + " events; this one holds " + batch.size())));
    }
    List<JsonNode> events = new ArrayList<>(batch.size());
    batch.values().forEach(events::add);
    return events;
  }

  /** The answer: counts, then one result per request item in request order. */
  @Serdeable
  record EventBatchResult(int accepted, int rejected, List<EventResult> results) {}

  /**
   * One item's result: {@code ACCEPTED} with {@code duplicate}, or {@code REJECTED} with reason,
   * message, the offending field's JSONPath when there is one, and the rejection record's id.
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record EventResult(
      int index,
      @JsonInclude(JsonInclude.Include.ALWAYS) String id,
      String status,
      Boolean duplicate,
      String reason,
      String message,
      String field,
      String rejectionId) {}
}
