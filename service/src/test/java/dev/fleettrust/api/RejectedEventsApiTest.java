package dev.fleettrust.api;

import static dev.fleettrust.ingest.IngestTesting.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.ingest.IngestTesting;
import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/rejected-events}: newest first, cursor-paged, filtered; and the ingestion
 * meters on {@code /prometheus}.
 */
@MicronautTest(transactional = false)
class RejectedEventsApiTest extends IntegrationTest {
  @Inject
  @Client("/")
  HttpClient client;

  @Inject Tokens tokens;
  @Inject JsonMapper json;

  private final Instant before = Instant.now().minusSeconds(1);
  private final List<String> unknownTypeIds = new ArrayList<>();

  @Override
  public Map<String, String> getProperties() {
    return IngestTesting.ownTopic(super.getProperties(), IngestTesting.uniqueTopic("rejected-api"));
  }

  @BeforeAll
  void rejectSomeEvents() {
    String mac = IngestTesting.uniqueMacPrefix() + ":00:01";
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = UUID.randomUUID().toString();
      unknownTypeIds.add(id);
      events.add(event(id, "device.rebooted", mac, Instant.parse("2026-11-21T10:00:00Z"), "{}"));
    }
    events.add(
        event(
            UUID.randomUUID().toString(),
            "device.registered",
            "lobby-phone",
            Instant.parse("2026-11-21T10:00:00Z"),
            "{}"));
    client
        .toBlocking()
        .retrieve(
            HttpRequest.POST("/api/v1/events", "[" + String.join(",", events) + "]")
                .contentType(MediaType.APPLICATION_JSON)
                .header("Authorization", tokens.bearer("admin")),
            String.class);
  }

  @Test
  void listsRejectionsNewestFirstPageByPageWithReasonAndPayload() {
    List<Map<String, Object>> seen = new ArrayList<>();
    String cursor = null;
    do {
      Map<String, Object> page =
          get(
              "/api/v1/rejected-events?reason=UNKNOWN_TYPE&channel=HTTP&since="
                  + before
                  + "&limit=1"
                  + (cursor == null ? "" : "&cursor=" + cursor));
      seen.addAll(maps(page.get("items")));
      cursor = (String) page.get("nextCursor");
    } while (cursor != null);

    assertThat(seen).extracting(item -> item.get("eventId")).containsAll(unknownTypeIds);
    List<Map<String, Object>> ours =
        seen.stream().filter(item -> unknownTypeIds.contains(item.get("eventId"))).toList();
    assertThat(ours)
        .extracting(item -> item.get("eventId"))
        .containsExactly(unknownTypeIds.get(2), unknownTypeIds.get(1), unknownTypeIds.get(0));
    assertThat(ours.get(0))
        .containsEntry("channel", "HTTP")
        .containsEntry("reason", "UNKNOWN_TYPE")
        .containsEntry("field", "$.type")
        .containsEntry("eventType", "device.rebooted")
        .containsEntry("payloadTruncated", false)
        .doesNotContainKey("kafka");
    assertThat((String) ours.get(0).get("payload")).contains("device.rebooted");
    assertThat((String) ours.get(0).get("id")).matches("[0-9a-f-]{36}");
  }

  @Test
  void keepsTheSubjectAsSentWhenItIsNotAMac() {
    Map<String, Object> page =
        get("/api/v1/rejected-events?reason=SCHEMA_VIOLATION&since=" + before + "&limit=1000");

    assertThat(maps(page.get("items")))
        .anySatisfy(
            item ->
                assertThat(item)
                    .containsEntry("subject", "lobby-phone")
                    .containsEntry("field", "$.subject"));
  }

  @Test
  void refusesABadCursorOrReasonAsValidationProblem() {
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                client
                    .toBlocking()
                    .exchange(
                        HttpRequest.GET("/api/v1/rejected-events?cursor=abc&reason=BAD")
                            .header("Authorization", tokens.bearer("viewer")),
                        String.class));

    assertThat(thrown).isInstanceOf(HttpClientResponseException.class);
    HttpClientResponseException refused = (HttpClientResponseException) thrown;
    assertThat(refused.getStatus().getCode()).isEqualTo(400);
    Map<String, Object> problem = parse(refused.getResponse().getBody(String.class).orElseThrow());
    assertThat(maps(problem.get("errors")))
        .extracting(e -> e.get("field"))
        .containsExactlyInAnyOrder("cursor", "reason");
  }

  @Test
  void exposesTheIngestionMetersForPrometheus() {
    String metrics =
        client
            .toBlocking()
            .retrieve(
                HttpRequest.GET("/management/prometheus")
                    .header("Authorization", tokens.bearer("admin")),
                String.class);

    assertThat(metrics)
        .contains(
            "fleettrust_ingest_events_rejected_total{channel=\"HTTP\",reason=\"UNKNOWN_TYPE\"")
        .contains("fleettrust_ingest_batch_seconds_count{channel=\"HTTP\"")
        .contains("fleettrust_ingest_consumer_lag{");
  }

  private Map<String, Object> get(String uri) {
    return parse(
        client
            .toBlocking()
            .retrieve(
                HttpRequest.GET(uri).header("Authorization", tokens.bearer("viewer")),
                String.class));
  }

  private Map<String, Object> parse(String text) {
    try {
      return json.readValue(text, Argument.mapOf(String.class, Object.class));
    } catch (java.io.IOException e) {
      throw new AssertionError(text, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Object value) {
    return (List<Map<String, Object>>) value;
  }
}
