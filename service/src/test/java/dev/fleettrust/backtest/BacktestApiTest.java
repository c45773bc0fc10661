package dev.fleettrust.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The edges of deployments, backtests and proposals: what a wrong request gets back. */
@MicronautTest
class BacktestApiTest extends IntegrationTest {
  @Inject
  @Client("/")
  HttpClient client;

  @Inject Tokens tokens;

  private HttpClientResponseException refused(MutableHttpRequest<?> request, String role) {
    try {
      client
          .toBlocking()
          .exchange(request.header("Authorization", tokens.bearer(role)), String.class);
    } catch (HttpClientResponseException e) {
      return e;
    }
    throw new AssertionError("the request was accepted");
  }

  private String assessment() {
    return client
        .toBlocking()
        .retrieve(
            HttpRequest.POST("/api/v1/impact-assessments", Map.of("changes", List.of()))
                .header("Authorization", tokens.bearer("planner")),
            Map.class)
        .get("id")
        .toString();
  }

  @Test
  void aBacktestBeforeAnyDeploymentIs409NamingWhatToDo() {
    String id = assessment();
    HttpClientResponseException e =
        refused(HttpRequest.GET("/api/v1/impact-assessments/" + id + "/backtest"), "viewer");
    assertThat(e.code()).isEqualTo(409);
    assertThat(e.getResponse().getBody(String.class).orElseThrow()).contains("/deployments first");
  }

  @Test
  void aDeploymentWithoutItsTimeOrWithAnUnknownFieldIs400WithEachField() {
    String id = assessment();
    HttpClientResponseException e =
        refused(
            HttpRequest.POST(
                "/api/v1/impact-assessments/" + id + "/deployments",
                Map.of("when", "yesterday", "pools", List.of("not a host"))),
            "planner");
    assertThat(e.code()).isEqualTo(400);
    assertThat(e.getResponse().getBody(String.class).orElseThrow())
        .contains("$.deployedAt")
        .contains("$.when")
        .contains("$.pools[0]");
  }

  @Test
  void aWindowOutOfRangeIs400AndAnUnknownAssessment404() {
    assertThat(
            refused(
                    HttpRequest.GET(
                        "/api/v1/impact-assessments/" + assessment() + "/backtest?windowHours=0"),
                    "viewer")
                .code())
        .isEqualTo(400);
    assertThat(
            refused(
                    HttpRequest.GET(
                        "/api/v1/impact-assessments/00000000-0000-0000-0000-000000000001/backtest"),
                    "viewer")
                .code())
        .isEqualTo(404);
  }

  @Test
  void recordedDeploymentsAreListedEarliestFirstAndPaged() {
    String id = assessment();
    for (String at : List.of("2026-10-03T06:00:00Z", "2026-10-02T06:00:00Z")) {
      client
          .toBlocking()
          .exchange(
              HttpRequest.POST(
                      "/api/v1/impact-assessments/" + id + "/deployments",
                      Map.of("deployedAt", at, "pools", List.of("Pool01.Contoso.com")))
                  .header("Authorization", tokens.bearer("planner")),
              String.class);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> first =
        client
            .toBlocking()
            .retrieve(
                HttpRequest.GET("/api/v1/impact-assessments/" + id + "/deployments?limit=1")
                    .header("Authorization", tokens.bearer("viewer")),
                Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> item = ((List<Map<String, Object>>) first.get("items")).get(0);
    assertThat(item.get("deployedAt")).isEqualTo("2026-10-02T06:00:00Z");
    assertThat(item.get("pools")).isEqualTo(List.of("pool01.contoso.com"));
    @SuppressWarnings("unchecked")
    Map<String, Object> second =
        client
            .toBlocking()
            .retrieve(
                HttpRequest.GET(
                        "/api/v1/impact-assessments/"
                            + id
                            + "/deployments?limit=1&cursor="
                            + first.get("nextCursor"))
                    .header("Authorization", tokens.bearer("viewer")),
                Map.class);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> items = (List<Map<String, Object>>) second.get("items");
    assertThat(items)
        .singleElement()
        .extracting(m -> m.get("deployedAt"))
        .isEqualTo("2026-10-03T06:00:00Z");
    assertThat(second).doesNotContainKey("nextCursor");
  }

  @Test
  void decidingAnUnknownProposalIs404() {
    assertThat(
            refused(
                    HttpRequest.POST(
                        "/api/v1/catalog/proposals/00000000-0000-0000-0000-000000000001/accept",
                        ""),
                    "admin")
                .code())
        .isEqualTo(404);
  }
}
