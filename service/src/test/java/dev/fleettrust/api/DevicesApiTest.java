package dev.fleettrust.api;

import static dev.fleettrust.ingest.IngestTesting.event;
import static dev.fleettrust.ingest.IngestTesting.registeredData;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.ingest.IngestTesting;
import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/devices} and {@code GET /api/v1/devices/{deviceId}} over ingested events. */
@MicronautTest(transactional = false)
class DevicesApiTest extends IntegrationTest {
  @Inject
  @Client("/")
  HttpClient client;

  @Inject Tokens tokens;
  @Inject JsonMapper json;

  private final String prefix = IngestTesting.uniqueMacPrefix();
  private final String site = "Site-" + UUID.randomUUID().toString().substring(0, 8);
  private final Instant t = Instant.parse("2026-11-20T08:00:00Z");
  private final String provisionedId = UUID.randomUUID().toString();
  private final String failedSignInId = UUID.randomUUID().toString();
  private TestCertificates.Ca root;
  private TestCertificates.Ca issuing;

  @Override
  public Map<String, String> getProperties() {
    return IngestTesting.ownTopic(super.getProperties(), IngestTesting.uniqueTopic("devices-api"));
  }

  private String mac(int n) {
    return prefix + ":00:0" + n;
  }

  @BeforeAll
  void ingestAFewDevices() {
    root = TestCertificates.root("CN=Devices Test Root,O=FleetTrust Test");
    issuing = TestCertificates.issuedBy(root, "CN=Devices Test Issuing,O=FleetTrust Test");
    List<String> events = new ArrayList<>();
    events.add(
        event(
            provisionedId,
            "device.provisioned",
            mac(1),
            t,
            "{\"method\":\"PIN_AUTH\",\"site\":\""
                + site
                + "\",\"certificates\":["
                + jsonString(root.pem())
                + ","
                + jsonString(issuing.pem())
                + "]}"));
    events.add(
        event(
            UUID.randomUUID().toString(),
            "device.registered",
            mac(1),
            t.plusSeconds(60),
            registeredData("CX600", "4.0.7577.4420", site, "SUCCESS")));
    events.add(
        event(
            failedSignInId,
            "device.registered",
            mac(1),
            t.plusSeconds(120),
            "{\"model\":\"CX600\",\"firmware\":\"4.0.7577.4420\",\"pool\":\"sfbpool.custdom.com\","
                + "\"site\":\""
                + site
                + "\",\"dialedFqdn\":\"sip.custdom.com\",\"outcome\":\"FAILURE\","
                + "\"failureReason\":\"TLS handshake failed\",\"tlsAlert\":48}"));
    events.add(
        event(
            UUID.randomUUID().toString(),
            "device.registered",
            mac(2),
            t,
            "{\"userAgent\":\"PolycomVVX-VVX_450-UA/6.4.3.5032\",\"pool\":\"sfbpool.custdom.com\","
                + "\"site\":\""
                + site
                + "\",\"dialedFqdn\":\"sip.custdom.com\",\"outcome\":\"SUCCESS\"}"));
    for (int n = 3; n <= 5; n++) {
      events.add(
          event(
              UUID.randomUUID().toString(),
              "device.registered",
              mac(n),
              t,
              registeredData("CX600", "4.0.7577.4414", site, "SUCCESS")));
    }
    events.add(
        event(UUID.randomUUID().toString(), "device.retired", mac(3), t.plusSeconds(60), null));
    String response =
        client
            .toBlocking()
            .retrieve(
                HttpRequest.POST("/api/v1/events", "[" + String.join(",", events) + "]")
                    .contentType(MediaType.APPLICATION_JSON)
                    .header("Authorization", tokens.bearer("admin")),
                String.class);
    assertThat(parse(response)).containsEntry("accepted", events.size());
  }

  @Test
  void listsTheActiveDevicesOfASiteInDeviceIdOrderPageByPage() {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Map<String, Object> page =
          get(
              "/api/v1/devices?site="
                  + site
                  + "&limit=2"
                  + (cursor == null ? "" : "&cursor=" + cursor),
              "viewer");
      for (Map<String, Object> item : maps(page.get("items"))) {
        seen.add((String) item.get("deviceId"));
        assertThat(item).containsEntry("status", "ACTIVE");
      }
      cursor = (String) page.get("nextCursor");
      pages++;
    } while (cursor != null);

    assertThat(seen).containsExactly(mac(1), mac(2), mac(4), mac(5));
    assertThat(pages).isEqualTo(2);
  }

  @Test
  void listsRetiredDevicesOnlyWhenAsked() {
    Map<String, Object> page =
        get("/api/v1/devices?site=" + site + "&includeRetired=true", "viewer");

    assertThat(maps(page.get("items")))
        .hasSize(5)
        .anySatisfy(
            item ->
                assertThat(item)
                    .containsEntry("deviceId", mac(3))
                    .containsEntry("status", "RETIRED"));
    assertThat(page).doesNotContainKey("nextCursor");
  }

  @Test
  void filtersByModelAndFirmware() {
    Map<String, Object> page =
        get("/api/v1/devices?site=" + site + "&model=CX600&firmware=4.0.7577.4414", "viewer");

    assertThat(maps(page.get("items")))
        .extracting(item -> item.get("deviceId"))
        .containsExactly(mac(4), mac(5));
    Map<String, Object> vvx = get("/api/v1/devices?site=" + site + "&model=VVX%20450", "viewer");
    assertThat(maps(vvx.get("items")))
        .singleElement()
        .satisfies(
            item ->
                assertThat(item)
                    .containsEntry("vendor", "Polycom")
                    .containsEntry("firmware", "6.4.3.5032"));
  }

  @Test
  void filtersByFamilyThroughTheCatalogAndByVerdictThroughAnAssessment() {
    List<Map<String, Object>> lpe =
        maps(get("/api/v1/devices?site=" + site + "&family=LPE-ARIES", "viewer").get("items"));
    assertThat(lpe)
        .isNotEmpty()
        .allSatisfy(
            d ->
                assertThat(d).containsEntry("model", "CX600").containsEntry("family", "LPE-AIRES"));
    assertThat(
            maps(
                get("/api/v1/devices?site=" + site + "&family=POLYCOM-VVX", "viewer").get("items")))
        .singleElement()
        .satisfies(d -> assertThat(d).containsEntry("model", "VVX 450"));
    assertThat(
            maps(
                get("/api/v1/devices?site=" + site + "&family=NO-SUCH-FAMILY", "viewer")
                    .get("items")))
        .isEmpty();
    String noSuchAssessment = "00000000-0000-0000-0000-000000000000";
    assertThat(
            maps(
                get(
                        "/api/v1/devices?site="
                            + site
                            + "&verdict=BREAKS&assessmentId="
                            + noSuchAssessment,
                        "viewer")
                    .get("items")))
        .isEmpty();
  }

  @Test
  void returnsADeviceByAnySpellingWithItsAnchorsEventsAndLastSignIn() {
    String cisco = mac(1).replace(":", "").toUpperCase(Locale.ROOT);
    cisco = cisco.substring(0, 4) + "." + cisco.substring(4, 8) + "." + cisco.substring(8);

    Map<String, Object> device = get("/api/v1/devices/" + cisco, "planner");

    assertThat(device)
        .containsEntry("deviceId", mac(1))
        .containsEntry("model", "CX600")
        .containsEntry("family", "LPE-AIRES")
        .containsEntry("firmware", "4.0.7577.4420")
        .containsEntry("site", site)
        .containsEntry("status", "ACTIVE")
        .containsEntry("retiredAt", null)
        .containsEntry("firstSeenAt", "2026-11-20T08:00:00Z")
        .containsEntry("lastSeenAt", "2026-11-20T08:02:00Z")
        .containsEntry("lastProvisioningMethod", "PIN_AUTH");
    assertThat((String) device.get("trustProfileHash")).matches("[0-9a-f]{64}");
    assertThat(maps(device.get("provisioningPaths")))
        .singleElement()
        .satisfies(
            p -> assertThat(p).containsEntry("method", "PIN_AUTH").containsEntry("site", site));
    List<Map<String, Object>> downloaded =
        maps(device.get("anchors")).stream()
            .filter(a -> !"FIRMWARE".equals(a.get("provenance")))
            .toList();
    assertThat(downloaded)
        .extracting(a -> a.get("sha256Fingerprint"))
        .containsExactlyInAnyOrder(
            root.sha256().toUpperCase(Locale.ROOT), issuing.sha256().toUpperCase(Locale.ROOT));
    assertThat(maps(device.get("anchors")))
        .as("contract.md: the build's builtInRoots are listed as FIRMWARE anchors")
        .filteredOn(a -> "FIRMWARE".equals(a.get("provenance")))
        .anySatisfy(
            a ->
                assertThat(a)
                    // LPE stores are published as identities (name and key), so no fingerprint.
                    // The label's spelling is the catalog's: a catalog edit by another test may
                    // have rewritten it in canonical (lower-case RFC 4514) form.
                    .hasEntrySatisfying(
                        "subject",
                        subject ->
                            assertThat(String.valueOf(subject))
                                .containsIgnoringCase("DigiCert Global Root CA"))
                    .containsEntry("sha256Fingerprint", null)
                    .containsEntry("acquiredAt", null)
                    .containsEntry("eventId", null));
    assertThat(downloaded)
        .allSatisfy(
            anchor ->
                assertThat(anchor)
                    .containsEntry("provenance", "PROVISIONING_SERVICE")
                    .containsEntry("eventId", provisionedId)
                    .containsEntry("acquiredAt", "2026-11-20T08:00:00Z"));
    assertThat(maps(device.get("lastEvents")))
        .extracting(e -> e.get("type"))
        .containsExactly("device.registered", "device.registered", "device.provisioned");
    assertThat((Map<String, Object>) map(device.get("lastSignIn")))
        .containsEntry("outcome", "FAILURE")
        .containsEntry("tlsAlert", 48)
        .containsEntry("eventId", failedSignInId)
        .containsEntry("pool", "sfbpool.custdom.com");
    assertThat(map(device.get("catalogStatus")))
        .containsEntry("modelKnown", true)
        .containsEntry("buildKnown", true)
        .containsEntry("builtInRootsKnown", true);
  }

  @Test
  void answersAnUnknownDeviceWithNotFoundAndABadOneWithValidation() {
    HttpClientResponseException missing = refusal("/api/v1/devices/" + prefix + ":ff:ff", "viewer");
    assertThat(missing.getStatus().getCode()).isEqualTo(404);
    assertThat(body(missing)).containsEntry("type", "https://fleettrust.dev/problems/not-found");

    HttpClientResponseException bad = refusal("/api/v1/devices/not-a-mac", "viewer");
    assertThat(bad.getStatus().getCode()).isEqualTo(400);
    assertThat(maps(body(bad).get("errors")))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e).containsEntry("location", "path").containsEntry("field", "deviceId"));
  }

  @Test
  void listsEveryViolationOfTheQueryInOneValidationProblem() {
    HttpClientResponseException bad =
        refusal("/api/v1/devices?limit=5000&cursor=nope&verdict=MAYBE", "viewer");

    assertThat(bad.getStatus().getCode()).isEqualTo(400);
    assertThat(maps(body(bad).get("errors")))
        .extracting(e -> e.get("field"))
        .containsExactlyInAnyOrder("limit", "cursor", "verdict");
  }

  @Test
  void needsAToken() {
    HttpClientResponseException anonymous = refusal("/api/v1/devices", null);

    assertThat(anonymous.getStatus().getCode()).isEqualTo(401);
    assertThat(body(anonymous))
        .containsEntry("type", "https://fleettrust.dev/problems/unauthorized");
  }

  private Map<String, Object> get(String uri, String role) {
    return parse(client.toBlocking().retrieve(request(uri, role), String.class));
  }

  private HttpRequest<?> request(String uri, String role) {
    var request = HttpRequest.GET(uri);
    return role == null ? request : request.header("Authorization", tokens.bearer(role));
  }

  private HttpClientResponseException refusal(String uri, String role) {
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> client.toBlocking().exchange(request(uri, role), String.class));
    assertThat(thrown).isInstanceOf(HttpClientResponseException.class);
    return (HttpClientResponseException) thrown;
  }

  private Map<String, Object> body(HttpClientResponseException refused) {
    assertThat(refused.getResponse().getContentType())
        .contains(MediaType.of("application/problem+json"));
    return parse(refused.getResponse().getBody(String.class).orElseThrow());
  }

  private Map<String, Object> parse(String text) {
    try {
      return json.readValue(text, Argument.mapOf(String.class, Object.class));
    } catch (java.io.IOException e) {
      throw new AssertionError(text, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Object value) {
    return (List<Map<String, Object>>) value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  private static String jsonString(String text) {
    return "\""
        + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "").replace("\n", "\\n")
        + "\"";
  }
}
