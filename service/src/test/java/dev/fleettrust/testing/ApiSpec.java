package dev.fleettrust.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operations of {@code api-spec/openapi.yaml} as tests walk them: every method and path, its
 * parameters and example bodies with {@code $ref}s resolved. Tests that derive their cases from
 * here cover an operation the moment it is documented.
 */
public final class ApiSpec {
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static ApiSpec loaded;

  private final JsonNode root;

  private ApiSpec(JsonNode root) {
    this.root = root;
  }

  public static synchronized ApiSpec load() {
    if (loaded == null) {
      String location = System.getProperty("fleettrust.api.spec", "../api-spec/openapi.yaml");
      try {
        loaded = new ApiSpec(YAML.readTree(Path.of(location).toFile()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return loaded;
  }

  /** One documented operation. */
  public record Operation(
      String method,
      String path,
      JsonNode node,
      List<Parameter> parameters,
      Optional<String> requiredRole,
      boolean secured) {
    public String name() {
      return method + " " + path;
    }

    public List<Parameter> in(String location) {
      return parameters.stream().filter(p -> p.in().equals(location)).toList();
    }

    /** The request body's media types, in the order the spec lists them. */
    public List<String> mediaTypes() {
      List<String> types = new ArrayList<>();
      node.path("requestBody").path("content").fieldNames().forEachRemaining(types::add);
      return types;
    }
  }

  public record Parameter(String name, String in, JsonNode schema, Optional<JsonNode> example) {}

  /** A named example body for one media type. */
  public record Example(String mediaType, String name, JsonNode value) {}

  public List<Operation> operations() {
    List<Operation> operations = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> entry = paths.next();
      JsonNode pathItem = entry.getValue();
      for (String method : METHODS) {
        JsonNode operation = pathItem.path(method);
        if (operation.isMissingNode()) {
          continue;
        }
        List<Parameter> parameters = new ArrayList<>();
        for (JsonNode list : List.of(pathItem.path("parameters"), operation.path("parameters"))) {
          for (JsonNode parameter : list) {
            JsonNode resolved = resolve(parameter);
            parameters.add(
                new Parameter(
                    resolved.path("name").asText(),
                    resolved.path("in").asText(),
                    resolve(resolved.path("schema")),
                    Optional.ofNullable(resolved.get("example"))));
          }
        }
        JsonNode security = operation.path("security");
        boolean secured = !(security.isArray() && security.isEmpty());
        operations.add(
            new Operation(
                method.toUpperCase(),
                entry.getKey(),
                operation,
                parameters,
                Optional.ofNullable(operation.get("x-required-role")).map(JsonNode::asText),
                secured));
      }
    }
    return operations;
  }

  /** Every example body the operation documents, {@code $ref}s resolved. */
  public List<Example> examples(Operation operation) {
    List<Example> examples = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> content =
        operation.node().path("requestBody").path("content").fields();
    while (content.hasNext()) {
      Map.Entry<String, JsonNode> media = content.next();
      if (media.getValue().has("example")) {
        examples.add(new Example(media.getKey(), "example", media.getValue().get("example")));
      }
      Iterator<Map.Entry<String, JsonNode>> named = media.getValue().path("examples").fields();
      while (named.hasNext()) {
        Map.Entry<String, JsonNode> example = named.next();
        JsonNode value = resolve(example.getValue()).get("value");
        if (value != null) {
          examples.add(new Example(media.getKey(), example.getKey(), value));
        }
      }
    }
    return examples;
  }

  /**
   * Follows a local {@code $ref} ({@code #/components/...}); other nodes are returned as they are.
   */
  public JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    for (int hops = 0; current.has("$ref") && hops < 10; hops++) {
      String ref = current.get("$ref").asText();
      if (!ref.startsWith("#/")) {
        return current;
      }
      current = root.at(ref.substring(1));
    }
    return current;
  }
}
