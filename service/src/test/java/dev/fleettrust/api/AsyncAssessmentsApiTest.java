package dev.fleettrust.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleettrust.assessment.AssessmentJobs;
import dev.fleettrust.assessment.AssessmentStore;
import dev.fleettrust.impact.Progress;
import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Assessments in the background (issue 12): {@code 202} and polling, progress, cancellation, and
 * the list of past assessments.
 */
// A generous read timeout: the machine these run on is shared and often loaded.
@Property(name = "micronaut.http.client.read-timeout", value = "60s")
// Not one transaction per test: the service's other threads must see what the test stores.
@MicronautTest(transactional = false)
class AsyncAssessmentsApiTest extends IntegrationTest {
  @Inject
  @Client("/")
  HttpClient client;

  @Inject Tokens tokens;
  @Inject AssessmentStore store;
  @Inject AssessmentJobs jobs;

  @BeforeAll
  void someDevices() {
    List<Map<String, Object>> events = new ArrayList<>();
    Instant at = Instant.parse("2026-04-01T08:00:00Z");
    for (int i = 0; i < 6; i++) {
      events.add(
          TestEvents.registered(
              String.format("02:00:bb:00:00:%02x", i),
              i % 2 == 0 ? "CX700" : "VVX-400",
              "1.0." + (i % 3),
              "async.example.test",
              at));
    }
    client
        .toBlocking()
        .retrieve(
            HttpRequest.POST("/api/v1/events", events)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header("Authorization", tokens.bearer("admin")),
            Map.class);
  }

  @Test
  @SuppressWarnings("unchecked")
  void preferRespondAsyncAnswers202ThenPollingEndsCompletedWithTheSameResultAsSynchronously() {
    HttpResponse<Map> accepted =
        client
            .toBlocking()
            .exchange(
                HttpRequest.POST(
                        "/api/v1/impact-assessments",
                        Map.of("description", "in the background", "changes", List.of()))
                    .header("Prefer", "wait=5, respond-async")
                    .header("Authorization", tokens.bearer("planner")),
                Map.class);

    assertThat(accepted.code()).isEqualTo(202);
    Map<String, Object> pending = accepted.body();
    assertThat(pending.get("status")).isIn("PENDING", "RUNNING");
    assertThat(accepted.getHeaders().get("Location"))
        .isEqualTo("/api/v1/impact-assessments/" + pending.get("id"));
    assertThat(accepted.getHeaders().get("Retry-After")).isEqualTo("1");
    assertThat(accepted.getHeaders().get("Preference-Applied")).isEqualTo("respond-async");
    Map<String, Object> progress = (Map<String, Object>) pending.get("progress");
    assertThat((Integer) progress.get("profilesTotal")).isPositive();

    String location = accepted.getHeaders().get("Location");
    Map<String, Object> done =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> get(location), a -> a.get("status").equals("COMPLETED"));
    Map<String, Object> synchronous =
        client
            .toBlocking()
            .retrieve(
                HttpRequest.POST(
                        "/api/v1/impact-assessments",
                        Map.of("description", "synchronously", "changes", List.of()))
                    .header("Authorization", tokens.bearer("planner")),
                Map.class);

    Map<String, Object> summary = (Map<String, Object>) done.get("summary");
    assertThat(summary.get("verdicts"))
        .isEqualTo(((Map<String, Object>) synchronous.get("summary")).get("verdicts"));
    assertThat(done.get("inventorySnapshotAt")).isEqualTo(pending.get("inventorySnapshotAt"));
    Map<String, Object> devices =
        client
            .toBlocking()
            .retrieve(
                HttpRequest.GET(location + "/devices?limit=500")
                    .header("Authorization", tokens.bearer("viewer")),
                Map.class);
    assertThat((List<?>) devices.get("items")).hasSize((Integer) summary.get("devices"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void pastAssessmentsAreListedNewestFirstWithWhoWhenWhatAndVerdictCounts() {
    List<String> ids = new ArrayList<>();
    for (String description : List.of("first", "second", "third")) {
      Map<String, Object> created =
          client
              .toBlocking()
              .retrieve(
                  HttpRequest.POST(
                          "/api/v1/impact-assessments",
                          Map.of("description", description, "changes", List.of()))
                      .header("Authorization", tokens.bearer("planner")),
                  Map.class);
      ids.add(0, (String) created.get("id"));
    }

    List<Map<String, Object>> listed = new ArrayList<>();
    String cursor = null;
    do {
      Map<String, Object> page =
          client
              .toBlocking()
              .retrieve(
                  HttpRequest.GET(
                          "/api/v1/impact-assessments?limit=2"
                              + (cursor == null ? "" : "&cursor=" + cursor))
                      .header("Authorization", tokens.bearer("viewer")),
                  Map.class);
      List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
      assertThat(items.size()).isLessThanOrEqualTo(2);
      listed.addAll(items);
      cursor = (String) page.get("nextCursor");
    } while (cursor != null);

    assertThat(listed.stream().map(a -> (String) a.get("id")).filter(ids::contains))
        .containsExactlyElementsOf(ids);
    for (int i = 1; i < listed.size(); i++) {
      assertThat(Instant.parse((String) listed.get(i - 1).get("createdAt")))
          .isAfterOrEqualTo(Instant.parse((String) listed.get(i).get("createdAt")));
    }
    Map<String, Object> third =
        listed.stream().filter(a -> a.get("id").equals(ids.get(0))).findFirst().orElseThrow();
    assertThat(third)
        .containsEntry("description", "third")
        .containsEntry("createdBy", "test-planner")
        .containsEntry("status", "COMPLETED")
        .containsKeys("completedAt", "evaluateAt", "verdicts", "devices");
    assertThat(
            ((Map<String, Integer>) third.get("verdicts")).values().stream().mapToInt(v -> v).sum())
        .isEqualTo(third.get("devices"));
    HttpClientResponseException refused =
        refused(
            HttpRequest.GET("/api/v1/impact-assessments?cursor=bm90LWEtY3Vyc29y")
                .header("Authorization", tokens.bearer("viewer")));
    assertThat(refused.code()).isEqualTo(400);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aRunningAssessmentShowsProgressAndCanBeCancelledAFinishedOneCannot() throws Exception {
    UUID id = UUID.randomUUID();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    store.begin(
        new AssessmentStore.StoredAssessment(
            id,
            "PENDING",
            Optional.of("long running"),
            now,
            now,
            "test-planner",
            "[]",
            "test",
            0,
            now,
            null,
            null,
            Optional.of("1:1:"),
            Optional.of(new AssessmentStore.JobProgress(0, 1_000_000)),
            Optional.empty(),
            Optional.empty(),
            Optional.empty()));
    CountDownLatch stopped = new CountDownLatch(1);
    jobs.start(
        id,
        1_000_000,
        new AssessmentJobs.Work() {
          @Override
          public void run(Progress progress) throws Exception {
            try {
              for (int i = 0; i < 6_000; i++) {
                progress.checkCancelled();
                progress.evaluated(1);
                Thread.sleep(10);
              }
            } finally {
              stopped.countDown();
            }
          }

          @Override
          public String failure(Exception failure) {
            return "{}";
          }
        });
    String location = "/api/v1/impact-assessments/" + id;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> get(location),
            a ->
                a.get("status").equals("RUNNING")
                    && (Integer) ((Map<String, Object>) a.get("progress")).get("profilesEvaluated")
                        > 0);

    Map<String, Object> cancelled =
        client
            .toBlocking()
            .retrieve(
                HttpRequest.POST(location + "/cancel", "")
                    .header("Authorization", tokens.bearer("planner")),
                Map.class);

    assertThat(cancelled)
        .containsEntry("status", "CANCELLED")
        .containsEntry("cancelledBy", "test-planner")
        .containsKey("completedAt");
    assertThat(stopped.await(10, TimeUnit.SECONDS)).as("the work stops").isTrue();
    assertThat(get(location)).containsEntry("status", "CANCELLED");
    assertThat(
            refused(
                    HttpRequest.POST(location + "/cancel", "")
                        .header("Authorization", tokens.bearer("planner")))
                .code())
        .isEqualTo(409);
    assertThat(
            refused(
                    HttpRequest.GET(location + "/devices")
                        .header("Authorization", tokens.bearer("viewer")))
                .code())
        .isEqualTo(409);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> get(String location) {
    return client
        .toBlocking()
        .retrieve(
            HttpRequest.GET(location).header("Authorization", tokens.bearer("viewer")), Map.class);
  }

  private HttpClientResponseException refused(io.micronaut.http.MutableHttpRequest<?> request) {
    try {
      client.toBlocking().exchange(request, String.class);
    } catch (HttpClientResponseException e) {
      return e;
    }
    throw new AssertionError("the request was accepted");
  }
}
