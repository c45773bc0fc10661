package dev.fleettrust.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleettrust.embedded.SharedInfrastructure;
import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
import dev.fleettrust.trust.TestPki;
import dev.fleettrust.trust.TestPki.Issued;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The compliance report on a seeded fleet, through the API: every section's counts exactly, the
 * 30/60/90-day horizon, a device upgraded overnight leaving the baseline and showing as resolved,
 * and the three representations.
 */
// Not transactional: the report runs on the test thread and the API must see what it stored.
@MicronautTest(transactional = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComplianceReportTest extends IntegrationTest {
  static final String SCRIPT_MODEL = "<script>alert(1)</script>";
  private static final String POOL = "pool.contoso.com";

  @Inject
  @Client("/")
  HttpClient client;

  @Inject Tokens tokens;
  @Inject ReportRuns runs;
  @Inject ComplianceReportService service;

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private String upgradedDevice;

  @BeforeAll
  void seedFleet() throws Exception {
    SharedInfrastructure.Endpoints db = SharedInfrastructure.endpoints();
    try (var connection = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
      connection.createStatement().execute("TRUNCATE device CASCADE");
      connection.createStatement().execute("TRUNCATE compliance_report_run CASCADE");
      connection.createStatement().execute("TRUNCATE itsm_outbox, itsm_open_violation CASCADE");
    }
    TestPki pki = new TestPki();
    Issued root =
        pki.root("CN=Contoso Root CA,DC=contoso,DC=com")
            .valid(TestPki.NOT_BEFORE, now.plus(Duration.ofDays(45)))
            .build();
    Issued leaf = pki.leaf("CN=" + POOL, root).sans(POOL).build();
    Issued otherRoot = pki.root("CN=Fabrikam Root CA,DC=fabrikam,DC=com").build();
    Map<String, Object> environment = new LinkedHashMap<>();
    environment.put(
        "pools",
        List.of(
            Map.of(
                "fqdn", POOL,
                "sipFqdns", List.of(),
                "certificates", Map.of("DEFAULT", pem(leaf)),
                "trustedCaCerts", List.of(),
                "inferCertChainFromSsl", true)));
    environment.put("exchange", List.of());
    environment.put("activeDirectoryCas", List.of());
    environment.put("sites", List.of(Map.of("name", "HQ", "pinAuthentication", true)));
    environment.put("unresolvableHosts", List.of());
    // The root's CRL is due in 20 days: the VVX phones below check revocation.
    environment.put("revocationLists", List.of(crl(root, now.plus(Duration.ofDays(20)))));
    client
        .toBlocking()
        .exchange(
            HttpRequest.PUT("/api/v1/environment", environment)
                .header("Authorization", tokens.bearer("admin")),
            Map.class);

    List<Map<String, Object>> events = new ArrayList<>();
    Instant recent = now.minus(Duration.ofHours(2));
    // 10 CX600 on CU10, below the LPE-AIRES baseline; their root expires in 45 days.
    List<String> cu10 = devices(1, 10);
    upgradedDevice = cu10.get(0);
    for (String d : cu10) {
      signedIn(events, d, "CX600", "4.0.7577.4414", "PIN_AUTH", held(root), recent, "SUCCESS");
    }
    // 5 HP 4120 on CU11: at the baseline, same root; one failed to sign in an hour ago.
    List<String> cu11 = devices(2, 5);
    for (String d : cu11) {
      signedIn(events, d, "HP 4120", "4.0.7577.4420", "PIN_AUTH", held(root), recent, "SUCCESS");
    }
    events.add(
        registered(
            cu11.get(0), "HP 4120", "4.0.7577.4420", now.minus(Duration.ofHours(1)), "FAILURE"));
    // 4 USB-tethered CX600 that hold only another root: they fail today; two failed an hour ago.
    List<String> failing = devices(3, 4);
    for (String d : failing) {
      signedIn(
          events, d, "CX600", "4.0.7577.4420", "USB_TETHER", held(otherRoot), recent, "SUCCESS");
    }
    events.add(
        registered(
            failing.get(0), "CX600", "4.0.7577.4420", now.minus(Duration.ofHours(1)), "FAILURE"));
    events.add(
        registered(
            failing.get(1), "CX600", "4.0.7577.4420", now.minus(Duration.ofHours(1)), "FAILURE"));
    // 2 devices of a model nobody catalogued (its name is markup), never seen provisioning.
    for (String d : devices(4, 2)) {
      events.add(registered(d, SCRIPT_MODEL, "1.0", recent, "SUCCESS"));
    }
    // 3 VVX phones holding the same root through their vendor profile; they check revocation.
    for (String d : devices(6, 3)) {
      signedIn(
          events,
          d,
          "VVX 500",
          "5.9.0.9373",
          "VENDOR_PROFILE",
          held("VENDOR_PROFILE", root),
          recent,
          "SUCCESS");
    }
    // 1 device last seen 40 days ago.
    for (String d : devices(5, 1)) {
      signedIn(
          events,
          d,
          "CX600",
          "4.0.7577.4420",
          "PIN_AUTH",
          held(root),
          now.minus(Duration.ofDays(40)),
          "SUCCESS");
    }
    post(events);
  }

  @Test
  @Order(1)
  void everySectionCountsTheSeededDevicesExactly() {
    ReportRun yesterday = runs.createManual(service.today().minusDays(1), "test", now);
    service.execute(yesterday);
    assertThat(runs.find(yesterday.id()).orElseThrow().status())
        .isEqualTo(ReportRun.Status.COMPLETED);

    Map<String, Object> report =
        getJson("/api/v1/reports/compliance/" + service.today().minusDays(1));
    assertThat(report.get("devices")).isEqualTo(25);
    Map<String, Object> baseline = section(report, "firmware-baseline");
    assertThat(baseline.get("devices")).isEqualTo(10);
    assertThat(baseline.get("rules")).isEqualTo(Map.of("FIRMWARE_BELOW_BASELINE", 10));

    Map<String, Object> drift = section(report, "drift");
    assertThat(drift.get("devices")).isEqualTo(5);
    assertThat(drift.get("counts"))
        .isEqualTo(
            ordered(
                "failingToday",
                4,
                "BREAKS",
                4,
                "signInFailures24h",
                3,
                "failingAndObserved",
                2,
                "predictedOnly",
                2,
                "observedOnly",
                1));
    assertThat(drift.get("rules"))
        .isEqualTo(Map.of("UNTRUSTED_ROOT", 4, "SIGN_IN_FAILURE_OBSERVED", 3));

    // The root expires in 45 days: the 16 LPE devices that rely on it are within 60 days, not 30;
    // the three VVX phones are within 30 because of the CRL.
    Map<String, Object> horizon = section(report, "expiry-horizon");
    // The CRL due in 20 days puts the three VVX phones in the 30-day horizon.
    assertThat(horizon.get("devices")).isEqualTo(19);
    assertThat(horizon.get("counts"))
        .isEqualTo(ordered("within30Days", 3, "within60Days", 19, "within90Days", 19));
    assertThat(horizon.get("rules"))
        .isEqualTo(Map.of("ANCHOR_EXPIRED", 16, "CRL_NEXT_UPDATE_DUE", 3));

    Map<String, Object> stale = section(report, "stale-unknown");
    assertThat(stale.get("devices")).isEqualTo(3);
    assertThat(stale.get("rules"))
        .isEqualTo(
            Map.of("MODEL_NOT_IN_CATALOG", 2, "NEVER_PROVISIONED", 2, "NOT_SEEN_RECENTLY", 1));
    assertThat(section(report, "resolved").get("devices")).isEqualTo(0);
    // Handed to the ITSM outbox with the report: one violation per (rule, model, build).
    assertThat(sql("SELECT count(*) FROM itsm_open_violation")).isEqualTo(11L);
    assertThat(report.get("revocationLists"))
        .asList()
        .singleElement()
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("devices", 3);
    assertThat(
            sql("SELECT devices FROM itsm_open_violation WHERE rule = 'FIRMWARE_BELOW_BASELINE'"))
        .isEqualTo(10L);

    String horizonCsv =
        getText(
            "/api/v1/reports/compliance/"
                + service.today().minusDays(1)
                + "?section=expiry-horizon",
            "text/csv");
    assertThat(horizonCsv.split("\r\n")).hasSize(20);
    assertThat(horizonCsv)
        .contains(
            ",VVX 500,5.9.0.9373,HQ,,BREAKS,30,CRL_NEXT_UPDATE_DUE,\"CRL of CN=Contoso Root CA");
    assertThat(horizonCsv).contains(",CX600,4.0.7577.4414,HQ,,BREAKS,60,ANCHOR_EXPIRED,");
  }

  @Test
  @Order(2)
  void aDeviceUpgradedOvernightLeavesTheBaselineAndShowsAsResolved() {
    post(
        List.of(
            registered(
                upgradedDevice,
                "CX600",
                "4.0.7577.4420",
                now.minus(Duration.ofMinutes(30)),
                "SUCCESS")));

    HttpResponse<Map> started =
        client
            .toBlocking()
            .exchange(
                HttpRequest.POST("/api/v1/reports/compliance/runs", "")
                    .header("Authorization", tokens.bearer("admin")),
                Map.class);
    assertThat(started.code()).isEqualTo(202);
    String runPath = started.getHeaders().get("Location");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "COMPLETED".equals(getJson(runPath).get("status")));
    Map<String, Object> run = getJson(runPath);
    assertThat(run.get("progress")).isEqualTo(100);
    assertThat(run.get("reportDate")).isEqualTo(service.today().toString());

    Map<String, Object> report = getJson("/api/v1/reports/compliance/latest");
    assertThat(report.get("reportDate")).isEqualTo(service.today().toString());
    assertThat(section(report, "firmware-baseline").get("devices")).isEqualTo(9);
    Map<String, Object> resolved = section(report, "resolved");
    assertThat(resolved.get("devices")).isEqualTo(1);
    Map<String, Object> page =
        getJson("/api/v1/reports/compliance/" + service.today() + "/devices?section=resolved");
    assertThat(page.get("items"))
        .asList()
        .singleElement()
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("deviceId", upgradedDevice)
        .containsEntry("detail", "firmware-baseline")
        .containsEntry("rules", List.of("FIRMWARE_BELOW_BASELINE"));
    assertThat(
            sql("SELECT devices FROM itsm_open_violation WHERE rule = 'FIRMWARE_BELOW_BASELINE'"))
        .isEqualTo(9L);
    assertThat(
            sql(
                "SELECT count(*) FROM itsm_outbox WHERE type = 'fleettrust.violation.updated'"
                    + " AND dedup_key = (SELECT dedup_key FROM itsm_open_violation"
                    + " WHERE rule = 'FIRMWARE_BELOW_BASELINE')"))
        .isEqualTo(1L);
    @SuppressWarnings("unchecked")
    Map<String, Object> trend = (Map<String, Object>) report.get("trend");
    assertThat(trend.get("lastNight")).isEqualTo(service.today().minusDays(1).toString());
    assertThat(trend.get("figures"))
        .asList()
        .contains(ordered("figure", "belowBaseline", "today", 9, "lastNight", 10, "lastWeek", null))
        .contains(
            ordered(
                "figure", "resolvedSinceLastReport", "today", 1, "lastNight", 0, "lastWeek", null));
    assertThat(trend.get("changes"))
        .asList()
        .contains(
            Map.of("section", "firmware-baseline", "newDevices", 0, "changed", 0, "resolved", 1));
  }

  @Test
  @Order(3)
  void devicePagesFollowTheirCursorToTheEnd() {
    String path =
        "/api/v1/reports/compliance/" + service.today() + "/devices?section=expiry-horizon&limit=7";
    List<Object> ids = new ArrayList<>();
    String cursor = null;
    do {
      Map<String, Object> page = getJson(path + (cursor == null ? "" : "&cursor=" + cursor));
      ((List<?>) page.get("items")).forEach(i -> ids.add(((Map<?, ?>) i).get("deviceId")));
      cursor = (String) page.get("nextCursor");
    } while (cursor != null);
    assertThat(ids).hasSize(19).doesNotHaveDuplicates();
    Map<String, Object> list = getJson("/api/v1/reports/compliance?limit=1");
    assertThat((List<?>) list.get("items")).hasSize(1);
    assertThat(list.get("nextCursor")).isNotNull();
  }

  @Test
  @Order(4)
  void htmlEscapesTheDeviceSuppliedModel() {
    String html = getText("/api/v1/reports/compliance/" + service.today(), "text/html");
    assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain(SCRIPT_MODEL);
    assertThat(html).contains("<svg").doesNotContain("http://").doesNotContain("https://");
  }

  /**
   * The page as a browser runs it: headless Chromium (Debian's {@code chromium}) loads the saved
   * page; the DOM it dumps holds the markup model as text inside a table cell and no script
   * element, and nothing ran (the title alert(1) would not change anything visible, so the check is
   * the DOM itself). The screenshot goes to target/ for service/docs/.
   */
  @Test
  @Order(4)
  void headlessChromiumShowsTheMarkupModelAsText() throws Exception {
    String html = getText("/api/v1/reports/compliance/" + service.today(), "text/html");
    java.nio.file.Path dir = java.nio.file.Path.of("target", "chromium");
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Path page = dir.resolve("compliance-report.html").toAbsolutePath();
    java.nio.file.Files.writeString(page, html);
    java.nio.file.Path screenshot = dir.resolve("compliance-report.png").toAbsolutePath();
    String dom = chromium(dir, "--dump-dom", page.toUri().toString());
    assertThat(dom)
        .contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>")
        .doesNotContain("<script");
    chromium(
        dir,
        "--screenshot=" + screenshot,
        "--window-size=1280,2200",
        "--hide-scrollbars",
        page.toUri().toString());
    assertThat(screenshot).exists();
    assertThat(java.nio.file.Files.size(screenshot)).isGreaterThan(10_000);
  }

  private static String chromium(java.nio.file.Path dir, String... arguments) throws Exception {
    java.nio.file.Path profile = java.nio.file.Files.createTempDirectory(dir, "profile");
    List<String> command =
        new ArrayList<>(
            List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile));
    command.addAll(List.of(arguments));
    Process process =
        new ProcessBuilder(command)
            .redirectError(dir.resolve("chromium-stderr.txt").toFile())
            .start();
    String out =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("chromium exit code").isZero();
    return out;
  }

  @Test
  @Order(6)
  void unknownSectionsDatesAndMediaTypesAreClientErrors() {
    assertThat(status("/api/v1/reports/compliance/latest?section=nope", "application/json"))
        .isEqualTo(400);
    assertThat(status("/api/v1/reports/compliance/2026-13-01", "application/json")).isEqualTo(400);
    assertThat(status("/api/v1/reports/compliance/1999-01-01", "application/json")).isEqualTo(404);
    assertThat(status("/api/v1/reports/compliance/latest", "application/xml")).isEqualTo(406);
    assertThat(status("/api/v1/reports/compliance/runs/" + UUID.randomUUID(), "application/json"))
        .isEqualTo(404);
  }

  // ---- helpers ----

  static long sql(String query) {
    SharedInfrastructure.Endpoints db = SharedInfrastructure.endpoints();
    try (var c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
        var r = c.createStatement().executeQuery(query)) {
      r.next();
      return r.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  static Map<String, Object> ordered(Object... keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> section(Map<String, Object> report, String id) {
    return ((List<Map<String, Object>>) report.get("sections"))
        .stream().filter(s -> id.equals(s.get("id"))).findFirst().orElseThrow();
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> getJson(String path) {
    return client
        .toBlocking()
        .retrieve(
            HttpRequest.GET(path).header("Authorization", tokens.bearer("viewer")), Map.class);
  }

  String getText(String path, String accept) {
    return client
        .toBlocking()
        .retrieve(
            HttpRequest.GET(path).accept(accept).header("Authorization", tokens.bearer("viewer")),
            String.class);
  }

  int status(String path, String accept) {
    try {
      return client
          .toBlocking()
          .exchange(
              HttpRequest.GET(path).accept(accept).header("Authorization", tokens.bearer("viewer")),
              String.class)
          .code();
    } catch (io.micronaut.http.client.exceptions.HttpClientResponseException e) {
      return e.code();
    }
  }

  private static List<String> devices(int group, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(String.format("02:13:00:%02x:00:%02x", group, i));
    }
    return ids;
  }

  private static List<Map<String, String>> held(Issued... certificates) {
    return held("PROVISIONING_SERVICE", certificates);
  }

  private static List<Map<String, String>> held(String source, Issued... certificates) {
    List<Map<String, String>> held = new ArrayList<>();
    for (Issued c : certificates) {
      held.add(Map.of("pem", pem(c), "source", source));
    }
    return held;
  }

  /** A CRL of {@code issuer}, PEM, as the CA would publish it. */
  private String crl(Issued issuer, Instant nextUpdate) throws Exception {
    var builder =
        new org.bouncycastle.cert.X509v2CRLBuilder(
            issuer.name(), java.util.Date.from(now.minus(Duration.ofDays(1))));
    builder.setNextUpdate(java.util.Date.from(nextUpdate));
    var signer =
        new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA")
            .build(issuer.key().getPrivate());
    byte[] der = builder.build(signer).getEncoded();
    return "-----BEGIN X509 CRL-----\n"
        + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END X509 CRL-----\n";
  }

  private static void signedIn(
      List<Map<String, Object>> events,
      String device,
      String model,
      String build,
      String method,
      List<Map<String, String>> held,
      Instant at,
      String outcome) {
    events.add(
        event(
            "device.provisioned",
            device,
            at.minusSeconds(60),
            Map.of("method", method, "site", "HQ", "certificates", held)));
    events.add(registered(device, model, build, at, outcome));
  }

  private static Map<String, Object> registered(
      String device, String model, String build, Instant at, String outcome) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("model", model);
    data.put("firmware", build);
    data.put("pool", POOL);
    data.put("site", "HQ");
    data.put("dialedFqdn", POOL);
    data.put("outcome", outcome);
    if (outcome.equals("FAILURE")) {
      data.put("failureReason", "TLS handshake failed");
    }
    return event("device.registered", device, at, data);
  }

  private static Map<String, Object> event(
      String type, String device, Instant time, Map<String, Object> data) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("specversion", "1.0");
    event.put("id", UUID.randomUUID().toString());
    event.put("source", "urn:fleettrust:test");
    event.put("type", type);
    event.put("subject", device);
    event.put("time", time.toString());
    event.put("datacontenttype", "application/json");
    event.put("data", data);
    return event;
  }

  private void post(List<Map<String, Object>> events) {
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

  static String pem(Issued issued) {
    return issued.cert().toPem();
  }
}
