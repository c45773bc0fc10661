package dev.fleettrust.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every secured operation in {@code api-spec/openapi.yaml} is called with no token (401), with a
 * token whose role is below the operation's {@code x-required-role} (403), and with the required
 * role (neither 401 nor 403). The operations come from the spec, so a new endpoint is covered the
 * moment it is documented.
 */
@MicronautTest
class AuthorizationMatrixTest extends IntegrationTest {
  private static final List<String> ROLES_LOWEST_FIRST = List.of("viewer", "planner", "admin");
  private static final Map<String, String> SAMPLE_PATH_VALUES =
      Map.of(
          "deviceId", "00:04:f2:00:00:01",
          "id", "00000000-0000-0000-0000-000000000000",
          "model", "CX600",
          "family", "LPE-AIRES",
          "build", "4.0.7577.4420",
          "date", "2026-12-06");

  @Inject
  @Client("/")
  HttpClient client;

  @Inject Tokens tokens;

  record Operation(String method, String path, String requiredRole, Optional<String> exampleBody) {
    String name() {
      return method + " " + path;
    }
  }

  @Test
  void everySecuredOperationNamesTheRoleItNeeds() throws IOException {
    List<String> missing = new ArrayList<>();
    forEachOperation(
        (method, path, operation) -> {
          if (isSecured(operation) && !operation.has("x-required-role")) {
            missing.add(method + " " + path);
          }
        });
    assertThat(missing).as("operations without x-required-role").isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> everySecuredOperationChecksTokenAndRole() throws IOException {
    List<Operation> operations = securedOperations();
    return operations.stream()
        .flatMap(
            operation -> {
              List<DynamicTest> tests = new ArrayList<>();
              tests.add(
                  DynamicTest.dynamicTest(
                      operation.name() + " without a token is 401",
                      () -> assertThat(status(operation, null)).isEqualTo(401)));
              int required = ROLES_LOWEST_FIRST.indexOf(operation.requiredRole());
              String below = required > 0 ? ROLES_LOWEST_FIRST.get(required - 1) : "phone";
              tests.add(
                  DynamicTest.dynamicTest(
                      operation.name() + " with role " + below + " is 403",
                      () -> assertThat(status(operation, below)).isEqualTo(403)));
              tests.add(
                  DynamicTest.dynamicTest(
                      operation.name() + " with role " + operation.requiredRole() + " is let in",
                      () ->
                          assertThat(status(operation, operation.requiredRole()))
                              .isNotIn(401, 403)));
              return tests.stream();
            });
  }

  private int status(Operation operation, String role) {
    String path = operation.path();
    for (Map.Entry<String, String> value : SAMPLE_PATH_VALUES.entrySet()) {
      path = path.replace("{" + value.getKey() + "}", value.getValue());
    }
    MutableHttpRequest<Object> request =
        HttpRequest.create(HttpMethod.parse(operation.method()), path);
    operation
        .exampleBody()
        .ifPresent(body -> request.body(body).contentType(MediaType.APPLICATION_JSON_TYPE));
    if (role != null) {
      request.header("Authorization", tokens.bearer(role));
    }
    try {
      return client.toBlocking().exchange(request, String.class).code();
    } catch (HttpClientResponseException e) {
      return e.code();
    }
  }

  private interface OperationVisitor {
    void visit(String method, String path, JsonNode operation) throws IOException;
  }

  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

  private static JsonNode spec() throws IOException {
    String location = System.getProperty("fleettrust.api.spec", "../api-spec/openapi.yaml");
    return new ObjectMapper(new YAMLFactory()).readTree(Path.of(location).toFile());
  }

  private static void forEachOperation(OperationVisitor visitor) throws IOException {
    JsonNode paths = spec().path("paths");
    Iterator<Map.Entry<String, JsonNode>> entries = paths.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      for (String method : METHODS) {
        JsonNode operation = entry.getValue().path(method);
        if (!operation.isMissingNode()) {
          visitor.visit(method.toUpperCase(), entry.getKey(), operation);
        }
      }
    }
  }

  private static boolean isSecured(JsonNode operation) {
    JsonNode security = operation.path("security");
    return !(security.isArray() && security.isEmpty());
  }

  private static List<Operation> securedOperations() throws IOException {
    List<Operation> operations = new ArrayList<>();
    forEachOperation(
        (method, path, operation) -> {
          if (isSecured(operation) && operation.has("x-required-role")) {
            operations.add(
                new Operation(
                    method,
                    path,
                    operation.get("x-required-role").asText(),
                    exampleBody(operation)));
          }
        });
    return operations;
  }

  private static Optional<String> exampleBody(JsonNode operation) {
    JsonNode content = operation.path("requestBody").path("content");
    Iterator<JsonNode> mediaTypes = content.elements();
    while (mediaTypes.hasNext()) {
      JsonNode media = mediaTypes.next();
      if (media.has("example")) {
        return Optional.of(media.get("example").toString());
      }
      Iterator<JsonNode> examples = media.path("examples").elements();
      if (examples.hasNext()) {
        return Optional.of(examples.next().path("value").toString());
      }
    }
    return content.isMissingNode() ? Optional.empty() : Optional.of("{}");
  }
}
