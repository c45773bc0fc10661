package dev.fleettrust.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.embedded.SharedInfrastructure;
import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Device lists of stored assessments (issue 12): derived from the fleet groups as the assessment's
 * snapshot saw them, paged in list order, filtered, and streamed as CSV.
 */
// A generous read timeout: the machine these run on is shared and often loaded.
@Property(name = "micronaut.http.client.read-timeout", value = "60s")
@MicronautTest
class AssessmentDeviceListTest extends IntegrationTest {
  private static final List<String> VERDICTS =
      List.of("BREAKS", "DEGRADED", "AT_RISK", "UNKNOWN", "OK");
  private static final Instant FIRST = Instant.parse("2026-03-01T08:00:00Z");

  @Inject
  @Client("/")
  HttpClient client;

  @Inject Tokens tokens;

  /** Device ID → model and firmware build, for the devices sent. */
  private final Map<String, List<String>> sent = new LinkedHashMap<>();

  @BeforeEach
  void emptyInventory() throws Exception {
    SharedInfrastructure.Endpoints db = SharedInfrastructure.endpoints();
    try (var connection = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
      connection.createStatement().execute("TRUNCATE device CASCADE");
    }
    sent.clear();
  }

  @Test
  void pagesWalkEveryDeviceOnceInListOrderAndTheCsvIsTheSameList() {
    register(0, 7, "LPE-AIRES-530", "17.2.1", FIRST);
    register(1, 3, "CX700", "4.0.7", FIRST);
    register(2, 12, "VVX-400", "6.4.0", FIRST);
    register(3, 1, "LPE-AIRES-530", "16.0.1", FIRST);
    Map<String, Object> assessment = assess();

    List<Map<String, Object>> devices = pages(assessment, "", 4);

    assertThat(devices).hasSize(23);
    assertThat(devices.stream().map(d -> (String) d.get("deviceId")))
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(sent.keySet());
    for (int i = 1; i < devices.size(); i++) {
      Map<String, Object> a = devices.get(i - 1);
      Map<String, Object> b = devices.get(i);
      int byVerdict = Integer.compare(rank(a), rank(b));
      assertThat(byVerdict).as("worst verdict first").isLessThanOrEqualTo(0);
      if (byVerdict == 0 && a.get("model").equals(b.get("model"))) {
        assertThat(((String) a.get("build")).compareTo((String) b.get("build")))
            .isLessThanOrEqualTo(0);
        if (a.get("build").equals(b.get("build"))) {
          assertThat(((String) a.get("deviceId")).compareTo((String) b.get("deviceId")))
              .as("device ID within a group")
              .isNegative();
        }
      }
    }
    Map<String, Integer> verdicts = summaryVerdicts(assessment);
    assertThat(verdicts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(23);

    List<String> csv = csv(assessment, "");
    assertThat(csv.get(0))
        .isEqualTo("deviceId,model,family,build,site,verdict,rules,messages,remediation");
    assertThat(csv.subList(1, csv.size()).stream().map(line -> line.split(",", -1)[0]).toList())
        .containsExactlyElementsOf(devices.stream().map(d -> (String) d.get("deviceId")).toList());
  }

  @Test
  void filtersSelectFromTheSameOrderedList() {
    register(0, 5, "LPE-AIRES-530", "17.2.1", FIRST);
    register(1, 4, "CX700", "4.0.7", FIRST);
    register(2, 6, "LPE-AIRES-530", "16.0.1", FIRST);
    Map<String, Object> assessment = assess();
    List<Map<String, Object>> all = pages(assessment, "", 100);

    List<Map<String, Object>> aires = pages(assessment, "&model=LPE-AIRES-530", 2);
    assertThat(aires)
        .isEqualTo(all.stream().filter(d -> "LPE-AIRES-530".equals(d.get("model"))).toList())
        .hasSize(11);
    assertThat(pages(assessment, "&model=LPE-AIRES-530&build=16.0.1", 4))
        .isEqualTo(
            all.stream()
                .filter(d -> "LPE-AIRES-530".equals(d.get("model")))
                .filter(d -> "16.0.1".equals(d.get("build")))
                .toList())
        .hasSize(6);
    for (String verdict : VERDICTS) {
      List<Map<String, Object>> expected =
          all.stream().filter(d -> verdict.equals(d.get("verdict"))).toList();
      assertThat(pages(assessment, "&verdict=" + verdict, 3)).isEqualTo(expected);
      assertThat(
              inventoryDeviceIds(
                  "/api/v1/devices?limit=500&verdict="
                      + verdict
                      + "&assessmentId="
                      + assessment.get("id")))
          .containsExactlyElementsOf(
              new TreeSet<>(expected.stream().map(d -> (String) d.get("deviceId")).toList()));
    }
    List<String> rules =
        all.stream()
            .flatMap(d -> findings(d).stream())
            .map(f -> (String) f.get("rule"))
            .distinct()
            .toList();
    for (String rule : rules) {
      assertThat(pages(assessment, "&rule=" + rule, 3))
          .isEqualTo(
              all.stream()
                  .filter(d -> findings(d).stream().anyMatch(f -> rule.equals(f.get("rule"))))
                  .toList());
    }
    assertThat(pages(assessment, "&model=NO-SUCH-MODEL", 10)).isEmpty();
  }

  @Test
  void anAssessmentKeepsListingTheDevicesItsSnapshotSawWhileTheFleetMovesOn() {
    register(0, 6, "LPE-AIRES-530", "17.2.1", FIRST);
    register(1, 4, "CX700", "4.0.7", FIRST);
    Map<String, Object> before = assess();
    List<Map<String, Object>> listedBefore = pages(before, "", 3);
    List<String> csvBefore = csv(before, "");

    List<String> ids = new ArrayList<>(sent.keySet());
    Instant later = FIRST.plusSeconds(86_400);
    // Two devices upgrade (another fleet group), one is retired, three new ones appear.
    List<Map<String, Object>> events = new ArrayList<>();
    events.add(registered(ids.get(0), "LPE-AIRES-530", "17.3.0", later));
    events.add(registered(ids.get(1), "LPE-AIRES-530", "17.3.0", later));
    events.add(TestEvents.event("device.retired", ids.get(7), later, Map.of()));
    send(events);
    register(5, 3, "VVX-400", "6.4.0", later);

    assertThat(pages(before, "", 3)).isEqualTo(listedBefore);
    assertThat(pages(before, "&model=LPE-AIRES-530", 2))
        .extracting(d -> d.get("build"))
        .containsOnly("17.2.1");
    assertThat(csv(before, "")).isEqualTo(csvBefore);

    Map<String, Object> after = assess();
    List<Map<String, Object>> listedAfter = pages(after, "", 3);
    assertThat(listedAfter).hasSize(10 - 1 + 3);
    assertThat(listedAfter).extracting(d -> d.get("deviceId")).doesNotContain(ids.get(7));
    assertThat(listedAfter.stream().filter(d -> "17.3.0".equals(d.get("build"))))
        .extracting(d -> d.get("deviceId"))
        .containsExactly(ids.get(0), ids.get(1));
    assertThat(summaryVerdicts(after).values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(12);
  }

  @Test
  void anAssessmentStoredBeforeFleetGroupsListsTheDeviceIdsItKeptByVerdictThenDeviceId()
      throws Exception {
    UUID id = UUID.randomUUID();
    SharedInfrastructure.Endpoints db = SharedInfrastructure.endpoints();
    try (var connection = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
        var statement = connection.createStatement()) {
      statement.execute(
          "INSERT INTO impact_assessment (id, status, evaluate_at, created_at, created_by,"
              + " changes, catalog_version, environment_version, inventory_snapshot_at,"
              + " completed_at, summary) VALUES ('"
              + id
              + "', 'COMPLETED', now(), now(), 'test-planner', '[]', 'v1', 0, now(), now(),"
              + " '{}')");
      statement.execute(
          "INSERT INTO impact_assessment_group (assessment_id, group_no, profile_hash, verdict,"
              + " verdict_rank, model, build, findings, device_ids) VALUES"
              + " ('"
              + id
              + "', 0, 'p0', 'OK', 4, 'CX700', '1', '[]',"
              + " ARRAY['02:00:cc:00:00:01', '02:00:cc:00:00:04']),"
              + " ('"
              + id
              + "', 1, 'p1', 'BREAKS', 0, 'VVX-400', '2', '[]',"
              + " ARRAY['02:00:cc:00:00:03', '02:00:cc:00:00:02', '02:00:cc:00:00:05'])");
    }

    List<Map<String, Object>> listed = pages(Map.of("id", id.toString()), "", 2);

    assertThat(listed)
        .extracting(d -> d.get("deviceId") + " " + d.get("verdict"))
        .containsExactly(
            "02:00:cc:00:00:02 BREAKS",
            "02:00:cc:00:00:03 BREAKS",
            "02:00:cc:00:00:05 BREAKS",
            "02:00:cc:00:00:01 OK",
            "02:00:cc:00:00:04 OK");
    assertThat(pages(Map.of("id", id.toString()), "&model=CX700", 1))
        .extracting(d -> d.get("deviceId"))
        .containsExactly("02:00:cc:00:00:01", "02:00:cc:00:00:04");
  }

  private void register(int group, int count, String model, String build, Instant at) {
    List<Map<String, Object>> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String device = String.format("02:00:aa:%02x:%02x:%02x", group, i / 256, i % 256);
      events.add(registered(device, model, build, at));
    }
    send(events);
  }

  private Map<String, Object> registered(String device, String model, String build, Instant at) {
    sent.put(device, List.of(model, build));
    return TestEvents.registered(device, model, build, "pool.example.test", at);
  }

  private void send(List<Map<String, Object>> events) {
    @SuppressWarnings("unchecked")
    Map<String, Object> result =
        client
            .toBlocking()
            .retrieve(
                HttpRequest.POST("/api/v1/events", events)
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .header("Authorization", tokens.bearer("admin")),
                Map.class);
    assertThat(result).containsEntry("rejected", 0);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> assess() {
    return client
        .toBlocking()
        .retrieve(
            HttpRequest.POST(
                    "/api/v1/impact-assessments",
                    Map.of("description", "device lists", "changes", List.of()))
                .header("Authorization", tokens.bearer("planner")),
            Map.class);
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> pages(Map<String, Object> assessment, String query, int limit) {
    List<Map<String, Object>> devices = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Map<String, Object> page =
          client
              .toBlocking()
              .retrieve(
                  HttpRequest.GET(
                          "/api/v1/impact-assessments/"
                              + assessment.get("id")
                              + "/devices?limit="
                              + limit
                              + query
                              + (cursor == null ? "" : "&cursor=" + cursor))
                      .header("Authorization", tokens.bearer("viewer")),
                  Map.class);
      List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
      cursor = (String) page.get("nextCursor");
      assertThat(items.size()).isLessThanOrEqualTo(limit);
      if (cursor != null) {
        assertThat(items).hasSize(limit);
      }
      devices.addAll(items);
      assertThat(++pages).as("pages end").isLessThan(1_000);
    } while (cursor != null);
    return devices;
  }

  private List<String> csv(Map<String, Object> assessment, String query) {
    String body =
        client
            .toBlocking()
            .retrieve(
                HttpRequest.GET(
                        "/api/v1/impact-assessments/" + assessment.get("id") + "/devices?" + query)
                    .accept("text/csv")
                    .header("Authorization", tokens.bearer("viewer")),
                String.class);
    assertThat(body).endsWith("\r\n");
    return Arrays.asList(body.split("\r\n"));
  }

  @SuppressWarnings("unchecked")
  private List<String> inventoryDeviceIds(String uri) {
    Map<String, Object> page =
        client
            .toBlocking()
            .retrieve(
                HttpRequest.GET(uri).header("Authorization", tokens.bearer("viewer")), Map.class);
    return ((List<Map<String, Object>>) page.get("items"))
        .stream().map(d -> (String) d.get("deviceId")).toList();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> findings(Map<String, Object> device) {
    return (List<Map<String, Object>>) device.get("findings");
  }

  private static int rank(Map<String, Object> device) {
    return VERDICTS.indexOf((String) device.get("verdict"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Integer> summaryVerdicts(Map<String, Object> assessment) {
    return (Map<String, Integer>) ((Map<String, Object>) assessment.get("summary")).get("verdicts");
  }
}
