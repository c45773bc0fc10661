package dev.fleettrust.itsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Retry waits and webhook settings, without a service. */
class RelaySettingsTest {
  private static final RelaySettings SETTINGS =
      new RelaySettings(
          true,
          Duration.ofSeconds(1),
          100,
          12,
          Duration.ofSeconds(5),
          Duration.ofMinutes(10),
          Duration.ofSeconds(10));

  @Test
  void theWaitDoublesPerFailureWithJitterInItsUpperHalfAndStopsAtTheCap() {
    for (int i = 0; i < 200; i++) {
      assertThat(OutboxRelay.backoff(SETTINGS, 1))
          .isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
      assertThat(OutboxRelay.backoff(SETTINGS, 3))
          .isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
      assertThat(OutboxRelay.backoff(SETTINGS, 60))
          .isBetween(Duration.ofMinutes(5), Duration.ofMinutes(10));
    }
  }

  private static WebhookSettings webhook(String url, String secret) {
    return new WebhookSettings(
        "sn", true, URI.create(url), secret, null, "application/json", Map.of());
  }

  @Test
  void aWebhookIsHttpsOrLoopbackHttpWithAWhsecSecret() {
    assertThat(webhook("https://sn.example.com/api/now/import/u_fleettrust", "whsec_AAAA").target())
        .isEqualTo("webhook:sn");
    assertThat(webhook("http://127.0.0.1:9999/hook", "whsec_AAAA").key()).hasSize(3);
    assertThatThrownBy(() -> webhook("http://sn.example.com/hook", "whsec_AAAA"))
        .hasMessageContaining("must be https");
    assertThatThrownBy(() -> webhook("https://sn.example.com/hook", "AAAA"))
        .hasMessageContaining("whsec_");
  }

  @Test
  void valueNamesAreReadWithoutCaseDashesOrUnderscores() {
    WebhookSettings settings =
        new WebhookSettings(
            "sn",
            true,
            URI.create("https://sn.example.com/hook"),
            "whsec_AAAA",
            null,
            "application/json",
            Map.of("assignment-group", "UC", "CMDB_CI", "Phones", "projectKey", "UCOPS"));
    assertThat(settings.values())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("assignmentgroup", "UC", "cmdbci", "Phones", "projectkey", "UCOPS"));
  }
}
