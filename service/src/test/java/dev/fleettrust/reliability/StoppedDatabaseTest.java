package dev.fleettrust.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleettrust.embedded.SharedInfrastructure;
import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With PostgreSQL stopped, a read answers {@code 503} with {@code Retry-After} as soon as the pool
 * gives up (the configured connection timeout of 3 s), not after Hikari's default 30 s. The client
 * waits at most 20 s, so the old behaviour fails the test.
 */
@MicronautTest(transactional = false)
class StoppedDatabaseTest extends IntegrationTest {
  /** Well above the 3 s pool timeout, well below Hikari's default of 30 s. */
  private static final Duration OUTAGE_ANSWER_WITHIN = Duration.ofSeconds(20);

  @Inject EmbeddedServer server;
  @Inject Tokens tokens;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(super.getProperties());
    properties.put("fleettrust.ingest.enabled", "false");

    return properties;
  }

  @Test
  void aStoppedDatabaseIsAQuick503AndTheServiceRecoversWhenItIsBack() throws Exception {
    // Warm up (a cold JVM on a loaded machine answers its first request slowly).
    assertThat(devices(Duration.ofSeconds(120)).statusCode()).isEqualTo(200);
    SharedInfrastructure.Restartable postgres = SharedInfrastructure.endpoints().postgres();
    postgres.stop();
    try {
      HttpResponse<String> response = devices(OUTAGE_ANSWER_WITHIN);
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
      assertThat(response.headers().firstValue("Retry-After")).isPresent();
      assertThat(response.body()).contains("https://fleettrust.dev/problems/unavailable");
    } finally {
      postgres.start();
    }
    // The pool drops its dead connections as it meets them; a few requests may still get 503.
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> devices(Duration.ofSeconds(60)).statusCode() == 200);
  }

  private HttpResponse<String> devices(Duration timeout) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + server.getPort() + "/api/v1/devices?limit=1"))
            .header("Authorization", tokens.bearer("viewer"))
            .timeout(timeout)
            .GET()
            .build(),
        BodyHandlers.ofString());
  }
}
