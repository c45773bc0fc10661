package dev.fleettrust.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenApiContractTest {
  private final OpenApiContract contract = sample();

  private List<String> get(String path, int status, String type, String body) {
    return contract.violations("GET", path, status, type, body);
  }

  @Test
  void acceptsAResponseThatKeepsTheContract() {
    assertThat(
            get("/api/v1/things/42", 200, "application/json", "{\"id\":\"42\",\"verdict\":\"OK\"}"))
        .isEmpty();
    assertThat(
            get(
                "/api/v1/things/42",
                200,
                "application/json",
                "{\"id\":\"42\",\"verdict\":\"OK\",\"nextCursor\":null}"))
        .isEmpty();
  }

  @Test
  void flagsWrongTypeMissingFieldExtraFieldAndUnknownEnumValue() {
    assertThat(get("/api/v1/things/42", 200, "application/json", "{\"id\":42,\"verdict\":\"OK\"}"))
        .singleElement()
        .asString()
        .contains("$.id");
    assertThat(get("/api/v1/things/42", 200, "application/json", "{\"id\":\"42\"}"))
        .singleElement()
        .asString()
        .contains("verdict");
    assertThat(
            get(
                "/api/v1/things/42",
                200,
                "application/json",
                "{\"id\":\"42\",\"verdict\":\"OK\",\"extra\":1}"))
        .singleElement()
        .asString()
        .contains("extra");
    assertThat(
            get(
                "/api/v1/things/42",
                200,
                "application/json",
                "{\"id\":\"42\",\"verdict\":\"MAYBE\"}"))
        .singleElement()
        .asString()
        .contains("verdict");
  }

  @Test
  void followsResponseReferencesAndChecksProblemBodies() {
    assertThat(
            get(
                "/api/v1/things/42",
                404,
                "application/problem+json",
                "{\"type\":\"https://x/p\",\"status\":404}"))
        .isEmpty();
    assertThat(get("/api/v1/things/42", 404, "application/problem+json", "{\"status\":\"404\"}"))
        .hasSize(2);
  }

  @Test
  void flagsUndocumentedPathsStatusesAndMediaTypes() {
    assertThat(get("/api/v1/nothing", 200, "application/json", "{}"))
        .singleElement()
        .asString()
        .contains("path not documented");
    assertThat(get("/api/v1/things/42", 500, "application/json", "{}"))
        .singleElement()
        .asString()
        .contains("status not documented");
    assertThat(get("/api/v1/things/42", 200, "text/html", "<p>"))
        .singleElement()
        .asString()
        .contains("media type text/html not documented");
  }

  @Test
  void prefersLiteralPathsOverTemplates() {
    assertThat(get("/api/v1/things/special", 200, "text/csv", "a,b\n1,2\n")).isEmpty();
  }

  private static OpenApiContract sample() {
    try {
      return OpenApiContract.load(
          Path.of(OpenApiContractTest.class.getResource("/contract/sample-openapi.yaml").toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
