package dev.fleettrust.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

@MicronautTest
class HealthAndAuthenticationTest extends IntegrationTest {
  @Inject
  @Client("/")
  HttpClient client;

  @Inject Tokens tokens;

  @Test
  @SuppressWarnings("unchecked")
  void healthIsPublicAndReportsDatabaseAndKafkaUp() {
    Map<String, Object> health =
        client.toBlocking().retrieve(HttpRequest.GET("/health"), Map.class);

    assertThat(health).containsEntry("status", "UP");
    Map<String, Object> components = (Map<String, Object>) health.get("components");
    assertThat(components).containsKeys("database", "kafka");
    assertThat((Map<String, Object>) components.get("database")).containsEntry("status", "UP");
    assertThat((Map<String, Object>) components.get("kafka")).containsEntry("status", "UP");
  }

  @Test
  void metricsRefuseARequestWithoutToken() {
    assertThatThrownBy(
            () -> client.toBlocking().exchange(HttpRequest.GET("/management/prometheus")))
        .isInstanceOfSatisfying(
            HttpClientResponseException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(401));
  }

  @Test
  void metricsAcceptAnAdminToken() {
    var response =
        client
            .toBlocking()
            .exchange(
                HttpRequest.GET("/management/prometheus")
                    .header("Authorization", tokens.bearer("admin")),
                String.class);
    assertThat(response.getStatus().getCode()).isEqualTo(200);
    assertThat(response.body()).contains("jvm_memory_used_bytes");
  }

  @Test
  void refusesATokenSignedWithAnotherSecret() {
    String forged =
        "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5Iiwicm9sZXMiOlsiYWRtaW4iXX0."
            + "c2lnbmF0dXJlLW5vdC1tYWRlLXdpdGgtdGhlLXNlY3JldA";
    assertThatThrownBy(
            () ->
                client
                    .toBlocking()
                    .exchange(
                        HttpRequest.GET("/management/prometheus").header("Authorization", forged)))
        .isInstanceOfSatisfying(
            HttpClientResponseException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(401));
  }

  @Test
  void servesTheSpecAndASelfHostedSwaggerUiWithoutToken() {
    String page = client.toBlocking().retrieve(HttpRequest.GET("/swagger-ui/index.html"));
    assertThat(page)
        .contains("/swagger-ui/init.js")
        .contains("/swagger-ui-assets/swagger-ui-bundle.js");
    String init = client.toBlocking().retrieve(HttpRequest.GET("/swagger-ui/init.js"));
    assertThat(init).contains("/api-spec/openapi.yaml");
    String bundle =
        client.toBlocking().retrieve(HttpRequest.GET("/swagger-ui-assets/swagger-ui-bundle.js"));
    assertThat(bundle).contains("SwaggerUIBundle");
    String spec = client.toBlocking().retrieve(HttpRequest.GET("/api-spec/openapi.yaml"));
    assertThat(spec).startsWith("openapi: 3.1");
  }
}
