package dev.fleettrust.itsm;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An assessment stored is a {@code fleettrust.impact.assessed} message in the same transaction. */
@MicronautTest(transactional = false)
class ImpactAssessedMessageTest extends IntegrationTest {
  @Inject
  @Client("/")
  HttpClient client;

  @Inject Tokens tokens;
  @Inject TransactionOperations<Connection> transactions;
  @Inject JsonMapper json;

  @BeforeEach
  void clean() {
    ItsmTesting.clear(transactions);
  }

  @Test
  void anAssessmentWithAChangeRefIsStoredReturnedAndEnqueued() throws Exception {
    HttpResponse<String> created =
        client
            .toBlocking()
            .exchange(
                HttpRequest.POST(
                        "/api/v1/impact-assessments",
                        Map.of(
                            "description", "quarterly check",
                            "changeRef", "CHG0031337",
                            "changes", List.of()))
                    .header("Authorization", tokens.bearer("planner")),
                String.class);
    JsonNode assessment = json.readValue(created.body(), JsonNode.class);
    String id = assessment.get("id").getStringValue();
    assertThat(assessment.get("changeRef").getStringValue()).isEqualTo("CHG0031337");
    String fetched =
        client
            .toBlocking()
            .retrieve(
                HttpRequest.GET("/api/v1/impact-assessments/" + id)
                    .header("Authorization", tokens.bearer("viewer")));
    assertThat(json.readValue(fetched, JsonNode.class).get("changeRef").getStringValue())
        .isEqualTo("CHG0031337");

    List<ItsmTesting.Stored> stored = ItsmTesting.outbox(transactions);
    assertThat(stored)
        .singleElement()
        .extracting(ItsmTesting.Stored::type)
        .isEqualTo("fleettrust.impact.assessed");
    JsonNode event = json.readValue(stored.get(0).event(), JsonNode.class);
    assertThat(event.get("specversion").getStringValue()).isEqualTo("1.0");
    assertThat(event.get("subject").getStringValue()).isEqualTo(id);
    assertThat(event.get("partitionkey").getStringValue()).isEqualTo("fleettrust-assessment-" + id);
    JsonNode data = event.get("data");
    assertThat(data.get("changeRef").getStringValue()).isEqualTo("CHG0031337");
    assertThat(data.get("assessmentId").getStringValue()).isEqualTo(id);
    assertThat(data.get("riskLevel").getStringValue()).isIn("low", "moderate", "high", "critical");
    assertThat(data.get("deviceList").getStringValue())
        .startsWith("http://localhost:8080/api/v1/impact-assessments/" + id + "/devices?");
  }

  @Test
  void aBlankChangeRefIs400AndStoresNothing() {
    HttpClientResponseException refused =
        ItsmTesting.refused(
            client,
            HttpRequest.POST(
                    "/api/v1/impact-assessments", Map.of("changeRef", " ", "changes", List.of()))
                .header("Authorization", tokens.bearer("planner")));
    assertThat(refused.code()).isEqualTo(400);
    assertThat(refused.getResponse().getBody(String.class).orElseThrow()).contains("$.changeRef");
    assertThat(ItsmTesting.outbox(transactions)).isEmpty();
  }
}
