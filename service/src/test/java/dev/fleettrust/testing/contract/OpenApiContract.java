package dev.fleettrust.testing.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks a real HTTP exchange against {@code api-spec/openapi.yaml}: the path, method, status and
 * media type must be documented, and a JSON body must validate against the documented schema under
 * JSON Schema 2020-12 with the OpenAPI 3.1 dialect.
 */
public final class OpenApiContract {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode spec;
  private final String specUri;
  private final List<PathTemplate> paths;
  private final JsonSchemaFactory schemas;
  private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

  private OpenApiContract(Path specFile) {
    try {
      this.spec = new ObjectMapper(new YAMLFactory()).readTree(specFile.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the API spec " + specFile, e);
    }
    this.specUri = specFile.toAbsolutePath().normalize().toUri().toString();
    this.paths = pathTemplates(spec.path("paths"));
    this.schemas =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder ->
                builder
                    .metaSchema(OpenApi31.getInstance())
                    .defaultMetaSchemaIri(OpenApi31.getInstance().getIri()));
  }

  public static OpenApiContract load(Path specFile) {
    return new OpenApiContract(specFile);
  }

  /** The spec the build points the tests at ({@code fleettrust.api.spec}). */
  public static OpenApiContract fromBuild() {
    String location = System.getProperty("fleettrust.api.spec", "../api-spec/openapi.yaml");
    return load(Path.of(location));
  }

  /** Everything about this exchange that the spec does not allow; empty when it keeps it. */
  public List<String> violations(
      String method, String path, int status, String contentType, String body) {
    String exchange = method + " " + path + " -> " + status;
    Optional<PathTemplate> template = match(path);
    if (template.isEmpty()) {
      return List.of(exchange + ": path not documented");
    }
    JsonNode operation = template.get().item().path(method.toLowerCase(Locale.ROOT));
    if (operation.isMissingNode()) {
      return List.of(exchange + ": method not documented for " + template.get().raw());
    }
    JsonNode responses = operation.path("responses");
    String statusKey = String.valueOf(status);
    String rangeKey = (status / 100) + "XX";
    String responseKey =
        responses.has(statusKey)
            ? statusKey
            : responses.has(rangeKey) ? rangeKey : responses.has("default") ? "default" : null;
    if (responseKey == null) {
      return List.of(
          exchange + ": status not documented for " + method + " " + template.get().raw());
    }
    JsonNode response = resolve(responses.path(responseKey));
    boolean hasBody = body != null && !body.isEmpty();
    JsonNode content = response.path("content");
    if (!hasBody) {
      return List.of();
    }
    if (content.isMissingNode() || content.isEmpty()) {
      return List.of(exchange + ": a body was sent but the spec documents none");
    }
    String mediaType = baseMediaType(contentType);
    String mediaKey = content.has(mediaType) ? mediaType : content.has("*/*") ? "*/*" : null;
    if (mediaKey == null) {
      return List.of(exchange + ": media type " + mediaType + " not documented");
    }
    if (!isJson(mediaType)) {
      return List.of();
    }
    String pointer =
        "/paths/"
            + escape(template.get().raw())
            + "/"
            + method.toLowerCase(Locale.ROOT)
            + "/responses/"
            + escape(responseKey);
    JsonNode rawResponse = responses.path(responseKey);
    if (rawResponse.has("$ref")) {
      pointer = rawResponse.get("$ref").asText().substring(1);
    }
    pointer += "/content/" + escape(mediaKey) + "/schema";
    return validate(exchange, pointer, body);
  }

  private List<String> validate(String exchange, String pointer, String body) {
    JsonNode instance;
    try {
      instance = JSON.readTree(body);
    } catch (IOException e) {
      return List.of(exchange + ": body is not JSON: " + e.getMessage());
    }
    JsonSchema schema =
        compiled.computeIfAbsent(
            pointer, p -> schemas.getSchema(SchemaLocation.of(specUri + "#" + encodeFragment(p))));
    List<String> violations = new ArrayList<>();
    for (ValidationMessage message : schema.validate(instance)) {
      violations.add(exchange + ": " + message.getMessage());
    }
    return violations;
  }

  private JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    while (current.has("$ref")) {
      current = spec.at(current.get("$ref").asText().substring(1));
    }
    return current;
  }

  private Optional<PathTemplate> match(String path) {
    return paths.stream().filter(t -> t.pattern().matcher(path).matches()).findFirst();
  }

  private static List<PathTemplate> pathTemplates(JsonNode pathsNode) {
    List<PathTemplate> templates = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = pathsNode.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String regex = "\\Q" + field.getKey().replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
      templates.add(new PathTemplate(field.getKey(), Pattern.compile(regex), field.getValue()));
    }
    // Literal segments win over templated ones: /impact-assessments/compare before /{id}.
    templates.sort(Comparator.comparingLong(t -> t.raw().chars().filter(c -> c == '{').count()));
    return templates;
  }

  private static String baseMediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  private static boolean isJson(String mediaType) {
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private static String encodeFragment(String pointer) {
    return pointer.replace("{", "%7B").replace("}", "%7D");
  }

  private record PathTemplate(String raw, Pattern pattern, JsonNode item) {}
}
