package dev.fleettrust.itsm;

import static dev.fleettrust.itsm.ItsmTesting.nightly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleettrust.itsm.WebhookReceiver.Step;
import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay against a real HTTP receiver on loopback and the real Kafka broker: what arrives, how
 * often, in which order, and signed how.
 */
@MicronautTest(transactional = false)
class ItsmDeliveryTest extends IntegrationTest {
  private final WebhookReceiver receiver =
      new WebhookReceiver(ItsmTransports.RECEIVER_TIME_OUT_MILLIS);
  private final WebhookReceiver serviceNow =
      new WebhookReceiver(ItsmTransports.RECEIVER_TIME_OUT_MILLIS);
  private final String topic = ItsmTransports.topic();

  @Inject TransactionOperations<Connection> transactions;
  @Inject ViolationFeed feed;
  @Inject JsonMapper json;
  @Inject Tokens tokens;

  @Inject
  @Client("/")
  HttpClient client;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties =
        new java.util.HashMap<>(ItsmTransports.properties(topic, receiver, true));
    properties.put("fleettrust.itsm.webhooks.servicenow.url", serviceNow.url());
    properties.put("fleettrust.itsm.webhooks.servicenow.secret", serviceNow.secret);
    properties.put(
        "fleettrust.itsm.webhooks.servicenow.template",
        "classpath:itsm/templates/servicenow-import-set.json.ftl");
    properties.put("fleettrust.itsm.webhooks.servicenow.values.assignmentGroup", "UC Operations");
    properties.put("fleettrust.itsm.webhooks.servicenow.values.cmdb-ci", "Desk phone fleet");
    return properties;
  }

  @BeforeEach
  void clean() {
    ItsmTesting.clear(transactions);
    receiver.reset();
    serviceNow.reset();
  }

  @AfterAll
  void stopReceivers() {
    receiver.close();
    serviceNow.close();
  }

  private void publish(ViolationReport report) {
    ItsmTesting.publish(transactions, feed, report);
  }

  /** Message IDs per dedup key, in the order the outbox holds them. */
  private Map<String, List<String>> outboxByKey() {
    Map<String, List<String>> byKey = new LinkedHashMap<>();
    for (ItsmTesting.Stored stored : ItsmTesting.outbox(transactions)) {
      byKey.computeIfAbsent(stored.dedupKey(), k -> new ArrayList<>()).add(stored.messageId());
    }
    return byKey;
  }

  private Map<String, List<String>> takenByKey() {
    Map<String, List<String>> byKey = new LinkedHashMap<>();
    for (WebhookReceiver.Request request : receiver.taken()) {
      JsonNode event = read(request.text());
      byKey
          .computeIfAbsent(event.get("partitionkey").getStringValue(), k -> new ArrayList<>())
          .add(request.id());
    }
    return byKey;
  }

  private JsonNode read(String text) {
    try {
      return json.readValue(text, JsonNode.class);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private void awaitAllSent() {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                ItsmTesting.count(
                        transactions, "SELECT count(*) FROM itsm_delivery WHERE status <> 'SENT'")
                    == 0);
  }

  @Test
  void oneMessagePerTransitionAndNoneRepeatedAcrossTwoRunsOfTheSameReport() {
    publish(nightly("r1", 1500, 12, 0));
    publish(nightly("r1-again", 1500, 12, 0));
    publish(nightly("r2", 1490, 0, 0));

    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.taken().size() == 4);
    awaitAllSent();
    List<ItsmTesting.Stored> stored = ItsmTesting.outbox(transactions);
    assertThat(stored)
        .extracting(ItsmTesting.Stored::type)
        .containsExactly(
            "fleettrust.violation.opened",
            "fleettrust.violation.opened",
            "fleettrust.violation.updated",
            "fleettrust.violation.resolved");
    assertThat(takenByKey()).isEqualTo(outboxByKey());
    assertThat(receiver.requests()).hasSize(4);

    Set<String> ids =
        stored.stream().map(ItsmTesting.Stored::messageId).collect(Collectors.toSet());
    List<ConsumerRecord<String, String>> records =
        ItsmTransports.read(topic, 4, Duration.ofSeconds(20)).stream()
            .filter(r -> ids.contains(read(r.value()).get("id").getStringValue()))
            .toList();
    assertThat(records).hasSize(4);
    for (ConsumerRecord<String, String> record : records) {
      JsonNode event = read(record.value());
      assertThat(record.key()).isEqualTo(event.get("partitionkey").getStringValue());
      assertThat(
              new String(
                  record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
          .isEqualTo("application/cloudevents+json");
    }
    Map<String, List<String>> kafkaByKey = new LinkedHashMap<>();
    records.forEach(
        r ->
            kafkaByKey
                .computeIfAbsent(r.key(), k -> new ArrayList<>())
                .add(read(r.value()).get("id").getStringValue()));
    assertThat(kafkaByKey).isEqualTo(outboxByKey());
  }

  @Test
  void aReceiverThatIsDownFailsTimesOutOrHangsUpGetsEverythingInOrderOncePerIdempotencyKey()
      throws InterruptedException {
    receiver.down();
    publish(nightly("r1", 1500, 12, 30));
    publish(nightly("r2", 1400, 10, 30));
    publish(nightly("r3", 1300, 10, 0));
    Thread.sleep(1000);
    assertThat(receiver.requests()).isEmpty();
    assertThat(
            ItsmTesting.count(
                transactions,
                "SELECT count(*) FROM itsm_delivery WHERE target = 'webhook:receiver'"
                    + " AND status = 'PENDING' AND attempts > 0"))
        .as("deliveries tried while the receiver was down")
        .isPositive();

    receiver.plan(
        Step.FAIL_500,
        Step.TAKE_THEN_TIME_OUT,
        Step.TAKE_THEN_CLOSE_MID_BODY,
        Step.FAIL_500,
        Step.TAKE_THEN_TIME_OUT,
        Step.TAKE_THEN_CLOSE_MID_BODY);
    receiver.up();

    awaitAllSent();
    Map<String, List<String>> expected = outboxByKey();
    assertThat(expected.values().stream().mapToInt(List::size).sum()).isEqualTo(7);
    assertThat(takenByKey()).isEqualTo(expected);
    List<WebhookReceiver.Request> requests = receiver.requests();
    assertThat(requests.size()).as("repeats after timeouts and hang-ups").isGreaterThan(7);
    Map<String, String> firstBody = new LinkedHashMap<>();
    for (WebhookReceiver.Request request : requests) {
      firstBody.putIfAbsent(request.id(), request.text());
      assertThat(request.text())
          .as("a repeat is the same message")
          .isEqualTo(firstBody.get(request.id()));
      assertThat(receiver.verifies(request, request.body())).isTrue();
    }
  }

  @Test
  void signaturesVerifyByTheStandardWebhooksAlgorithmAndATamperedBodyFails() {
    publish(nightly("r1", 1500, 0, 0));

    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.taken().size() == 1);
    WebhookReceiver.Request request = receiver.taken().get(0);
    ItsmTesting.Stored stored = ItsmTesting.outbox(transactions).get(0);
    assertThat(request.id()).isEqualTo(stored.messageId());
    assertThat(request.text()).isEqualTo(stored.event());
    assertThat(request.contentType()).isEqualTo("application/cloudevents+json");
    assertThat(request.signature()).startsWith("v1,");
    assertThat(receiver.verifies(request, request.body())).isTrue();

    byte[] tampered =
        request
            .text()
            .replace("\"devices\":1500", "\"devices\":15")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(tampered).isNotEqualTo(request.body());
    assertThat(receiver.verifies(request, tampered)).isFalse();
    WebhookReceiver.Request otherId =
        new WebhookReceiver.Request(
            "another-id",
            request.timestamp(),
            request.signature(),
            request.contentType(),
            request.body());
    assertThat(receiver.verifies(otherId, request.body())).isFalse();
  }

  @Test
  void aDeadLetterIsListedHoldsBackItsKeyAndAReplayDeliversBothInOrder() {
    receiver.plan(Step.REFUSE_400);
    publish(nightly("r1", 3, 0, 0));
    String opened = ItsmTesting.outbox(transactions).get(0).messageId();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get("/api/v1/itsm/deliveries?status=DEAD").get("items").size() > 0);
    publish(nightly("r2", 4, 0, 0));

    JsonNode dead = get("/api/v1/itsm/deliveries?status=DEAD").get("items");
    assertThat(dead.size()).isEqualTo(1);
    assertThat(dead.get(0).get("id").getStringValue()).isEqualTo(opened);
    Map<String, JsonNode> byTransport = new LinkedHashMap<>();
    dead.get(0)
        .get("transports")
        .values()
        .forEach(t -> byTransport.put(t.get("transport").getStringValue(), t));
    assertThat(byTransport.get("webhook:receiver").get("status").getStringValue())
        .isEqualTo("DEAD");
    assertThat(byTransport.get("webhook:receiver").get("lastError").getStringValue())
        .isEqualTo("the receiver answered 400");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                ItsmTesting.count(
                        transactions,
                        "SELECT count(*) FROM itsm_delivery WHERE target = 'kafka' AND status = 'SENT'")
                    == 2);
    assertThat(receiver.taken()).as("the update waits behind the dead opening").isEmpty();

    HttpResponse<String> replayed =
        client
            .toBlocking()
            .exchange(
                HttpRequest.POST("/api/v1/itsm/deliveries/" + opened + "/replay", "")
                    .header("Authorization", tokens.bearer("admin")),
                String.class);
    assertThat(replayed.code()).isEqualTo(202);

    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.taken().size() == 2);
    assertThat(takenByKey()).isEqualTo(outboxByKey());
  }

  @Test
  void replayingAnUnknownMessageIs404() {
    HttpClientResponseException unknown =
        ItsmTesting.refused(
            client,
            HttpRequest.POST(
                    "/api/v1/itsm/deliveries/00000000-0000-0000-0000-000000000001/replay", "")
                .header("Authorization", tokens.bearer("admin")));
    assertThat(unknown.code()).isEqualTo(404);
  }

  @Test
  void anAssessmentPostedWithAChangeRefAppearsInTheDeliveriesAndIsSentWithinSeconds() {
    String created =
        client
            .toBlocking()
            .retrieve(
                HttpRequest.POST(
                        "/api/v1/impact-assessments",
                        Map.of("changeRef", "CHG0040404", "changes", List.of()))
                    .header("Authorization", tokens.bearer("planner")));
    String id = read(created).get("id").getStringValue();

    JsonNode items = get("/api/v1/itsm/deliveries?subject=" + id).get("items");
    assertThat(items.size()).isEqualTo(1);
    assertThat(items.get(0).get("type").getStringValue()).isEqualTo("fleettrust.impact.assessed");
    assertThat(items.get(0).get("changeRef").getStringValue()).isEqualTo("CHG0040404");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              JsonNode transports =
                  get("/api/v1/itsm/deliveries?subject=" + id)
                      .get("items")
                      .get(0)
                      .get("transports");
              List<String> statuses = new ArrayList<>();
              transports.values().forEach(t -> statuses.add(t.get("status").getStringValue()));
              return statuses.equals(List.of("SENT", "SENT", "SENT"));
            });
    assertThat(receiver.taken())
        .singleElement()
        .extracting(WebhookReceiver.Request::text)
        .asString()
        .contains("\"changeRef\":\"CHG0040404\"");
  }

  @Test
  void aServiceNowWebhookGetsTheImportSetRowItsTemplateRendersSignedAndCorrelatedByDedupKey() {
    publish(nightly("r1", 1500, 0, 0));

    await().atMost(Duration.ofSeconds(20)).until(() -> serviceNow.taken().size() == 1);
    WebhookReceiver.Request request = serviceNow.taken().get(0);
    assertThat(request.contentType()).isEqualTo("application/json");
    assertThat(serviceNow.verifies(request, request.body())).isTrue();
    JsonNode row = read(request.text());
    String key = ViolationFeed.dedupKey("ANCHOR_EXPIRED", "CX600", "4.0.7577.107");
    assertThat(row.get("correlation_id").getStringValue()).isEqualTo(key);
    assertThat(row.get("assignment_group").getStringValue()).isEqualTo("UC Operations");
    assertThat(row.get("cmdb_ci").getStringValue()).isEqualTo("Desk phone fleet");
    assertThat(row.get("impact").getStringValue()).isEqualTo("2");
    assertThat(row.get("urgency").getStringValue()).isEqualTo("2");
    assertThat(row.get("short_description").getStringValue())
        .isEqualTo(
            "ANCHOR_EXPIRED on CX600 4.0.7577.107: 1500 CX600 on 4.0.7577.107: ANCHOR_EXPIRED");
    assertThat(row.get("description").getStringValue()).contains("1500 devices");
    assertThat(request.id()).isEqualTo(ItsmTesting.outbox(transactions).get(0).messageId());
  }

  @Test
  void theOpenViolationsAreListedInPages() {
    publish(nightly("r1", 1500, 12, 30));

    JsonNode first = get("/api/v1/itsm/violations?limit=2");
    assertThat(first.get("items").size()).isEqualTo(2);
    JsonNode second =
        get("/api/v1/itsm/violations?limit=2&cursor=" + first.get("nextCursor").getStringValue());
    assertThat(second.get("items").size()).isEqualTo(1);
    assertThat(second.get("nextCursor")).isNull();
    Set<String> rules = new java.util.HashSet<>();
    first.get("items").values().forEach(v -> rules.add(v.get("rule").getStringValue()));
    second.get("items").values().forEach(v -> rules.add(v.get("rule").getStringValue()));
    assertThat(rules)
        .containsExactlyInAnyOrder("ANCHOR_EXPIRED", "UNTRUSTED_ROOT", "WILDCARD_UNSUPPORTED");

    HttpClientResponseException bad =
        ItsmTesting.refused(
            client,
            HttpRequest.GET("/api/v1/itsm/violations?cursor=%21%21")
                .header("Authorization", tokens.bearer("viewer")));
    assertThat(bad.code()).isEqualTo(400);
  }

  private JsonNode get(String path) {
    return read(
        client
            .toBlocking()
            .retrieve(HttpRequest.GET(path).header("Authorization", tokens.bearer("viewer"))));
  }
}
