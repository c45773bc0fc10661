package dev.fleettrust.api;

import static dev.fleettrust.ingest.IngestTesting.event;
import static dev.fleettrust.ingest.IngestTesting.number;
import static dev.fleettrust.ingest.IngestTesting.registeredData;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.ingest.IngestTesting;
import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/events}: roles, per-event results, and problem+json for bad requests. */
@MicronautTest(transactional = false)
class EventsApiTest extends IntegrationTest {
  @Inject
  @Client("/")
  HttpClient client;

  @Inject Tokens tokens;
  @Inject JsonMapper json;

  private final String prefix = IngestTesting.uniqueMacPrefix();

  @Override
  public Map<String, String> getProperties() {
    return IngestTesting.ownTopic(super.getProperties(), IngestTesting.uniqueTopic("events-api"));
  }

  private HttpRequest<String> post(String body, String role) {
    var request = HttpRequest.POST("/api/v1/events", body).contentType(MediaType.APPLICATION_JSON);
    return role == null ? request : request.header("Authorization", tokens.bearer(role));
  }

  @Test
  void refusesARequestWithoutATokenAsUnauthorizedProblem() {
    HttpClientResponseException refused = refusal(post("[]", null));

    assertThat(refused.getStatus().getCode()).isEqualTo(401);
    assertThat(refused.getResponse().getContentType())
        .contains(MediaType.of("application/problem+json"));
    Map<String, Object> problem = body(refused);
    assertThat(problem)
        .containsEntry("type", "https://fleettrust.dev/problems/unauthorized")
        .containsEntry("status", 401);
  }

  @Test
  void refusesAViewerWithAForbiddenProblemNamingTheAdminRole() {
    HttpClientResponseException refused = refusal(post("[]", "viewer"));

    assertThat(refused.getStatus().getCode()).isEqualTo(403);
    assertThat(body(refused))
        .containsEntry("type", "https://fleettrust.dev/problems/forbidden")
        .containsEntry("requiredRole", "admin");
  }

  @Test
  void acceptsAnAdminsBatchWithOneResultPerEventAndRecordsTheRejections() {
    String mac = prefix + ":00:01";
    String first = UUID.randomUUID().toString();
    String badPem = UUID.randomUUID().toString();
    Instant t = Instant.parse("2026-11-21T09:00:00Z");
    String batch =
        "["
            + event(
                first,
                "device.registered",
                mac,
                t,
                registeredData("CX600", "4.0.7577.4420", "HQ", "SUCCESS"))
            + ","
            + event(
                badPem,
                "device.provisioned",
                mac,
                t,
                "{\"method\":\"PIN_AUTH\",\"site\":\"HQ\",\"certificates\":[\"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\"]}")
            + ","
            + event(
                first,
                "device.registered",
                mac,
                t,
                registeredData("CX600", "4.0.7577.4420", "HQ", "SUCCESS"))
            + ",42]";

    HttpResponse<String> response =
        client.toBlocking().exchange(post(batch, "admin"), String.class);

    assertThat(response.getStatus().getCode()).isEqualTo(200);
    Map<String, Object> result = parse(response.body());
    assertThat(result).containsEntry("accepted", 2).containsEntry("rejected", 2);
    List<Map<String, Object>> results = list(result.get("results"));
    assertThat(results.get(0))
        .containsEntry("index", 0)
        .containsEntry("id", first)
        .containsEntry("status", "ACCEPTED")
        .containsEntry("duplicate", false)
        .doesNotContainKey("reason");
    assertThat(results.get(1))
        .containsEntry("id", badPem)
        .containsEntry("status", "REJECTED")
        .containsEntry("reason", "UNPARSEABLE_PEM")
        .containsEntry("field", "$.data.certificates[0]")
        .containsKey("rejectionId")
        .doesNotContainKey("duplicate");
    assertThat(results.get(2)).containsEntry("status", "ACCEPTED").containsEntry("duplicate", true);
    assertThat(results.get(3))
        .containsEntry("status", "REJECTED")
        .containsEntry("reason", "SCHEMA_VIOLATION")
        .containsEntry("id", null);
    assertThat(number("SELECT count(*) FROM device_event WHERE device_id = ?", mac)).isEqualTo(1);
    assertThat(
            number(
                "SELECT count(*) FROM rejected_event WHERE id = ?::uuid AND channel = 'HTTP'"
                    + " AND reason = 'UNPARSEABLE_PEM' AND event_id = ?",
                results.get(1).get("rejectionId"),
                badPem))
        .isEqualTo(1);

    // The same batch again: the event is a duplicate, the bad ones are refused again.
    Map<String, Object> again =
        parse(client.toBlocking().exchange(post(batch, "admin"), String.class).body());
    assertThat(maps(again.get("results")).get(0)).containsEntry("duplicate", true);
    assertThat(number("SELECT count(*) FROM device_event WHERE device_id = ?", mac)).isEqualTo(1);
  }

  @Test
  void acceptsTheCloudEventsBatchMediaType() {
    String mac = prefix + ":00:02";
    String body =
        "["
            + event(
                UUID.randomUUID().toString(),
                "device.retired",
                mac,
                Instant.parse("2026-11-21T10:00:00Z"),
                null)
            + "]";

    HttpResponse<String> response =
        client
            .toBlocking()
            .exchange(
                HttpRequest.POST("/api/v1/events", body)
                    .contentType("application/cloudevents-batch+json")
                    .header("Authorization", tokens.bearer("admin")),
                String.class);

    assertThat(parse(response.body())).containsEntry("accepted", 1);
    assertThat(IngestTesting.text("SELECT active::text FROM device WHERE device_id = ?", mac))
        .isEqualTo("false");
  }

  @Test
  void refusesABodyThatIsNotAnArrayOfEventsAsValidationProblem() {
    for (String body : List.of("{\"specversion\":\"1.0\"}", "not json", "[]")) {
      HttpClientResponseException refused = refusal(post(body, "admin"));

      assertThat(refused.getStatus().getCode()).as(body).isEqualTo(400);
      Map<String, Object> problem = body(refused);
      assertThat(problem).containsEntry("type", "https://fleettrust.dev/problems/validation");
      assertThat(list(problem.get("errors"))).isNotEmpty();
      assertThat(maps(problem.get("errors")).get(0)).containsEntry("location", "body");
    }
  }

  @Test
  void refusesAnotherContentTypeAsUnsupportedMediaTypeProblem() {
    HttpClientResponseException refused =
        refusal(
            HttpRequest.POST("/api/v1/events", "{}")
                .contentType("application/cloudevents+json")
                .header("Authorization", tokens.bearer("admin")));

    assertThat(refused.getStatus().getCode()).isEqualTo(415);
    Map<String, Object> problem = body(refused);
    assertThat(problem)
        .containsEntry("type", "https://fleettrust.dev/problems/unsupported-media-type");
    assertThat(list(problem.get("supported")))
        .containsExactlyInAnyOrder("application/json", "application/cloudevents-batch+json");
  }

  @Test
  void refusesABodyOverTenMebibytesAsPayloadTooLargeProblem() {
    StringBuilder huge = new StringBuilder(11 * 1024 * 1024).append("[\"");
    huge.append("x".repeat(10 * 1024 * 1024 + 16)).append("\"]");

    HttpClientResponseException refused = refusal(post(huge.toString(), "admin"));

    assertThat(refused.getStatus().getCode()).isEqualTo(413);
    assertThat(body(refused))
        .containsEntry("type", "https://fleettrust.dev/problems/payload-too-large")
        .containsEntry("limitBytes", 10485760);
  }

  private HttpClientResponseException refusal(HttpRequest<?> request) {
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> client.toBlocking().exchange(request, String.class));
    assertThat(thrown).isInstanceOf(HttpClientResponseException.class);
    return (HttpClientResponseException) thrown;
  }

  private Map<String, Object> body(HttpClientResponseException refused) {
    return parse(refused.getResponse().getBody(String.class).orElseThrow());
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

  @SuppressWarnings("unchecked")
  private static <T> List<T> list(Object value) {
    return (List<T>) value;
  }
}
