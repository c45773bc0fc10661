package dev.fleettrust.api;

import static dev.fleettrust.ingest.IngestTesting.event;
import static dev.fleettrust.ingest.IngestTesting.number;
import static dev.fleettrust.ingest.IngestTesting.registeredData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleettrust.ingest.IngestTesting;
import dev.fleettrust.testing.ApiSpec;
import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Hostile input is a {@code 4xx} problem, never a {@code 500} (issue 11). The cases come from
 * {@code api-spec/openapi.yaml}: every string of every documented example body gets a NUL and, in a
 * second request, a soup of metacharacters; every query and path parameter gets {@code %00}; every
 * JSON body is sent nested too deep. The cases the issue lists by name (dates beyond year 9999,
 * chunked bodies over the limit, a batch with a NUL id, database text) have their own tests.
 */
@MicronautTest(transactional = false)
class HostileInputApiTest extends IntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** PostgreSQL refuses NUL in text and JSON; the rest must be stored or refused as data. */
  private static final String NUL = "\u0000";

  private static final String SOUP =
      "'\";-- DROP TABLE device; /* */ <script>alert(1)</script> ${jndi:ldap://x/a} %00 %s %n"
          + " \\u0000 \u202e \ud800 \udfff \u0001\u001b\u007f \uffff \uFEFF \r\n\t ` | & $(id)";

  @Inject
  @Client("/")
  HttpClient client;

  @Inject Tokens tokens;
  @Inject EmbeddedServer server;

  private final String unique = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
  private final String model = "HOSTILE-" + unique;
  private final String family = "HOSTILE-FAMILY-" + unique;
  private final String macPrefix = IngestTesting.uniqueMacPrefix();
  private final ApiSpec spec = ApiSpec.load();

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties =
        IngestTesting.ownTopic(super.getProperties(), IngestTesting.uniqueTopic("hostile"));
    // The first catalog write warms the catalog up; on a loaded machine that outlasts 10 s.
    properties.put("micronaut.http.client.read-timeout", "60s");
    return properties;
  }

  record Reply(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (Exception e) {
        throw new AssertionError("Not JSON: " + body, e);
      }
    }
  }

  @BeforeAll
  void createTheFamilyTheBuildExamplesLiveIn() {
    for (ApiSpec.Operation operation : spec.operations()) {
      if (operation.method().equals("PUT") && operation.path().endsWith("/families/{family}")) {
        for (ApiSpec.Example example : spec.examples(operation)) {
          send("PUT", path(operation.path()), example.value().toString(), "admin");
        }
      }
    }
  }

  @AfterAll
  void putTheDocumentedEnvironmentBack() {
    for (ApiSpec.Operation operation : spec.operations()) {
      if (operation.method().equals("PUT") && operation.path().equals("/api/v1/environment")) {
        for (ApiSpec.Example example : spec.examples(operation)) {
          send("PUT", operation.path(), example.value().toString(), "admin");
        }
      }
    }
  }

  // ------------------------------------------------------------ derived from the spec

  @TestFactory
  Stream<DynamicTest> aNulInAnyStringOfAnyDocumentedBodyIsA400OrARejectedEvent() {
    return bodyCases(NUL)
        .map(
            mutated ->
                DynamicTest.dynamicTest(
                    mutated.name(),
                    () -> {
                      Reply reply = send(mutated.method(), mutated.path(), mutated.body(), "admin");
                      if (mutated.isEventBatch()) {
                        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
                        JsonNode result = reply.json().path("results").get(mutated.eventIndex());
                        assertThat(result.path("status").asText()).isEqualTo("REJECTED");
                        assertThat(result.path("reason").asText()).isEqualTo("SCHEMA_VIOLATION");
                      } else {
                        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
                        assertThat(reply.json().path("type").asText())
                            .isEqualTo("https://fleettrust.dev/problems/validation");
                      }
                    }));
  }

  @TestFactory
  Stream<DynamicTest> metacharactersInAnyStringOfAnyDocumentedBodyAreNeverA500() {
    return bodyCases(SOUP)
        .map(
            mutated ->
                DynamicTest.dynamicTest(
                    mutated.name(),
                    () -> {
                      Reply reply = send(mutated.method(), mutated.path(), mutated.body(), "admin");
                      assertThat(reply.status()).as(reply.body()).isLessThan(500);
                      if (mutated.isEventBatch()) {
                        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
                      }
                    }));
  }

  @TestFactory
  Stream<DynamicTest> aNulInAnyQueryOrPathParameterIsA400() {
    List<DynamicTest> tests = new ArrayList<>();
    for (ApiSpec.Operation operation : spec.operations()) {
      if (!operation.path().startsWith("/api/")) {
        continue;
      }
      String body = operation.mediaTypes().isEmpty() ? null : firstBody(operation);
      for (ApiSpec.Parameter parameter : operation.in("query")) {
        String uri = path(operation.path()) + "?" + parameter.name() + "=a%00b";
        tests.add(
            DynamicTest.dynamicTest(
                operation.name() + " ?" + parameter.name() + "=a%00b",
                () -> {
                  Reply reply = send(operation.method(), uri, body, "admin");
                  assertThat(reply.status()).as(reply.body()).isEqualTo(400);
                  assertThat(reply.json().path("errors").get(0).path("field").asText())
                      .isEqualTo(parameter.name());
                }));
      }
      for (ApiSpec.Parameter parameter : operation.in("path")) {
        String uri = path(operation.path().replace("{" + parameter.name() + "}", "a%00b"));
        tests.add(
            DynamicTest.dynamicTest(
                operation.name() + " with {" + parameter.name() + "} = a%00b",
                () -> {
                  Reply reply = send(operation.method(), uri, body, "admin");
                  assertThat(reply.status()).as(reply.body()).isEqualTo(400);
                }));
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> jsonNestedDeeperThanAnyDocumentNeedsIsA400() {
    String arrays = "[".repeat(100) + "]".repeat(100);
    String objects = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
    List<DynamicTest> tests = new ArrayList<>();
    for (ApiSpec.Operation operation : spec.operations()) {
      if (!operation.mediaTypes().contains(MediaType.APPLICATION_JSON)) {
        continue;
      }
      for (String body : List.of(arrays, objects)) {
        tests.add(
            DynamicTest.dynamicTest(
                operation.name() + " " + body.substring(0, 6) + "…",
                () -> {
                  Reply reply = send(operation.method(), path(operation.path()), body, "admin");
                  assertThat(reply.status()).as(reply.body()).isEqualTo(400);
                }));
      }
    }
    return tests.stream();
  }

  // ------------------------------------------------------------ the cases the issue names

  @Test
  void aDateBeyondYear9999IsA400WhereverADateIsTaken() {
    String far = "+999999999-12-31T23:59:59Z";
    String assessment = "{\"evaluateAt\":\"" + far + "\",\"changes\":[]}";
    assertThat(send("POST", "/api/v1/impact-assessments", assessment, "planner").status())
        .isEqualTo(400);
    String compare =
        "{\"evaluateAt\":\""
            + far
            + "\",\"candidates\":[{\"name\":\"a\",\"changes\":[]},{\"name\":\"b\",\"changes\":[]}]}";
    assertThat(send("POST", "/api/v1/impact-assessments/compare", compare, "planner").status())
        .isEqualTo(400);
    String lint = "{\"pem\":\"x\",\"evaluateAt\":\"" + far + "\"}";
    assertThat(send("POST", "/api/v1/certificates/lint", lint, "planner").status()).isEqualTo(400);
    assertThat(
            send(
                    "POST",
                    "/api/v1/certificates/lint?evaluateAt=%2B999999999-12-31T23:59:59Z",
                    lint,
                    "planner")
                .status())
        .isEqualTo(400);
    assertThat(
            send("GET", "/api/v1/rejected-events?since=-999999999-01-01T00:00:00Z", null, "viewer")
                .status())
        .isEqualTo(400);
    Reply early =
        send(
            "POST",
            "/api/v1/impact-assessments",
            "{\"evaluateAt\":\"-999999999-01-01T00:00:00Z\",\"changes\":[]}",
            "planner");
    assertThat(early.status()).isEqualTo(400);
    assertThat(early.json().path("errors").get(0).path("field").asText()).isEqualTo("$.evaluateAt");
  }

  @Test
  void aChunkedBodyOverTheLimitIsA413WithoutAContentLength() throws Exception {
    byte[] big =
        ("{\"description\":\"" + "x".repeat(1_200_000) + "\",\"changes\":[]}")
            .getBytes(StandardCharsets.UTF_8);
    for (String operation :
        List.of(
            "/api/v1/impact-assessments",
            "/api/v1/impact-assessments/compare",
            "/api/v1/certificates/lint")) {
      java.net.http.HttpResponse<String> response = chunked(operation, big);
      assertThat(response.statusCode()).as(operation + ": " + response.body()).isEqualTo(413);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
      assertThat(JSON.readTree(response.body()).path("limitBytes").asLong()).isEqualTo(1_048_576);
    }
  }

  @Test
  void aBatchWithAGoodEventAndANulIdAnswersPerEventAndARetryAddsNoRejection() {
    String goodId = UUID.randomUUID().toString();
    String badId = "nul" + NUL + UUID.randomUUID();
    Instant t = Instant.parse("2026-11-21T09:00:00Z");
    String batch =
        "["
            + event(
                goodId,
                "device.registered",
                macPrefix + ":00:01",
                t,
                registeredData("CX600", "4.0.7577.4420", "HQ", "SUCCESS"))
            + ","
            + event(
                badId.replace(NUL, "\\u0000"),
                "device.registered",
                macPrefix + ":00:02",
                t,
                registeredData("CX600", "4.0.7577.4420", "HQ", "SUCCESS"))
            + "]";

    Reply first = send("POST", "/api/v1/events", batch, "admin");
    Reply retry = send("POST", "/api/v1/events", batch, "admin");

    for (Reply reply : List.of(first, retry)) {
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      JsonNode results = reply.json().path("results");
      assertThat(results.get(0).path("status").asText()).isEqualTo("ACCEPTED");
      assertThat(results.get(1).path("status").asText()).isEqualTo("REJECTED");
      assertThat(results.get(1).path("reason").asText()).isEqualTo("SCHEMA_VIOLATION");
      assertThat(results.get(1).path("field").asText()).isEqualTo("$.id");
    }
    assertThat(retry.json().path("results").get(0).path("duplicate").asBoolean()).isTrue();
    String rejectionId = first.json().path("results").get(1).path("rejectionId").asText();
    assertThat(retry.json().path("results").get(1).path("rejectionId").asText())
        .isEqualTo(rejectionId);
    assertThat(number("SELECT count(*) FROM device_event WHERE event_id = ?", goodId)).isEqualTo(1);
    assertThat(
            number(
                "SELECT count(*) FROM rejected_event WHERE event_id = ?",
                badId.replace(NUL, "\uFFFD")))
        .isEqualTo(1);
  }

  @Test
  void aRejectionShowsNoDatabaseTextToAViewer() {
    Reply list =
        send("GET", "/api/v1/rejected-events?reason=STORAGE_REJECTED&limit=1000", null, "viewer");
    assertThat(list.status()).isEqualTo(200);
    for (JsonNode item : list.json().path("items")) {
      assertThat(item.path("message").asText())
          .doesNotContain("SQLSTATE", "ERROR:", "relation", "column", "violates");
    }
    assertThat(
            dev.fleettrust.ingest.IngestTesting.text(
                "SELECT coalesce(string_agg(message, '|'), '') FROM rejected_event"
                    + " WHERE reason = 'STORAGE_REJECTED'"))
        .doesNotContain("SQLSTATE");
  }

  // ------------------------------------------------------------ plumbing

  /** One request: an example body with one string changed. */
  record Mutated(
      String method, String path, String body, String name, boolean isEventBatch, int eventIndex) {}

  private Stream<Mutated> bodyCases(String appended) {
    List<Mutated> cases = new ArrayList<>();
    for (ApiSpec.Operation operation : spec.operations()) {
      if (!operation.path().startsWith("/api/")) {
        continue;
      }
      boolean events = operation.path().equals("/api/v1/events");
      for (ApiSpec.Example example : spec.examples(operation)) {
        if (!example.mediaType().equals(MediaType.APPLICATION_JSON)) {
          continue;
        }
        JsonNode original = events ? freshEvents(example.value()) : example.value();
        for (String pointer : stringPointers(original, "")) {
          JsonNode copy = original.deepCopy();
          replace(copy, pointer, copy.at(pointer).asText() + appended);
          int index = events ? Integer.parseInt(pointer.split("/")[1]) : -1;
          if (events) {
            // Each event a new id, or the id's own check would mask the field under test.
            ((ObjectNode) copy.get(index)).put("id", UUID.randomUUID().toString());
            if (pointer.equals("/" + index + "/id")) {
              ((ObjectNode) copy.get(index)).put("id", UUID.randomUUID() + appended);
            }
          }
          cases.add(
              new Mutated(
                  operation.method(),
                  path(operation.path()),
                  copy.toString(),
                  operation.name() + " " + example.name() + " " + pointer,
                  events,
                  index));
        }
      }
    }
    return cases.stream();
  }

  /** The documented batch with its own ids and devices, so it lands beside other tests' data. */
  private JsonNode freshEvents(JsonNode batch) {
    ArrayNode copy = (ArrayNode) batch.deepCopy();
    for (int i = 0; i < copy.size(); i++) {
      ObjectNode event = (ObjectNode) copy.get(i);
      event.put("id", UUID.randomUUID().toString());
      event.put("subject", macPrefix + ":01:" + String.format("%02x", i));
    }
    return copy;
  }

  private static List<String> stringPointers(JsonNode node, String at) {
    List<String> pointers = new ArrayList<>();
    if (node.isTextual()) {
      pointers.add(at);
    } else if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        pointers.addAll(stringPointers(field.getValue(), at + "/" + field.getKey()));
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        pointers.addAll(stringPointers(node.get(i), at + "/" + i));
      }
    }
    return pointers;
  }

  private static void replace(JsonNode root, String pointer, String value) {
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = root.at(pointer.substring(0, slash));
    String last = pointer.substring(slash + 1);
    if (parent.isArray()) {
      ((ArrayNode) parent).set(Integer.parseInt(last), TextNode.valueOf(value));
    } else {
      ((ObjectNode) parent).set(last, TextNode.valueOf(value));
    }
  }

  private String firstBody(ApiSpec.Operation operation) {
    return spec.examples(operation).stream()
        .filter(e -> e.mediaType().equals(MediaType.APPLICATION_JSON))
        .map(e -> e.value().toString())
        .findFirst()
        .orElse("{}");
  }

  /** A path with its parameters filled in: throwaway catalog names, documented examples else. */
  private String path(String template) {
    return template
        .replace("{model}", model)
        .replace("{family}", family)
        .replace("{build}", "4.0.7577.4420")
        .replace("{date}", "2026-12-06")
        .replace("{deviceId}", macPrefix + ":00:01")
        .replace("{id}", "00000000-0000-0000-0000-000000000000");
  }

  private Reply send(String method, String uri, String body, String role) {
    MutableHttpRequest<Object> request = HttpRequest.create(HttpMethod.parse(method), uri);
    if (body != null && !method.equals("GET")) {
      request.body(body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
    request.header("Authorization", tokens.bearer(role));
    try {
      var response = client.toBlocking().exchange(request, String.class);
      return new Reply(response.code(), response.getBody().orElse(""));
    } catch (HttpClientResponseException e) {
      return new Reply(e.code(), e.getResponse().getBody(String.class).orElse(""));
    }
  }

  private java.net.http.HttpResponse<String> chunked(String path, byte[] body) throws Exception {
    java.net.http.HttpClient http =
        java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    java.net.http.HttpRequest request =
        java.net.http.HttpRequest.newBuilder(
                URI.create("http://localhost:" + server.getPort() + path))
            .header("Authorization", tokens.bearer("planner"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            // An InputStream publisher has no known length: the client sends chunks.
            .POST(
                java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(body)))
            .build();
    return http.send(request, BodyHandlers.ofString());
  }
}
