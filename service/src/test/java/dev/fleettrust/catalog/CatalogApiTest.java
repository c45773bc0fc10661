package dev.fleettrust.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
import dev.fleettrust.trust.Capabilities;
import dev.fleettrust.trust.FirmwareBuild;
import dev.fleettrust.trust.FirmwareFamily;
import dev.fleettrust.trust.FirmwareResolution;
import dev.fleettrust.trust.TestPki;
import dev.fleettrust.trust.TlsVersion;
import dev.fleettrust.x509.SignatureAlgorithm;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The catalog through the API: what a {@code PUT} stores is what a {@code GET} returns, builds fall
 * back to the family defaults, every edit changes the catalog version, and the catalog is rebuilt
 * from the {@code catalog_edit} table alone. Each test works on families and models of its own so
 * the shipped catalog other tests rely on stays as shipped.
 */
@MicronautTest(transactional = false)
class CatalogApiTest extends IntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BALTIMORE_SPKI =
      "63D9AF9B47B1064D49A10E7B7FD566DBC8CAA399459BFC2829C571AD8C6EF34A";

  @Inject
  @Client("/")
  HttpClient client;

  @Inject Tokens tokens;
  @Inject CatalogSource catalogSource;
  @Inject CatalogService catalogService;
  @Inject CatalogEditStore store;

  private final TestPki pki = new TestPki();

  record Reply(int status, JsonNode body) {}

  @Test
  void putsAModelThenReplacesItAndReadsItBackByAnySpelling() throws Exception {
    String model = "Acme X" + unique();
    Reply created =
        send(HttpMethod.PUT, models(model), "{\"vendor\":\"Acme\",\"family\":\"LPE-ARIES\"}");
    Reply replaced =
        send(HttpMethod.PUT, models(model), "{\"vendor\":\"Acme Inc\",\"family\":\"lpe-aires\"}");
    Reply read = send(HttpMethod.GET, models(model.toLowerCase(Locale.ROOT)), null);

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().path("family").asText()).isEqualTo("LPE-AIRES");
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body().path("model").asText()).isEqualTo(model);
    assertThat(read.body().path("vendor").asText()).isEqualTo("Acme Inc");
    assertThat(read.body().path("catalogVersion").asText())
        .isEqualTo(catalogSource.current().version());
    assertThat(catalogSource.current().model(model).orElseThrow().family()).isEqualTo("LPE-AIRES");
  }

  @Test
  void modelOfAnUnknownFamilyIs422NamingTheBodyField() throws Exception {
    Reply reply =
        send(
            HttpMethod.PUT,
            models("Acme Y" + unique()),
            "{\"vendor\":\"Acme\",\"family\":\"LPE-AIRES-NOPE\"}");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.body().path("type").asText())
        .isEqualTo("https://fleettrust.dev/problems/unknown-reference");
    assertThat(reply.body().path("field").asText()).isEqualTo("$.family");
    assertThat(reply.body().path("location").asText()).isEqualTo("body");
    assertThat(reply.body().path("kind").asText()).isEqualTo("FAMILY");
    assertThat(reply.body().path("value").asText()).isEqualTo("LPE-AIRES-NOPE");
  }

  @Test
  void familyComesBackExactlyAsPutAndEveryEditChangesTheCatalogVersion() throws Exception {
    String family = "TEST-FAM-" + unique();
    String versionBefore = catalogSource.current().version();
    ObjectNode input = familyInput();

    Reply created = send(HttpMethod.PUT, families(family), input.toString());
    String versionAfterCreate = catalogSource.current().version();
    Reply read = send(HttpMethod.GET, families(family.toLowerCase(Locale.ROOT)), null);
    ((ObjectNode) input.get("capabilities")).put("wildcardNames", true);
    Reply replaced = send(HttpMethod.PUT, families(family), input.toString());

    assertThat(created.status()).isEqualTo(201);
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(read.status()).isEqualTo(200);
    JsonNode body = read.body();
    assertThat(body.path("family").asText()).isEqualTo(family);
    for (String field :
        List.of("displayName", "vendor", "capabilities", "builtInRoots", "source")) {
      assertThat(body.get(field)).as(field).isEqualTo(familyInput().get(field));
    }
    assertThat(body.path("catalogVersion").asText())
        .isEqualTo(versionAfterCreate)
        .isNotEqualTo(versionBefore)
        .startsWith("2025.11.0+");
    assertThat(replaced.body().path("catalogVersion").asText()).isNotEqualTo(versionAfterCreate);
    assertThat(replaced.body().path("capabilities").path("wildcardNames").asBoolean()).isTrue();

    FirmwareFamily engine = catalogSource.current().family(family).orElseThrow();
    assertThat(engine.builtInRoots().rootsOrEmpty()).hasSize(2);
    assertThat(engine.defaults().signatureAlgorithms().orElseThrow())
        .containsExactly(SignatureAlgorithm.SHA256_WITH_RSA);
  }

  @Test
  void buildFallsBackToTheFamilyDefaultForEveryCapabilityItLeavesOut() throws Exception {
    String family = "TEST-FAM-" + unique();
    String model = "Acme Z" + unique();
    System.out.println(
        "DEBUG-FAM " + send(HttpMethod.PUT, families(family), familyInput().toString()).body());
    send(HttpMethod.PUT, models(model), "{\"vendor\":\"Acme\",\"family\":\"" + family + "\"}");
    String buildInput =
        "{\"releaseName\":\"CU2\",\"releasedOn\":null,"
            + "\"capabilities\":{\"wildcardNames\":true,\"minTlsVersion\":\"TLSv1.2\"},"
            + "\"source\":\"test\"}";

    Reply put = send(HttpMethod.PUT, builds(family, "1.2.300"), buildInput);
    Reply read = send(HttpMethod.GET, builds(family, "1.2.300"), null);

    assertThat(put.status()).isEqualTo(201);
    assertThat(read.status()).isEqualTo(200);
    JsonNode b = read.body();
    assertThat(b.path("build").asText()).isEqualTo("1.2.300");
    assertThat(b.path("releaseName").asText()).isEqualTo("CU2");
    assertThat(b.has("releasedOn")).isTrue();
    assertThat(b.get("releasedOn").isNull()).isTrue();
    assertThat(b.get("capabilities"))
        .isEqualTo(JSON.readTree("{\"wildcardNames\":true,\"minTlsVersion\":\"TLSv1.2\"}"));
    assertThat(b.has("builtInRoots")).as("inherits the family's roots").isFalse();
    assertThat(b.path("builtInRootsKnown").asBoolean()).isTrue();
    ObjectNode expected = (ObjectNode) familyInput().get("capabilities").deepCopy();
    expected.put("wildcardNames", true);
    expected.put("minTlsVersion", "TLSv1.2");
    assertThat(b.get("effectiveCapabilities")).isEqualTo(expected);

    FirmwareResolution resolution = catalogSource.current().resolve(model, "1.2.300");
    assertThat(resolution).isInstanceOf(FirmwareResolution.Resolved.class);
    Capabilities caps = ((FirmwareResolution.Resolved) resolution).firmware().capabilities();
    assertThat(caps.wildcardNames()).isTrue();
    assertThat(caps.signatureAlgorithms()).containsExactly(SignatureAlgorithm.SHA256_WITH_RSA);
    assertThat(caps.maxTlsVersion()).isEqualTo(TlsVersion.TLS_1_2);
    assertThat(caps.minRsaBits()).isEqualTo(2048);
    assertThat(((FirmwareResolution.Resolved) resolution).firmware().builtInRoots().isKnown())
        .isTrue();
  }

  @Test
  void buildThatSaysItsRootStoreIsUnknownOverridesAKnownFamilyStore() throws Exception {
    String family = "TEST-FAM-" + unique();
    send(HttpMethod.PUT, families(family), familyInput().toString());

    Reply put =
        send(
            HttpMethod.PUT,
            builds(family, "2.0"),
            "{\"releaseName\":\"2.0\",\"releasedOn\":\"2014-01-01\",\"builtInRoots\":null}");
    Reply none =
        send(
            HttpMethod.PUT,
            builds(family, "3.0"),
            "{\"releaseName\":\"3.0\",\"releasedOn\":\"2015-01-01\",\"builtInRoots\":[]}");

    assertThat(put.status()).isEqualTo(201);
    assertThat(put.body().has("builtInRoots")).isTrue();
    assertThat(put.body().get("builtInRoots").isNull()).isTrue();
    assertThat(put.body().path("builtInRootsKnown").asBoolean()).isFalse();
    assertThat(put.body().path("releasedOn").asText()).isEqualTo("2014-01-01");
    assertThat(none.body().get("builtInRoots").isArray()).isTrue();
    assertThat(none.body().get("builtInRoots")).isEmpty();
    assertThat(none.body().path("builtInRootsKnown").asBoolean()).isTrue();
  }

  @Test
  void buildUnderAnUnknownFamilyIs422NamingThePathParameter() throws Exception {
    Reply reply =
        send(
            HttpMethod.PUT,
            builds("LPE-TANJAI", "4.0.7577.4420"),
            "{\"releaseName\":\"CU11\",\"releasedOn\":\"2014-01-01\"}");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.body().path("type").asText())
        .isEqualTo("https://fleettrust.dev/problems/unknown-reference");
    assertThat(reply.body().path("field").asText()).isEqualTo("family");
    assertThat(reply.body().path("location").asText()).isEqualTo("path");
    assertThat(reply.body().path("kind").asText()).isEqualTo("FAMILY");
    assertThat(reply.body().path("value").asText()).isEqualTo("LPE-TANJAI");
  }

  @Test
  void builtInRootThatDoesNotParseIs422NamingFieldBlockAndReason() throws Exception {
    String family = "TEST-FAM-" + unique();
    String good =
        pki.root("CN=Good Root " + unique() + ",O=FleetTrust Test").build().cert().toPem();
    ObjectNode input = familyInput();
    ArrayNode roots = input.putArray("builtInRoots");
    roots.add(good);
    roots.add("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n");
    String versionBefore = catalogSource.current().version();

    Reply reply = send(HttpMethod.PUT, families(family), input.toString());

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.body().path("type").asText())
        .isEqualTo("https://fleettrust.dev/problems/invalid-certificate");
    assertThat(reply.body().path("field").asText()).isEqualTo("$.builtInRoots[1]");
    assertThat(reply.body().path("block").asInt()).isEqualTo(1);
    assertThat(reply.body().path("reason").asText()).isEqualTo("BAD_ARMOR");
    assertThat(send(HttpMethod.GET, families(family), null).status()).isEqualTo(404);
    assertThat(catalogSource.current().version()).isEqualTo(versionBefore);
  }

  @Test
  void secondBlockOfARootThatIsNotBase64IsBadBase64() throws Exception {
    String good =
        pki.root("CN=Good Root " + unique() + ",O=FleetTrust Test").build().cert().toPem();
    ObjectNode input = familyInput();
    input
        .putArray("builtInRoots")
        .add(good + "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n");

    Reply reply = send(HttpMethod.PUT, families("TEST-FAM-" + unique()), input.toString());

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.body().path("field").asText()).isEqualTo("$.builtInRoots[0]");
    assertThat(reply.body().path("block").asInt()).isEqualTo(2);
    assertThat(reply.body().path("reason").asText()).isEqualTo("BAD_BASE64");
  }

  @Test
  void bodyOverOneMebibyteIs413WithTheCertificatePayloadLimit() throws Exception {
    ObjectNode input = familyInput();
    input.put("source", "x".repeat(1024 * 1024));

    Reply reply = send(HttpMethod.PUT, families("TEST-FAM-" + unique()), input.toString());

    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.body().path("type").asText())
        .isEqualTo("https://fleettrust.dev/problems/payload-too-large");
    assertThat(reply.body().path("limitBytes").asLong()).isEqualTo(1_048_576L);
  }

  @Test
  void schemaViolationsAre400WithEveryJsonPath() throws Exception {
    Reply reply =
        send(
            HttpMethod.PUT,
            families("TEST-FAM-" + unique()),
            "{\"capabilities\":{\"wildcardNames\":\"yes\",\"signatureAlgorithms\":[\"md5\"],"
                + "\"osManagedTrust\":true},\"colour\":\"blue\"}");
    Reply badBuild =
        send(HttpMethod.PUT, builds("LPE-AIRES", "not a build"), "{\"releaseName\":\"x\"}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().findValuesAsText("field"))
        .contains(
            "$.colour",
            "$.capabilities.wildcardNames",
            "$.capabilities.signatureAlgorithms[0]",
            "$.capabilities.osManagedTrust");
    assertThat(badBuild.status()).isEqualTo(400);
    assertThat(badBuild.body().path("errors").get(0).path("location").asText()).isEqualTo("path");
    assertThat(badBuild.body().path("errors").get(0).path("field").asText()).isEqualTo("build");
  }

  @Test
  void bodyThatIsNotJsonIs415ListingJson() throws Exception {
    MutableHttpRequest<Object> request =
        HttpRequest.PUT(models("Acme T" + unique()), (Object) "vendor=Acme")
            .contentType(MediaType.TEXT_PLAIN_TYPE)
            .header("Authorization", tokens.bearer("admin"));

    HttpClientResponseException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            HttpClientResponseException.class,
            () -> client.toBlocking().exchange(request, String.class));

    assertThat(e.code()).as(e.getResponse().getBody(String.class).orElse("")).isEqualTo(415);
    assertThat(JSON.readTree(e.getResponse().getBody(String.class).orElseThrow()).path("supported"))
        .containsExactly(JSON.getNodeFactory().textNode("application/json"));
  }

  @Test
  void unknownModelFamilyAndBuildAre404() throws Exception {
    assertThat(send(HttpMethod.GET, models("No Such Phone " + unique()), null).status())
        .isEqualTo(404);
    assertThat(send(HttpMethod.GET, families("NO-SUCH-" + unique()), null).status()).isEqualTo(404);
    assertThat(send(HttpMethod.GET, builds("LPE-AIRES", "4.0.7577.1"), null).status())
        .isEqualTo(404);
  }

  @Test
  void aFreshCatalogSourceRebuildsTheSameCatalogFromTheEditTable() throws Exception {
    String family = "TEST-FAM-" + unique();
    send(HttpMethod.PUT, families(family), familyInput().toString());
    send(
        HttpMethod.PUT,
        builds(family, "5.1"),
        "{\"releaseName\":\"5.1\",\"releasedOn\":\"2020-02-02\","
            + "\"capabilities\":{\"maxChainDepth\":4},\"builtInRoots\":[]}");
    send(
        HttpMethod.PUT,
        models("Acme R" + unique()),
        "{\"vendor\":\"Acme\",\"family\":\"" + family + "\"}");
    CatalogState running = catalogService.state();

    CatalogService restarted = new CatalogService(store);
    CatalogState rebuilt = restarted.state();

    assertThat(rebuilt.catalog().version()).isEqualTo(running.catalog().version());
    assertThat(rebuilt.editCount()).isEqualTo(running.editCount()).isGreaterThanOrEqualTo(3);
    assertThat(rebuilt.family(family)).isEqualTo(running.family(family));
    assertThat(rebuilt.build(family, "5.1")).isEqualTo(running.build(family, "5.1"));
    FirmwareBuild build =
        restarted
            .current()
            .family(family)
            .orElseThrow()
            .build(dev.fleettrust.trust.BuildNumber.parse("5.1"))
            .orElseThrow();
    assertThat(build.capabilities().maxDepth()).contains(4);
    assertThat(catalogService.replayAll().catalog().version())
        .isEqualTo(running.catalog().version());
  }

  @Test
  void shippedFamiliesAndBuildsAreServedWithinTheContract() throws Exception {
    for (FirmwareFamily f : catalogSource.current().families()) {
      Reply family = send(HttpMethod.GET, families(f.id()), null);
      assertThat(family.status()).as(f.id()).isEqualTo(200);
      for (FirmwareBuild b : f.builds()) {
        Reply build = send(HttpMethod.GET, builds(f.id(), b.build().text()), null);
        assertThat(build.status()).as(f.id() + " " + b.build()).isEqualTo(200);
      }
    }
    Reply aries = send(HttpMethod.GET, families("LPE-ARIES"), null);
    assertThat(aries.body().path("family").asText()).isEqualTo("LPE-AIRES");
    JsonNode baltimore = aries.body().path("builtInRoots").get(0);
    assertThat(baltimore.path("subject").asText())
        .containsIgnoringCase("CN=Baltimore CyberTrust Root");
    assertThat(baltimore.path("spkiSha256").asText()).isEqualTo(BALTIMORE_SPKI);
    Reply cu11 = send(HttpMethod.GET, builds("LPE-AIRES", "4.0.7577.4420"), null);
    assertThat(cu11.body().path("effectiveCapabilities").path("wildcardNames").asBoolean())
        .isTrue();
    assertThat(cu11.body().path("builtInRoots").isArray()).isTrue();
  }

  // ------------------------------------------------------------------ helpers

  private ObjectNode familyInput() throws Exception {
    return (ObjectNode)
        JSON.readTree(
            """
            {
              "displayName": "Test phones",
              "vendor": "Acme",
              "capabilities": {
                "wildcardNames": false,
                "signatureAlgorithms": ["sha256WithRSAEncryption"],
                "usbTetherSkipsIntermediates": true,
                "checksRevocationReachability": false,
                "maxTlsVersion": "TLSv1.2",
                "minTlsVersion": "TLSv1.0",
                "ewsTrustsOnlyPoolIssuer": true,
                "keyTypes": ["RSA", "Ed25519"],
                "minRsaKeyBits": 2048,
                "maxRsaKeyBits": 4096,
                "requiresServerAuthEku": true,
                "fetchesIntermediatesFromAia": false,
                "maxChainDepth": 5
              },
              "builtInRoots": [
                "%s",
                {
                  "subject": "CN=Baltimore CyberTrust Root,OU=CyberTrust,O=Baltimore,C=IE",
                  "spkiSha256": "%s",
                  "notAfter": "2025-05-12T23:59:00Z"
                }
              ],
              "source": "CatalogApiTest"
            }
            """
                .formatted(testRootPem().replace("\n", "\\n"), BALTIMORE_SPKI));
  }

  private String testRootPem;

  private String testRootPem() {
    if (testRootPem == null) {
      testRootPem = pki.root("CN=Catalog Test Root,O=FleetTrust Test").build().cert().toPem();
    }
    return testRootPem;
  }

  private static String unique() {
    return UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
  }

  private static String models(String model) {
    return "/api/v1/catalog/models/"
        + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String families(String family) {
    return "/api/v1/catalog/families/" + family;
  }

  private static String builds(String family, String build) {
    return families(family)
        + "/builds/"
        + URLEncoder.encode(build, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private Reply send(HttpMethod method, String path, String body) throws Exception {
    MutableHttpRequest<Object> request =
        HttpRequest.create(method, path)
            .header("Authorization", tokens.bearer(method == HttpMethod.GET ? "viewer" : "admin"));
    if (body != null) {
      request.body(body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
    HttpResponse<String> response;
    try {
      response = client.toBlocking().exchange(request, String.class);
    } catch (HttpClientResponseException e) {
      String text = e.getResponse().getBody(String.class).orElse("");
      return new Reply(e.code(), text.isEmpty() ? JSON.nullNode() : JSON.readTree(text));
    }
    String text = response.getBody(String.class).orElse("");
    return new Reply(response.code(), text.isEmpty() ? JSON.nullNode() : JSON.readTree(text));
  }
}
