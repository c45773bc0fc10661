package dev.fleettrust.itsm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import freemarker.template.Template;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shipped ServiceNow and Jira templates render the example messages into exactly the example
 * payloads in api-spec/examples/, so the examples are what the service really sends.
 */
class PayloadTemplatesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Map<String, String>> VALUES =
      Map.of(
          "servicenow-import-set",
          Map.of("cmdbci", "Lync Phone Edition fleet", "assignmentgroup", "UC Operations"),
          "jira-create-issue",
          Map.of("projectkey", "UCOPS", "issuetype", "Change"));

  private static Path examples() {
    Path spec = Path.of(System.getProperty("fleettrust.api.spec", "../api-spec/openapi.yaml"));
    return spec.toAbsolutePath().getParent().resolve("examples");
  }

  @ParameterizedTest
  @CsvSource({
    "servicenow-import-set, fleettrust.impact.assessed",
    "servicenow-import-set, fleettrust.violation.opened",
    "servicenow-import-set, fleettrust.violation.resolved",
    "jira-create-issue, fleettrust.impact.assessed",
    "jira-create-issue, fleettrust.violation.opened"
  })
  void rendersTheExampleMessageIntoTheExamplePayload(String template, String type)
      throws Exception {
    Template loaded = PayloadTemplates.load("classpath:itsm/templates/" + template + ".json.ftl");
    @SuppressWarnings("unchecked")
    Map<String, Object> event =
        JSON.readValue(Files.readString(examples().resolve(type + ".json")), Map.class);

    String rendered = PayloadTemplates.render(loaded, event, VALUES.get(template));

    JsonNode payload = JSON.readTree(rendered);
    Path expected = examples().resolve(template.split("-")[0] + "." + type + ".json");
    assertThat(payload).isEqualTo(JSON.readTree(Files.readString(expected)));
  }
}
