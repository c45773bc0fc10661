package dev.fleettrust.environment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleettrust.impact.CaStore;
import dev.fleettrust.impact.Environment;
import dev.fleettrust.impact.Pool;
import dev.fleettrust.impact.Usage;
import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
import dev.fleettrust.trust.TestPki;
import dev.fleettrust.trust.TlsVersion;
import dev.fleettrust.x509.Certificate;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code GET|PUT /api/v1/environment}: every PUT is a new revision, defaults are filled in, chains
 * reach the engine exactly as pasted (leaf first), and bad input is refused with the JSONPath of
 * the field.
 */
@MicronautTest(transactional = false)
class EnvironmentApiTest extends IntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATH = "/api/v1/environment";

  @Inject
  @Client("/")
  HttpClient client;

  @Inject Tokens tokens;
  @Inject EnvironmentSource environmentSource;

  private final TestPki pki = new TestPki();
  private final TestPki.Issued root = pki.root("CN=RootCA,DC=custdom,DC=com").build();
  private final TestPki.Issued issuing =
      pki.ca("CN=IssuingCA,DC=custdom,DC=com", root)
          .cdp("http://RootCA.custdom.com/CertEnroll/RootCA.crl")
          .build();
  private final TestPki.Issued pool =
      pki.leaf("CN=sfbpool.custdom.com,O=Custdom,C=US", issuing)
          .sans("sfbpool.custdom.com", "sip.custdom.com")
          .build();
  private final TestPki.Issued exchange =
      pki.leaf("CN=mail.custdom.com,O=Custdom,C=US", issuing).sans("mail.custdom.com").build();

  record Reply(int status, JsonNode body) {}

  @Test
  void everyPutIsANewRevisionAndGetReturnsTheLatestWithDefaultsFilledIn() throws Exception {
    long before = send("GET", null, "viewer").body().path("version").asLong();

    Reply first = send("PUT", document().toString(), "admin");
    ObjectNode second = document();
    ((ObjectNode) second.path("pools").get(0)).put("inferCertChainFromSsl", false);
    Reply secondPut = send("PUT", second.toString(), "admin");
    Reply read = send("GET", null, "viewer");

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body().path("version").asLong()).isEqualTo(before + 1);
    assertThat(secondPut.body().path("version").asLong()).isEqualTo(before + 2);
    assertThat(read.status()).isEqualTo(200);
    JsonNode env = read.body();
    assertThat(env.path("version").asLong()).isEqualTo(before + 2);
    assertThat(env.path("updatedBy").asText()).isEqualTo("test-admin");
    assertThat(env.path("updatedAt").asText()).isNotEmpty();
    JsonNode p = env.path("pools").get(0);
    assertThat(p.path("fqdn").asText()).isEqualTo("sfbpool.custdom.com");
    assertThat(p.path("sipFqdns")).isEmpty();
    assertThat(p.path("trustedCaCerts")).isEmpty();
    assertThat(p.path("inferCertChainFromSsl").asBoolean()).isFalse();
    assertThat(JSON.convertValue(p.path("tlsVersions"), List.class))
        .containsExactly("TLSv1.0", "TLSv1.1", "TLSv1.2");
    assertThat(p.path("certificates").path("DEFAULT").asText()).isEqualTo(chainPem());
    assertThat(p.path("certificates").has("WEB_SERVICES_INTERNAL")).isFalse();
    assertThat(env.path("exchange").get(0).path("ewsFqdn").asText()).isEqualTo("mail.custdom.com");
    assertThat(env.path("activeDirectoryCas")).hasSize(1);
    assertThat(env.path("sites").get(0).path("pinAuthentication").asBoolean()).isTrue();
    assertThat(JSON.convertValue(env.path("unresolvableHosts"), List.class))
        .containsExactly("RootCA.custdom.com");
  }

  @Test
  void theEngineSeesTheLatestRevisionWithChainsInTheOrderSent() throws Exception {
    ObjectNode doc = document();
    ObjectNode p = (ObjectNode) doc.path("pools").get(0);
    p.putArray("sipFqdns").add("sip.custdom.com");
    p.putArray("tlsVersions").add("TLSv1.2");
    p.putArray("trustedCaCerts")
        .addObject()
        .put("store", "TrustedRootCA")
        .put("pem", root.cert().toPem());
    ((ObjectNode) p.get("certificates"))
        .put("WEB_SERVICES_INTERNAL", pool.cert().toPem() + root.cert().toPem());

    Reply put = send("PUT", doc.toString(), "admin");
    CurrentEnvironment current = environmentSource.current();

    assertThat(put.status()).isEqualTo(200);
    assertThat(current.version()).isEqualTo(put.body().path("version").asLong());
    assertThat(current.updatedBy()).contains("test-admin");
    Environment env = current.environment();
    Pool sfb = env.pool("SFBPOOL.custdom.com").orElseThrow();
    assertThat(sfb.chain(Usage.DEFAULT).orElseThrow())
        .containsExactly(pool.cert(), issuing.cert(), root.cert());
    assertThat(sfb.chain(Usage.WEB_SERVICES_INTERNAL).orElseThrow())
        .containsExactly(pool.cert(), root.cert());
    assertThat(sfb.dialedFqdns()).containsExactly("sip.custdom.com");
    assertThat(sfb.effectiveTlsVersions()).containsExactly(TlsVersion.TLS_1_2);
    assertThat(sfb.trustedCaCerts()).hasSize(1);
    assertThat(sfb.trustedCaCerts().get(0).store()).isEqualTo(CaStore.TRUSTED_ROOT_CA);
    assertThat(env.exchangeHost("mail.custdom.com").orElseThrow().chain())
        .containsExactly(exchange.cert(), issuing.cert());
    assertThat(env.activeDirectoryCas()).containsExactly(root.cert());
    assertThat(env.site("HQ").orElseThrow().pinAuthentication()).isTrue();
    assertThat(env.resolvable("rootca.custdom.com")).isFalse();
    assertThat(environmentSource.current()).isSameAs(current);
  }

  @Test
  void unknownUsageKeyIs422WithItsJsonPathNot400() throws Exception {
    ObjectNode doc = document();
    ((ObjectNode) doc.path("pools").get(0).path("certificates"))
        .put("WEB_SERVICES", pool.cert().toPem());
    long before = environmentSource.current().version();

    Reply reply = send("PUT", doc.toString(), "admin");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.body().path("type").asText())
        .isEqualTo("https://fleettrust.dev/problems/unknown-reference");
    assertThat(reply.body().path("field").asText())
        .isEqualTo("$.pools[0].certificates.WEB_SERVICES");
    assertThat(reply.body().path("location").asText()).isEqualTo("body");
    assertThat(reply.body().path("kind").asText()).isEqualTo("USAGE");
    assertThat(reply.body().path("value").asText()).isEqualTo("WEB_SERVICES");
    assertThat(environmentSource.current().version()).isEqualTo(before);
  }

  @Test
  void privateKeyPastedAsAChainIs422NamingFieldBlockAndLabel() throws Exception {
    ObjectNode doc = document();
    ((ObjectNode) doc.path("pools").get(0).path("certificates"))
        .put(
            "DEFAULT",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAuXrmAgwrPf95yeetsyzg\n"
                + "-----END RSA PRIVATE KEY-----\n");

    Reply reply = send("PUT", doc.toString(), "admin");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.body().path("type").asText())
        .isEqualTo("https://fleettrust.dev/problems/invalid-certificate");
    assertThat(reply.body().path("field").asText()).isEqualTo("$.pools[0].certificates.DEFAULT");
    assertThat(reply.body().path("block").asInt()).isEqualTo(1);
    assertThat(reply.body().path("reason").asText()).isEqualTo("NOT_A_CERTIFICATE");
    assertThat(reply.body().path("blockLabel").asText()).isEqualTo("RSA PRIVATE KEY");
  }

  @Test
  void truncatedSecondBlockOfAnExchangeChainIsMalformedDer() throws Exception {
    ObjectNode doc = document();
    String truncated =
        java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
            .encodeToString(java.util.Arrays.copyOf(issuing.cert().encoded(), 300));
    ((ObjectNode) doc.path("exchange").get(0))
        .put(
            "certificate",
            exchange.cert().toPem()
                + "-----BEGIN CERTIFICATE-----\n"
                + truncated
                + "\n-----END CERTIFICATE-----\n");

    Reply reply = send("PUT", doc.toString(), "admin");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.body().path("field").asText()).isEqualTo("$.exchange[0].certificate");
    assertThat(reply.body().path("block").asInt()).isEqualTo(2);
    assertThat(reply.body().path("reason").asText()).isEqualTo("MALFORMED_DER");
  }

  @Test
  void schemaViolationsAre400WithTheirJsonPaths() throws Exception {
    ObjectNode doc = document();
    ObjectNode p = (ObjectNode) doc.path("pools").get(0);
    p.put("fqdn", "not a host");
    p.putArray("tlsVersions").add("SSLv3");
    ((ArrayNode) doc.get("pools")).add(document().path("pools").get(0));
    doc.put("colour", "blue");

    Reply reply = send("PUT", doc.toString(), "admin");
    Reply notJson = send("PUT", "{\"pools\": [", "admin");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().findValuesAsText("field"))
        .contains("$.pools[0].fqdn", "$.pools[0].tlsVersions[0]", "$.colour");
    assertThat(notJson.status()).isEqualTo(400);
  }

  @Test
  void viewerMayReadButNotReplaceAndNonJsonIs415() throws Exception {
    assertThat(send("PUT", document().toString(), "viewer").status()).isEqualTo(403);
    MutableHttpRequest<Object> yaml =
        HttpRequest.PUT(PATH, (Object) "pools: []")
            .contentType(MediaType.of("application/yaml"))
            .header("Authorization", tokens.bearer("admin"));
    HttpClientResponseException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            HttpClientResponseException.class,
            () -> client.toBlocking().exchange(yaml, String.class));
    assertThat(e.code()).isEqualTo(415);
  }

  @Test
  void bodyOverTenMebibytesIs413() throws Exception {
    ObjectNode doc = document();
    doc.putArray("unresolvableHosts").add("a".repeat(11 * 1024 * 1024));

    Reply reply = send("PUT", doc.toString(), "admin");

    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.body().path("type").asText())
        .isEqualTo("https://fleettrust.dev/problems/payload-too-large");
    assertThat(reply.body().path("limitBytes").asLong()).isEqualTo(10_485_760L);
  }

  // ------------------------------------------------------------------ helpers

  private String chainPem() {
    return pool.cert().toPem() + issuing.cert().toPem() + root.cert().toPem();
  }

  private ObjectNode document() {
    ObjectNode doc = JSON.createObjectNode();
    ObjectNode p = doc.putArray("pools").addObject();
    p.put("fqdn", "sfbpool.custdom.com");
    p.putObject("certificates").put("DEFAULT", chainPem());
    doc.putArray("exchange")
        .addObject()
        .put("ewsFqdn", "mail.custdom.com")
        .put("certificate", pem(exchange.cert(), issuing.cert()));
    doc.putArray("activeDirectoryCas").add(root.cert().toPem());
    doc.putArray("sites").addObject().put("name", "HQ").put("pinAuthentication", true);
    doc.putArray("unresolvableHosts").add("RootCA.custdom.com");
    return doc;
  }

  private static String pem(Certificate... certs) {
    StringBuilder sb = new StringBuilder();
    for (Certificate c : certs) {
      sb.append(c.toPem());
    }
    return sb.toString();
  }

  private Reply send(String method, String body, String role) throws Exception {
    MutableHttpRequest<Object> request =
        (method.equals("GET") ? HttpRequest.GET(PATH) : HttpRequest.PUT(PATH, (Object) body))
            .header("Authorization", tokens.bearer(role));
    if (body != null) {
      request.contentType(MediaType.APPLICATION_JSON_TYPE);
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
