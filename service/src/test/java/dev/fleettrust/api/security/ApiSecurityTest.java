package dev.fleettrust.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fleettrust.testing.ApiSpec;
import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
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
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Who gets in (issue 11): every operation of {@code api-spec/openapi.yaml} × every kind of bad
 * token × every role the token claims is exactly {@code 401}; a good token is {@code 403} below the
 * operation's role and let in at or above it; never a {@code 500}. Management endpoints are the
 * admin's, and every response carries the security headers.
 */
@MicronautTest
class ApiSecurityTest extends IntegrationTest {
  private static final List<String> ROLES = List.of("viewer", "planner", "admin");

  @Inject
  @Client("/")
  HttpClient client;

  @Inject Tokens tokens;

  record Reply(int status, HttpResponse<?> response, String body) {}

  /** The kinds of token that must let no one in, each claiming {@code role}. */
  static Map<String, String> badTokens(String role) {
    Instant now = Instant.now();
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("garbage", "not-a-jwt");
    tokens.put("alg:none", unsigned(claims(role, now.minusSeconds(60), now.plusSeconds(3600))));
    tokens.put(
        "wrong key",
        signed(claims(role, now.minusSeconds(60), now.plusSeconds(3600)), randomSecret()));
    tokens.put(
        "expired",
        signed(claims(role, now.minusSeconds(7200), now.minusSeconds(3600)), JWT_SECRET));
    tokens.put(
        "not yet valid",
        signed(claims(role, now.plusSeconds(3600), now.plusSeconds(7200)), JWT_SECRET));
    tokens.put("no exp", signed(claims(role, now.minusSeconds(60), null), JWT_SECRET));
    return tokens;
  }

  @Test
  void everySecuredOperationNamesTheRoleItNeeds() {
    assertThat(
            ApiSpec.load().operations().stream()
                .filter(ApiSpec.Operation::secured)
                .filter(operation -> operation.requiredRole().isEmpty())
                .map(ApiSpec.Operation::name))
        .as("operations without x-required-role")
        .isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> everyOperationTurnsAwayEveryBadTokenWith401() {
    List<DynamicTest> tests = new ArrayList<>();
    for (ApiSpec.Operation operation : securedOperations()) {
      tests.add(
          DynamicTest.dynamicTest(
              operation.name() + " without a token",
              () -> assertUnauthorized(call(operation, Optional.empty()))));
      for (String role : ROLES) {
        badTokens(role)
            .forEach(
                (kind, token) ->
                    tests.add(
                        DynamicTest.dynamicTest(
                            operation.name() + " with a " + kind + " token claiming " + role,
                            () -> assertUnauthorized(call(operation, Optional.of(token))))));
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> everyOperationLetsInExactlyTheRolesItNames() {
    List<DynamicTest> tests = new ArrayList<>();
    for (ApiSpec.Operation operation : securedOperations()) {
      int required = ROLES.indexOf(operation.requiredRole().orElseThrow());
      for (String role : ROLES) {
        boolean allowed = ROLES.indexOf(role) >= required;
        tests.add(
            DynamicTest.dynamicTest(
                operation.name() + " as " + role + (allowed ? " is let in" : " is 403"),
                () -> {
                  Reply reply = call(operation, Optional.of(bearerless(tokens.bearer(role))));
                  assertThat(reply.status()).as(reply.body()).isLessThan(500);
                  if (allowed) {
                    assertThat(reply.status()).as(reply.body()).isNotIn(401, 403);
                  } else {
                    assertThat(reply.status()).as(reply.body()).isEqualTo(403);
                  }
                }));
      }
    }
    return tests.stream();
  }

  @Test
  void managementEndpointsAreTheAdminsAndRefreshAndBeansAreOff() {
    for (String path :
        List.of("/management/routes", "/management/threaddump", "/management/prometheus")) {
      assertUnauthorized(get(path, null));
      assertThat(get(path, "viewer").status()).as(path).isEqualTo(403);
      assertThat(get(path, "planner").status()).as(path).isEqualTo(403);
      assertThat(get(path, "admin").status()).as(path).isEqualTo(200);
    }
    Reply refresh = send(HttpRequest.POST("/management/refresh", "{}"), "admin");
    assertThat(refresh.status()).as(refresh.body()).isIn(403, 404, 405);
    Reply beans = get("/management/beans", "admin");
    assertThat(beans.status()).as(beans.body()).isIn(403, 404);
    assertThat(get("/management/health", null).status()).isEqualTo(200);
  }

  @Test
  void everyResponseCarriesTheSecurityHeaders() {
    Reply health = get("/health", null);
    Reply devices = get("/api/v1/devices?limit=1", "viewer");
    Reply refused = get("/api/v1/devices", null);
    Reply missing = get("/no-such-thing", "viewer");
    Reply swagger = get("/swagger-ui/index.html", null);
    for (Reply reply : List.of(health, devices, refused, missing, swagger)) {
      assertThat(reply.response().getHeaders().get("X-Content-Type-Options"))
          .as(reply.status() + " " + reply.body())
          .isEqualTo("nosniff");
    }
    assertThat(devices.response().getHeaders().get("Cache-Control")).isEqualTo("no-store");
    assertThat(refused.response().getHeaders().get("Cache-Control")).isEqualTo("no-store");
    assertThat(swagger.status()).isEqualTo(200);
    assertThat(swagger.response().getHeaders().get("Content-Security-Policy"))
        .contains("script-src 'self'")
        .contains("frame-ancestors 'none'");
    assertThat(swagger.body()).doesNotContain("<script>");
  }

  // ---------------------------------------------------------------- plumbing

  private List<ApiSpec.Operation> securedOperations() {
    return ApiSpec.load().operations().stream()
        .filter(ApiSpec.Operation::secured)
        .filter(operation -> operation.requiredRole().isPresent())
        .toList();
  }

  private static void assertUnauthorized(Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(401);
    assertThat(reply.response().getHeaders().get("WWW-Authenticate")).startsWith("Bearer");
    assertThat(reply.response().getContentType().map(MediaType::getName))
        .hasValue("application/problem+json");
  }

  private Reply call(ApiSpec.Operation operation, Optional<String> token) {
    String path =
        operation
            .path()
            .replace("{deviceId}", "00:04:f2:00:00:01")
            .replace("{id}", "00000000-0000-0000-0000-000000000000")
            .replace("{model}", "CX600")
            .replace("{family}", "LPE-AIRES")
            .replace("{build}", "4.0.7577.4420")
            .replace("{date}", "2026-12-06");
    MutableHttpRequest<Object> request =
        HttpRequest.create(HttpMethod.parse(operation.method()), path);
    ApiSpec.load().examples(operation).stream()
        .filter(example -> example.mediaType().equals(MediaType.APPLICATION_JSON))
        .findFirst()
        .ifPresent(
            example ->
                request.body(example.value().toString()).contentType(MediaType.APPLICATION_JSON));
    token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
    return exchange(request);
  }

  private Reply get(String path, String role) {
    return send(HttpRequest.GET(path), role);
  }

  private Reply send(MutableHttpRequest<?> request, String role) {
    if (role != null) {
      request.header("Authorization", tokens.bearer(role));
    }
    return exchange(request);
  }

  private Reply exchange(MutableHttpRequest<?> request) {
    try {
      HttpResponse<String> response = client.toBlocking().exchange(request, String.class);
      return new Reply(response.code(), response, response.getBody().orElse(""));
    } catch (HttpClientResponseException e) {
      return new Reply(e.code(), e.getResponse(), e.getResponse().getBody(String.class).orElse(""));
    }
  }

  private static String bearerless(String header) {
    return header.substring("Bearer ".length());
  }

  private static JWTClaimsSet claims(String role, Instant notBefore, Instant expires) {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .subject("attacker")
            .claim("roles", List.of(role))
            .issueTime(Date.from(Instant.now()))
            .notBeforeTime(Date.from(notBefore));
    if (expires != null) {
      claims.expirationTime(Date.from(expires));
    }
    return claims.build();
  }

  private static String signed(JWTClaimsSet claims, String secret) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String unsigned(JWTClaimsSet claims) {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String header =
        url.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = url.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + ".";
  }

  private static String randomSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
