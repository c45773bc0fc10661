package dev.fleettrust.apispec;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs api-spec/ through swagger-request-validator, the validator of the service's contract
 * test: every request and response example in openapi.yaml must pass, every event example must
 * pass (and every invalid one fail) as a POST /api/v1/events batch, and typical drift (a missing
 * required field, an extra property, a wrong enum value, a null where none is allowed) must be
 * reported. Exits 1 on any failure.
 */
public final class ContractCheck {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");
  private static final String TOKEN = "Bearer contract-check";

  /**
   * Invalid event examples a draft-04 validator cannot reject: they rely on a keyword newer than draft-04
   * (propertyNames). The service validates events with a 2020-12 validator, and lint.sh
   * checks these with ajv.
   */
  private static final Set<String> DRAFT4_BLIND = Set.of("device.reset.data-base64.json");

  private final JsonNode root;
  private final OpenApiInteractionValidator validator;
  private int checks;
  private int failures;

  private ContractCheck(JsonNode root, OpenApiInteractionValidator validator) {
    this.root = root;
    this.validator = validator;
  }

  public static void main(String[] args) throws IOException {
    Path specDir = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    Path spec = specDir.resolve("openapi.yaml");
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(spec.toFile());
    var check = new ContractCheck(root, OpenApi31Compat.validatorFor(spec).build());
    check.examples();
    check.eventFiles(specDir.resolve("events/examples"));
    check.drift();
    System.out.printf("contract check: %d checks, %d failures%n", check.checks, check.failures);
    System.exit(check.failures == 0 ? 0 : 1);
  }

  private void examples() {
    root.get("paths").fields().forEachRemaining(path -> {
      for (String m : METHODS) {
        JsonNode op = path.getValue().get(m);
        if (op == null) {
          continue;
        }
        String concrete = concretePath(path.getKey(), path.getValue(), op);
        Request.Method method = Request.Method.valueOf(m.toUpperCase());
        String label = m.toUpperCase() + " " + path.getKey();
        JsonNode body = op.get("requestBody");
        if (body != null) {
          body.get("content").fields().forEachRemaining(media ->
              examplesOf(media.getValue()).forEach((name, value) -> expectValid(
                  label + " request " + media.getKey() + " " + name,
                  validator.validateRequest(new SimpleRequest.Builder(method, concrete)
                      .withContentType(media.getKey())
                      .withHeader("Authorization", TOKEN)
                      .withBody(text(value))
                      .build()))));
        }
        op.get("responses").fields().forEachRemaining(entry -> {
          JsonNode response = deref(entry.getValue());
          if (response.get("content") == null) {
            return;
          }
          response.get("content").fields().forEachRemaining(media ->
              examplesOf(media.getValue()).forEach((name, value) -> {
                var builder = SimpleResponse.Builder.status(Integer.parseInt(entry.getKey()))
                    .withContentType(media.getKey())
                    .withBody(text(value));
                if (response.has("headers")) {
                  response.get("headers").fields().forEachRemaining(h ->
                      builder.withHeader(h.getKey(), deref(h.getValue()).get("example").asText()));
                }
                expectValid(label + " " + entry.getKey() + " " + media.getKey() + " " + name,
                    validator.validateResponse(concrete, method, builder.build()));
              }));
        });
      }
    });
  }

  private void eventFiles(Path examples) throws IOException {
    for (Path file : jsonFiles(examples)) {
      expectValid("event " + examples.relativize(file), postEvents("[" + Files.readString(file) + "]"));
    }
    for (Path file : jsonFiles(examples.resolve("invalid"))) {
      String name = file.getFileName().toString();
      ValidationReport report = postEvents("[" + Files.readString(file) + "]");
      if (DRAFT4_BLIND.contains(name)) {
        System.out.println("skip invalid/" + name + " (needs propertyNames, newer than draft-04; checked by ajv in lint.sh)");
      } else {
        expectInvalid("event invalid/" + name, report);
      }
    }
  }

  private void drift() {
    JsonNode completed = example("AssessmentCompleted");
    String assessments = "/api/v1/impact-assessments";
    expectInvalid("drift: verdicts without UNKNOWN",
        response(assessments, Request.Method.POST, 201, mutate(completed,
            n -> ((ObjectNode) n.at("/summary/verdicts")).remove("UNKNOWN"))));
    expectInvalid("drift: extra property in summary",
        response(assessments, Request.Method.POST, 201, mutate(completed,
            n -> ((ObjectNode) n.get("summary")).put("breaks", 3))));
    expectInvalid("drift: unknown rule ID",
        response(assessments, Request.Method.POST, 201, mutate(completed,
            n -> ((ObjectNode) n.at("/summary/findings/0")).put("rule", "UNTRUSTED_CA"))));
    expectInvalid("drift: COMPLETED without summary",
        response(assessments, Request.Method.POST, 201, mutate(completed,
            n -> ((ObjectNode) n).remove("summary"))));
    expectInvalid("drift: devices as a string",
        response(assessments, Request.Method.POST, 201, mutate(completed,
            n -> ((ObjectNode) n.get("summary")).put("devices", "1500"))));
    JsonNode device = example("DeviceCx600");
    String devicePath = "/api/v1/devices/00:04:f2:1a:2b:3c";
    expectInvalid("drift: null firstSeenAt",
        response(devicePath, Request.Method.GET, 200, mutate(device,
            n -> ((ObjectNode) n).putNull("firstSeenAt"))));
    expectInvalid("drift: retiredAt as a number",
        response(devicePath, Request.Method.GET, 200, mutate(device,
            n -> ((ObjectNode) n).put("retiredAt", 5))));
    expectInvalid("drift: device ID not normalised",
        response(devicePath, Request.Method.GET, 200, mutate(device,
            n -> ((ObjectNode) n).put("deviceId", "00-04-F2-1A-2B-3C"))));
    expectInvalid("drift: lastSignIn left out instead of null",
        response(devicePath, Request.Method.GET, 200, mutate(device,
            n -> ((ObjectNode) n).remove("lastSignIn"))));
    expectInvalid("drift: unknown provenance",
        response(devicePath, Request.Method.GET, 200, mutate(device,
            n -> ((ObjectNode) n.at("/anchors/1")).put("provenance", "DOWNLOADED"))));
    JsonNode forbidden = example("ForbiddenAdminProblem");
    expectInvalid("drift: problem type about:blank",
        response("/api/v1/environment", Request.Method.PUT, 403, mutate(forbidden,
            n -> ((ObjectNode) n).put("type", "about:blank"))));
    expectInvalid("drift: problem with a stack trace",
        response("/api/v1/environment", Request.Method.PUT, 403, mutate(forbidden,
            n -> ((ObjectNode) n).put("stackTrace", "java.lang.IllegalStateException"))));
    expectInvalid("drift: health without kafka",
        response("/health", Request.Method.GET, 200, mutate(example("HealthUp"),
            n -> ((ObjectNode) n.get("components")).remove("kafka"))));
    expectInvalid("drift: rejected event without reason",
        response("/api/v1/events", Request.Method.POST, 200, mutate(example("EventBatchResultMixed"),
            n -> ((ObjectNode) n.at("/results/1")).remove("reason"))));
    expectInvalid("drift: built-in root neither PEM nor identity",
        response("/api/v1/catalog/families/LPE-ARIES", Request.Method.GET, 200,
            mutate(example("FirmwareFamilyLpeAries"),
                n -> ((com.fasterxml.jackson.databind.node.ArrayNode) n.get("builtInRoots")).add(42))));
    expectInvalid("drift: request with an unknown usage key",
        validator.validateRequest(SimpleRequest.Builder.put("/api/v1/environment")
            .withContentType("application/json")
            .withHeader("Authorization", TOKEN)
            .withBody(text(mutate(example("EnvironmentInputCustdom"),
                n -> ((ObjectNode) n.at("/pools/0/certificates")).put("WEB_SERVICES", "x"))))
            .build()));
  }

  private ValidationReport postEvents(String body) {
    return validator.validateRequest(SimpleRequest.Builder.post("/api/v1/events")
        .withContentType("application/json")
        .withHeader("Authorization", TOKEN)
        .withBody(body)
        .build());
  }

  private ValidationReport response(String path, Request.Method method, int status, JsonNode body) {
    return validator.validateResponse(path, method, SimpleResponse.Builder.status(status)
        .withContentType(status >= 400 ? "application/problem+json" : "application/json")
        .withHeader("Location", "/api/v1/impact-assessments/6f1c2b7e-3d4a-4e8f-9a0b-1c2d3e4f5a6b")
        .withBody(text(body))
        .build());
  }

  private void expectValid(String what, ValidationReport report) {
    checks++;
    if (report.hasErrors()) {
      failures++;
      System.out.println("FAIL " + what);
      report.getMessages().forEach(m ->
          System.out.println("     " + m.getKey() + ": " + m.getMessage().replace('\n', ' ')));
    } else {
      System.out.println("ok   " + what);
    }
  }

  private void expectInvalid(String what, ValidationReport report) {
    checks++;
    if (report.hasErrors()) {
      String first = report.getMessages().get(0).getMessage().replace('\n', ' ');
      System.out.println("ok   " + what + " is reported: " + first.substring(0, Math.min(110, first.length())));
    } else {
      failures++;
      System.out.println("FAIL " + what + " is NOT reported");
    }
  }

  private JsonNode example(String name) {
    return root.at("/components/examples/" + name + "/value");
  }

  private static JsonNode mutate(JsonNode node, Consumer<JsonNode> change) {
    JsonNode copy = node.deepCopy();
    change.accept(copy);
    return copy;
  }

  private static String text(JsonNode value) {
    try {
      return value.isTextual() ? value.asText() : JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, JsonNode> examplesOf(JsonNode media) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (media.has("example")) {
      out.put("example", media.get("example"));
    }
    if (media.has("examples")) {
      media.get("examples").fields().forEachRemaining(e -> out.put(e.getKey(), deref(e.getValue()).get("value")));
    }
    return out;
  }

  private JsonNode deref(JsonNode node) {
    JsonNode n = node;
    while (n.has("$ref")) {
      n = root.at(n.get("$ref").asText().substring(1));
    }
    return n;
  }

  private String concretePath(String template, JsonNode pathItem, JsonNode op) {
    List<JsonNode> parameters = new ArrayList<>();
    for (JsonNode holder : List.of(pathItem, op)) {
      if (holder.has("parameters")) {
        holder.get("parameters").forEach(parameters::add);
      }
    }
    String path = template;
    for (JsonNode p : parameters) {
      JsonNode d = deref(p);
      if ("path".equals(d.get("in").asText())) {
        path = path.replace("{" + d.get("name").asText() + "}", d.get("example").asText());
      }
    }
    return path;
  }

  private static List<Path> jsonFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }
}
