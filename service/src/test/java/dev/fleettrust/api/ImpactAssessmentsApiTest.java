package dev.fleettrust.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The edges of the assessment operations: what a wrong request gets back. */
@MicronautTest
class ImpactAssessmentsApiTest extends IntegrationTest {
  @Inject
  @Client("/")
  HttpClient client;

  @Inject Tokens tokens;

  private HttpClientResponseException refused(io.micronaut.http.MutableHttpRequest<?> request) {
    try {
      client
          .toBlocking()
          .exchange(request.header("Authorization", tokens.bearer("planner")), String.class);
    } catch (HttpClientResponseException e) {
      return e;
    }
    throw new AssertionError("the request was accepted");
  }

  @Test
  void refusesABodyThatIsNotJsonWith415NamingWhatItTakes() {
    HttpClientResponseException e =
        refused(
            HttpRequest.POST("/api/v1/impact-assessments", "changes: []")
                .contentType(MediaType.TEXT_PLAIN_TYPE));
    assertThat(e.code()).isEqualTo(415);
    assertThat(e.getResponse().getBody(String.class).orElseThrow())
        .contains("unsupported-media-type")
        .contains("application/json");
  }

  @Test
  void anUnknownUsageIs422WithTheJsonPath() {
    HttpClientResponseException e =
        refused(
            HttpRequest.POST(
                "/api/v1/impact-assessments",
                Map.of(
                    "changes",
                    List.of(
                        Map.of(
                            "type", "REPLACE_CERTIFICATE",
                            "pool", "pool01.contoso.com",
                            "usage", "EDGE",
                            "chain", "x")))));
    assertThat(e.code()).isEqualTo(422);
    assertThat(e.getResponse().getBody(String.class).orElseThrow())
        .contains("\"field\":\"$.changes[0].usage\"")
        .contains("unknown-reference");
  }

  @Test
  void anUnknownAssessmentIs404() {
    HttpClientResponseException e =
        refused(HttpRequest.GET("/api/v1/impact-assessments/00000000-0000-0000-0000-000000000000"));
    assertThat(e.code()).isEqualTo(404);
  }
}
