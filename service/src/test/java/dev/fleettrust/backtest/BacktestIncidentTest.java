package dev.fleettrust.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleettrust.ingest.fleet.FleetGenerator;
import dev.fleettrust.ingest.fleet.FleetGenerator.IncidentKind;
import dev.fleettrust.ingest.fleet.FleetGenerator.IncidentOutcome;
import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
import dev.fleettrust.trust.TestPki;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 end to end on the generator's synthetic incident: a fleet, a wildcard certificate on its
 * pool, the sign-ins after the go-live with the devices of one LPE build failing although the
 * catalog says that build accepts wildcards. The backtest's cells and BREAKS precision and recall
 * must equal what the incident's ground truth and the assessment's predictions give; the catalog
 * proposal must name that family, build and capability and nothing else; accepting it and assessing
 * again must predict the failures that happened.
 */
@MicronautTest
class BacktestIncidentTest extends IntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ARIES = Set.of("CX600", "CX500", "CX3000", "HP 4120", "HP 4110");
  private static final Set<String> CATALOGUED_ARIES =
      Set.of("4.0.7577.4100", "4.0.7577.4414", "4.0.7577.4420", "4.0.7577.4463");
  private static final String BUILDS = "/api/v1/catalog/families/LPE-AIRES/builds/";
  private static final String WILDCARD_REJECTED =
      "TLS handshake failed: certificate name does not match";

  @Inject
  @Client("/")
  HttpClient client;

  @Inject Tokens tokens;

  /** Loading a fleet under a shared machine's load takes longer than the client's default 10 s. */
  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(super.getProperties());
    properties.put("micronaut.http.client.read-timeout", "180s");
    return properties;
  }

  /** The builds this test edits, as they were: other tests share the catalog. */
  private final Map<String, JsonNode> restore = new LinkedHashMap<>();

  @Test
  void backtestCountsAndProposalMatchTheIncidentAndTheCorrectionPredictsTheFailures()
      throws Exception {
    String domain =
        "bt" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 20) + ".custdom.com";
    // A fleet with two common catalogued Aries builds: on one the catalog rightly says wildcards
    // fail (the predicted BREAKS), the other will be the deliberately wrong entry.
    FleetGenerator planned;
    List<String> common;
    long seed = ThreadLocalRandom.current().nextLong();
    do {
      planned = new FleetGenerator(FleetGenerator.Options.of(seed++, 2_000).withPoolDomain(domain));
      Map<String, Integer> builds = new TreeMap<>();
      for (int i = 0; i < planned.options().devices(); i++) {
        FleetGenerator.PlannedDevice d = planned.device(i);
        if (ARIES.contains(d.model()) && CATALOGUED_ARIES.contains(d.firmware())) {
          builds.merge(d.firmware(), 1, Integer::sum);
        }
      }
      common =
          builds.entrySet().stream()
              .filter(e -> e.getValue() >= 40)
              .map(Map.Entry::getKey)
              .toList();
    } while (common.size() < 2);
    FleetGenerator fleet = planned;
    String brokenBuild = common.get(1);
    JsonNode brokenBefore = build(brokenBuild);
    restore.put(brokenBuild, brokenBefore);
    Map<String, Object> withoutWildcards = body(brokenBefore);
    @SuppressWarnings("unchecked")
    Map<String, Object> capabilities =
        new LinkedHashMap<>(
            (Map<String, Object>) withoutWildcards.getOrDefault("capabilities", Map.of()));
    capabilities.put("wildcardNames", false);
    withoutWildcards.put("capabilities", capabilities);
    send(HttpRequest.PUT(BUILDS + brokenBuild, withoutWildcards), "admin");
    ingest(fleet.events().map(FleetGenerator.GeneratedEvent::json).toList());
    Set<String> pools = new TreeSet<>();
    for (int i = 0; i < fleet.options().devices(); i++) {
      pools.add(fleet.device(i).pool());
    }

    TestPki pki = new TestPki();
    TestPki.Issued root = pki.root("CN=Backtest Root CA,O=FleetTrust Test").build();
    TestPki.Issued issuing = pki.ca("CN=Backtest Issuing CA,O=FleetTrust Test", root).build();
    String pool = pools.iterator().next();
    List<String> names = new ArrayList<>(List.of("sip.custdom.com"));
    names.addAll(pools);
    TestPki.Issued exact =
        pki.leaf("CN=" + pool, issuing).sans(names.toArray(String[]::new)).build();
    TestPki.Issued wildcard = pki.leaf("CN=" + pool, issuing).sans(pool, "*.custdom.com").build();
    String chainNow = pem(exact) + pem(issuing) + pem(root);
    String wildcardChain = pem(wildcard) + pem(issuing) + pem(root);
    List<Map<String, Object>> poolDocs = new ArrayList<>();
    for (String p : pools) {
      poolDocs.add(
          Map.of(
              "fqdn", p,
              "sipFqdns", List.of("sip.custdom.com", p),
              "certificates", Map.of("DEFAULT", chainNow, "WEB_SERVICES_INTERNAL", chainNow),
              "trustedCaCerts", List.of(),
              "inferCertChainFromSsl", true));
    }
    send(
        HttpRequest.PUT(
            "/api/v1/environment",
            Map.of(
                "pools", poolDocs,
                "exchange", List.of(),
                "activeDirectoryCas", List.of(pem(root), pem(issuing)),
                "sites", List.of(),
                "unresolvableHosts", List.of())),
        "admin");
    Map<String, Object> assessmentRequest =
        Map.of(
            "description",
            "backtest: wildcard certificate on " + pool,
            "changes",
            List.of(
                Map.of(
                    "type",
                    "REPLACE_CERTIFICATE",
                    "pool",
                    pool,
                    "usage",
                    "DEFAULT",
                    "chain",
                    wildcardChain)));
    String assessmentId =
        send(HttpRequest.POST("/api/v1/impact-assessments", assessmentRequest), "planner")
            .get("id")
            .asText();
    Map<String, JsonNode> predicted = assessedDevices(assessmentId);

    // The deliberately wrong catalog entry: the most common Aries build the catalog says takes
    // wildcards (predicted OK) is, in the incident's real firmware, a build that rejects them.
    Map<String, Integer> okAriesBuilds = new TreeMap<>();
    for (int i = 0; i < fleet.options().devices(); i++) {
      FleetGenerator.PlannedDevice d = fleet.device(i);
      JsonNode p = predicted.get(d.deviceId().value());
      if (p != null && ARIES.contains(d.model()) && p.get("verdict").asText().equals("OK")) {
        okAriesBuilds.merge(p.get("build").asText(), 1, Integer::sum);
      }
    }
    Map<String, Integer> ariesVerdicts = new TreeMap<>();
    for (int i = 0; i < fleet.options().devices(); i++) {
      FleetGenerator.PlannedDevice d = fleet.device(i);
      JsonNode p = predicted.get(d.deviceId().value());
      if (p != null && ARIES.contains(d.model())) {
        ariesVerdicts.merge(
            p.get("build").asText()
                + " "
                + p.get("verdict").asText()
                + " "
                + p.get("findings").findValuesAsText("rule"),
            1,
            Integer::sum);
      }
    }
    assertThat(okAriesBuilds).as("Aries builds and verdicts: %s", ariesVerdicts).isNotEmpty();
    String wrongBuild =
        okAriesBuilds.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    assertThat(okAriesBuilds.get(wrongBuild)).isGreaterThanOrEqualTo(20);
    assertThat(wrongBuild).isNotEqualTo(brokenBuild);
    JsonNode buildBefore = build(wrongBuild);
    assertThat(buildBefore.get("effectiveCapabilities").path("wildcardNames").asBoolean(true))
        .isTrue();
    restore.put(wrongBuild, buildBefore);

    Instant deployedAt = fleet.options().start().plusSeconds(2 * 86_400L);
    FleetGenerator.Incident incident =
        new FleetGenerator.Incident(
            deployedAt, 24, ARIES, wrongBuild, 0.8, WILDCARD_REJECTED, 0.02, 0.03, 0.01, 0.05);
    List<IncidentOutcome> truth =
        fleet.incident(
            incident,
            id -> {
              JsonNode p = predicted.get(id.value());
              return p != null && p.get("verdict").asText().equals("BREAKS");
            });
    ingest(
        truth.stream()
            .flatMap(o -> fleet.incidentEvents(o).stream())
            .map(FleetGenerator.GeneratedEvent::json)
            .toList());
    JsonNode deployment =
        send(
            HttpRequest.POST(
                "/api/v1/impact-assessments/" + assessmentId + "/deployments",
                Map.of(
                    "deployedAt", deployedAt.toString(),
                    "changeRef", "CHG-BACKTEST",
                    "pools", List.copyOf(pools))),
            "planner");
    assertThat(deployment.get("pools")).hasSize(pools.size());

    // What the backtest must say, from the ground truth and the predictions.
    long breaksFailed = 0, breaksSignedIn = 0, okFailed = 0, okSignedIn = 0, notSeen = 0;
    long silent = 0, failed = 0, covered = 0;
    Set<String> okFailedDevices = new TreeSet<>();
    Set<String> evidence = new TreeSet<>();
    for (IncidentOutcome o : truth) {
      JsonNode p = predicted.get(o.device().deviceId().value());
      if (p == null) {
        continue;
      }
      covered++;
      String verdict = p.get("verdict").asText();
      boolean didFail = o.kind() == IncidentKind.FAILED || o.kind() == IncidentKind.SILENT;
      silent += o.kind() == IncidentKind.SILENT ? 1 : 0;
      failed += didFail ? 1 : 0;
      if (o.kind() == IncidentKind.LATE) {
        notSeen++;
      } else if (verdict.equals("BREAKS")) {
        breaksFailed += didFail ? 1 : 0;
        breaksSignedIn += didFail ? 0 : 1;
      } else if (verdict.equals("OK")) {
        okFailed += didFail ? 1 : 0;
        okSignedIn += didFail ? 0 : 1;
        if (didFail) {
          okFailedDevices.add(o.device().deviceId().value());
        }
        if (o.misbehaving() && o.kind() == IncidentKind.FAILED) {
          evidence.add(o.device().deviceId().value());
        }
      }
    }
    JsonNode backtest =
        send(HttpRequest.GET("/api/v1/impact-assessments/" + assessmentId + "/backtest"), "viewer");
    assertThat(backtest.get("windowClosed").asBoolean()).isTrue();
    assertThat(backtest.get("devices").asLong()).isEqualTo(covered);
    assertThat(backtest.get("notDeployed").asLong()).isEqualTo(predicted.size() - covered);
    assertThat(cells(backtest.get("cells")))
        .isEqualTo(List.of(breaksFailed, breaksSignedIn, okFailed, okSignedIn, notSeen));
    assertThat(backtest.get("failedSilently").asLong()).isEqualTo(silent);
    assertThat(okFailed).isGreaterThanOrEqualTo(evidence.size()).isGreaterThan(10);
    assertThat(backtest.get("breaks").get("precision").asDouble())
        .isEqualTo((double) breaksFailed / (breaksFailed + breaksSignedIn));
    assertThat(backtest.get("breaks").get("recall").asDouble())
        .isEqualTo((double) breaksFailed / failed);
    assertThat(backtest.get("notes").toString()).contains(silent + " devices with no sign-in");

    // The dangerous cell, device by device, paged.
    Set<String> listed = new TreeSet<>();
    String cursor = null;
    do {
      JsonNode page =
          send(
              HttpRequest.GET(
                  "/api/v1/impact-assessments/"
                      + assessmentId
                      + "/backtest/devices?verdict=OK&observed=FAILED&limit=25"
                      + (cursor == null ? "" : "&cursor=" + cursor)),
              "viewer");
      page.get("items").forEach(item -> listed.add(item.get("deviceId").asText()));
      cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
    } while (cursor != null);
    assertThat(listed).isEqualTo(okFailedDevices);

    // The proposal names the wrong entry and nothing else.
    List<JsonNode> mine = new ArrayList<>();
    send(HttpRequest.GET("/api/v1/catalog/proposals?limit=1000"), "viewer")
        .get("items")
        .forEach(
            item -> {
              if (item.get("evidence").get("assessmentId").asText().equals(assessmentId)) {
                mine.add(item);
              }
            });
    assertThat(mine).hasSize(1);
    JsonNode proposal = mine.get(0);
    assertThat(proposal.get("status").asText()).isEqualTo("OPEN");
    assertThat(proposal.get("family").asText()).isEqualTo("LPE-AIRES");
    assertThat(proposal.get("build").asText()).isEqualTo(wrongBuild);
    assertThat(proposal.get("capability").asText()).isEqualTo("wildcardNames");
    assertThat(proposal.get("currentValue").asBoolean()).isTrue();
    assertThat(proposal.get("proposedValue").asBoolean()).isFalse();
    assertThat(proposal.get("evidence").get("failureReason").asText()).isEqualTo(WILDCARD_REJECTED);
    Set<String> evidenced = new TreeSet<>();
    proposal.get("evidence").get("devices").forEach(d -> evidenced.add(d.asText()));
    assertThat(evidenced).isEqualTo(evidence);

    // Accepting it is a catalog edit; assessing again predicts what happened.
    JsonNode accepted =
        send(
            HttpRequest.POST(
                "/api/v1/catalog/proposals/" + proposal.get("id").asText() + "/accept", ""),
            "admin");
    assertThat(accepted.get("status").asText()).isEqualTo("ACCEPTED");
    JsonNode buildAfter = build(wrongBuild);
    assertThat(buildAfter.get("effectiveCapabilities").get("wildcardNames").asBoolean()).isFalse();
    assertThat(accepted.get("catalogVersion").asText())
        .isEqualTo(buildAfter.get("catalogVersion").asText());
    String rerun =
        send(HttpRequest.POST("/api/v1/impact-assessments", assessmentRequest), "planner")
            .get("id")
            .asText();
    Map<String, JsonNode> again = assessedDevices(rerun);
    Map<String, String> verdicts =
        evidence.stream()
            .collect(Collectors.toMap(id -> id, id -> again.get(id).get("verdict").asText()));
    assertThat(new TreeSet<>(verdicts.values())).containsExactly("BREAKS");
    assertThat(again.get(evidence.iterator().next()).get("findings").toString())
        .contains("WILDCARD_UNSUPPORTED");
    int conflict =
        status(
            HttpRequest.POST(
                "/api/v1/catalog/proposals/" + proposal.get("id").asText() + "/reject", ""),
            "admin");
    assertThat(conflict).isEqualTo(409);
  }

  @AfterAll
  void restoreTheCatalog() {
    restore.forEach(
        (build, before) -> send(HttpRequest.PUT(BUILDS + build, body(before)), "admin"));
  }

  private JsonNode build(String build) {
    return send(HttpRequest.GET(BUILDS + build), "viewer");
  }

  /** The PUT body that states what a GET of the build returned. */
  private static Map<String, Object> body(JsonNode build) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (String field :
        List.of("releaseName", "releasedOn", "capabilities", "builtInRoots", "source")) {
      boolean nullable = field.equals("releasedOn") || field.equals("builtInRoots");
      if (build.has(field) && (nullable || !build.get(field).isNull())) {
        body.put(field, JSON.convertValue(build.get(field), Object.class));
      }
    }
    return body;
  }

  private static List<Long> cells(JsonNode cells) {
    return List.of(
        cells.get("predictedBreaksFailed").asLong(),
        cells.get("predictedBreaksSignedIn").asLong(),
        cells.get("predictedOkFailed").asLong(),
        cells.get("predictedOkSignedIn").asLong(),
        cells.get("notSeen").asLong());
  }

  private Map<String, JsonNode> assessedDevices(String assessmentId) {
    Map<String, JsonNode> devices = new HashMap<>();
    String cursor = null;
    do {
      JsonNode page =
          send(
              HttpRequest.GET(
                  "/api/v1/impact-assessments/"
                      + assessmentId
                      + "/devices?limit=1000"
                      + (cursor == null
                          ? ""
                          : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))),
              "viewer");
      page.get("items").forEach(item -> devices.put(item.get("deviceId").asText(), item));
      cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
    } while (cursor != null);
    return devices;
  }

  private void ingest(List<String> events) {
    for (int from = 0; from < events.size(); from += 2_000) {
      List<String> batch = events.subList(from, Math.min(events.size(), from + 2_000));
      JsonNode results =
          send(HttpRequest.POST("/api/v1/events", "[" + String.join(",", batch) + "]"), "admin");
      assertThat(results.get("rejected").asInt()).as(results.toString()).isZero();
    }
  }

  private JsonNode send(MutableHttpRequest<?> request, String role) {
    try {
      String body =
          client
              .toBlocking()
              .retrieve(request.header("Authorization", tokens.bearer(role)), String.class);
      return JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private int status(MutableHttpRequest<?> request, String role) {
    try {
      return client
          .toBlocking()
          .exchange(request.header("Authorization", tokens.bearer(role)), String.class)
          .code();
    } catch (io.micronaut.http.client.exceptions.HttpClientResponseException e) {
      return e.code();
    }
  }

  private static String pem(TestPki.Issued issued) {
    return issued.cert().toPem();
  }
}
