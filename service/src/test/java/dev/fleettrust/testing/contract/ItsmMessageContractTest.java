package dev.fleettrust.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ItsmMessageContractTest {
  private static String example(String type) throws IOException {
    Path spec = Path.of(System.getProperty("fleettrust.api.spec", "../api-spec/openapi.yaml"));
    return Files.readString(
        spec.toAbsolutePath().getParent().resolve("examples/" + type + ".json"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "fleettrust.impact.assessed",
        "fleettrust.violation.opened",
        "fleettrust.violation.updated",
        "fleettrust.violation.resolved"
      })
  void theExampleKeepsTheSchemaAndADamagedCopyDoesNot(String type) throws IOException {
    String example = example(type);
    assertThat(ItsmMessageContract.violations(example)).isEmpty();
    assertThat(ItsmMessageContract.violations(example.replace("\"1.0\"", "\"0.3\""))).isNotEmpty();
    assertThat(
            ItsmMessageContract.violations(
                example.replace("\"datacontenttype\"", "\"extra\": 1, \"datacontenttype\"")))
        .isNotEmpty();
  }
}
