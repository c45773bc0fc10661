package dev.fleettrust.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
import dev.fleettrust.trust.TestPki;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/certificates/lint}: certificate facts in the order given and x509's
 * pre-flight findings with the contract's rule IDs, as JSON or as a raw PEM file.
 */
@MicronautTest(transactional = false)
class CertificateLintApiTest extends IntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATH = "/api/v1/certificates/lint";

  @Inject
  @Client("/")
  HttpClient client;

  @Inject Tokens tokens;

  private final TestPki pki = new TestPki();
  private final TestPki.Issued root = pki.root("CN=RootCA,DC=custdom,DC=com").build();

  /** An MD5-signed issuing CA under which a PSS-signed wildcard leaf without CDP sits. */
  private final TestPki.Issued md5Issuing =
      pki.ca("CN=IssuingCA,DC=custdom,DC=com", root).signedWith("MD5withRSA").build();

  private final TestPki.Issued pssWildcardLeaf =
      pki.leaf("CN=*.custdom.com,O=Custdom,C=US", md5Issuing)
          .signedWith("SHA256withRSAandMGF1")
          .sans("*.custdom.com")
          .build();

  record Reply(int status, JsonNode body) {}

  @Test
  void flagsMd5PssWildcardCnNoCdpAndMissingRootWithExactRuleIds() throws Exception {
    String pem = pssWildcardLeaf.cert().toPem() + md5Issuing.cert().toPem();
    String body =
        JSON.createObjectNode()
            .put("pem", pem)
            .put("evaluateAt", "2026-12-01T22:00:00Z")
            .toString();

    Reply reply = post(body, MediaType.APPLICATION_JSON_TYPE, "planner", null);

    assertThat(reply.status()).isEqualTo(200);
    JsonNode result = reply.body();
    assertThat(result.path("evaluateAt").asText()).isEqualTo("2026-12-01T22:00:00Z");
    assertThat(rules(result))
        .containsExactlyInAnyOrder(
            "LINT_MD5_SIGNATURE",
            "LINT_RSASSA_PSS",
            "LINT_WILDCARD_CN",
            "LINT_NO_CRL_DISTRIBUTION_POINT",
            "LINT_NO_SELF_SIGNED_ROOT");
    assertThat(finding(result, "LINT_MD5_SIGNATURE").path("certificate").path("index").asInt())
        .isEqualTo(1);
    assertThat(finding(result, "LINT_RSASSA_PSS").path("certificate").path("index").asInt())
        .isEqualTo(0);
    assertThat(finding(result, "LINT_WILDCARD_CN").path("severity").asText()).isEqualTo("ERROR");
    assertThat(finding(result, "LINT_NO_SELF_SIGNED_ROOT").has("certificate")).isFalse();
    assertThat(
            finding(result, "LINT_MD5_SIGNATURE")
                .path("certificate")
                .path("sha256Fingerprint")
                .asText())
        .isEqualTo(md5Issuing.cert().sha256().toUpperCase(Locale.ROOT));

    JsonNode leaf = result.path("certificates").get(0);
    assertThat(leaf.path("index").asInt()).isZero();
    assertThat(leaf.path("subject").asText()).isEqualTo("CN=*.custdom.com,O=Custdom,C=US");
    assertThat(leaf.path("signatureAlgorithm").asText()).isEqualTo("RSASSA-PSS");
    assertThat(leaf.path("signatureHash").asText()).isEqualTo("SHA-256");
    assertThat(leaf.path("keyType").asText()).isEqualTo("RSA");
    assertThat(leaf.path("keySize").asInt()).isEqualTo(2048);
    assertThat(leaf.path("subjectAltNames").get(0).path("wildcard").asBoolean()).isTrue();
    assertThat(leaf.path("extendedKeyUsages").toString()).contains("serverAuth");
    assertThat(leaf.path("crlDistributionPoints")).isEmpty();
    JsonNode issuing = result.path("certificates").get(1);
    assertThat(issuing.path("signatureAlgorithm").asText()).isEqualTo("md5WithRSAEncryption");
    assertThat(issuing.path("ca").asBoolean()).isTrue();
  }

  @Test
  void acceptsARawPemFileWithEvaluateAtInTheQuery() throws Exception {
    String pem =
        "subject=CN=RootCA\r\n" + root.cert().toPem().replace("\n", "\r\n") + "trailing text\r\n";

    Reply reply =
        post(pem, MediaType.of("application/x-pem-file"), "planner", "2026-12-01T22:00:00Z");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().path("evaluateAt").asText()).isEqualTo("2026-12-01T22:00:00Z");
    assertThat(reply.body().path("certificates")).hasSize(1);
    assertThat(reply.body().path("certificates").get(0).path("selfSigned").asBoolean()).isTrue();
  }

  @Test
  void truncatedSecondBlockIs422NamingFieldBlockAndReason() throws Exception {
    String truncated =
        Base64.getMimeEncoder(64, new byte[] {'\n'})
            .encodeToString(Arrays.copyOf(md5Issuing.cert().encoded(), 200));
    String pem =
        pssWildcardLeaf.cert().toPem()
            + "-----BEGIN CERTIFICATE-----\n"
            + truncated
            + "\n-----END CERTIFICATE-----\n";

    Reply json =
        post(
            JSON.createObjectNode().put("pem", pem).toString(),
            MediaType.APPLICATION_JSON_TYPE,
            "planner",
            null);
    Reply raw = post(pem, MediaType.of("application/x-pem-file"), "planner", null);

    assertThat(json.status()).isEqualTo(422);
    assertThat(json.body().path("type").asText())
        .isEqualTo("https://fleettrust.dev/problems/invalid-certificate");
    assertThat(json.body().path("field").asText()).isEqualTo("$.pem");
    assertThat(json.body().path("block").asInt()).isEqualTo(2);
    assertThat(json.body().path("reason").asText()).isEqualTo("MALFORMED_DER");
    assertThat(raw.status()).isEqualTo(422);
    assertThat(raw.body().path("field").asText()).isEqualTo("$");
  }

  @Test
  void emptyPemIs422WithoutABlock() throws Exception {
    Reply reply =
        post(
            JSON.createObjectNode().put("pem", "  \n").toString(),
            MediaType.APPLICATION_JSON_TYPE,
            "planner",
            null);

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.body().path("reason").asText()).isEqualTo("EMPTY");
    assertThat(reply.body().get("block").isNull()).isTrue();
  }

  @Test
  void bodyOverOneMebibyteIs413() throws Exception {
    String pem = root.cert().toPem() + "x".repeat(1024 * 1024);

    Reply reply =
        post(
            JSON.createObjectNode().put("pem", pem).toString(),
            MediaType.APPLICATION_JSON_TYPE,
            "planner",
            null);

    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.body().path("limitBytes").asLong()).isEqualTo(1_048_576L);
  }

  @Test
  void derFileIs415() throws Exception {
    Reply reply =
        post(
            new String(root.cert().encoded(), java.nio.charset.StandardCharsets.ISO_8859_1),
            MediaType.of("application/pkix-cert"),
            "planner",
            null);

    assertThat(reply.status()).isEqualTo(415);
    assertThat(reply.body().path("supported").toString())
        .contains("application/json", "application/x-pem-file");
  }

  @Test
  void badEvaluateAtIs400() throws Exception {
    Reply reply =
        post(
            JSON.createObjectNode()
                .put("pem", root.cert().toPem())
                .put("evaluateAt", "tomorrow")
                .toString(),
            MediaType.APPLICATION_JSON_TYPE,
            "planner",
            null);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().path("errors").get(0).path("field").asText()).isEqualTo("$.evaluateAt");
  }

  // ------------------------------------------------------------------ helpers

  private static List<String> rules(JsonNode result) {
    List<String> rules = new ArrayList<>();
    result.path("findings").forEach(f -> rules.add(f.path("rule").asText()));
    return rules;
  }

  private static JsonNode finding(JsonNode result, String rule) {
    for (JsonNode f : result.path("findings")) {
      if (f.path("rule").asText().equals(rule)) {
        return f;
      }
    }
    throw new AssertionError("no finding " + rule + " in " + result);
  }

  private Reply post(String body, MediaType type, String role, String evaluateAt) throws Exception {
    String uri = evaluateAt == null ? PATH : PATH + "?evaluateAt=" + evaluateAt;
    MutableHttpRequest<Object> request =
        HttpRequest.POST(uri, (Object) body)
            .contentType(type)
            .header("Authorization", tokens.bearer(role));
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
