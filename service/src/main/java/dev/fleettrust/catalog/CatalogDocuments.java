package dev.fleettrust.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleettrust.catalog.CatalogEditSpec.BuildSpec;
import dev.fleettrust.catalog.CatalogEditSpec.FamilySpec;
import dev.fleettrust.catalog.CatalogEditSpec.ModelSpec;
import dev.fleettrust.trust.BuildNumber;
import dev.fleettrust.trust.CapabilityOverrides;
import dev.fleettrust.trust.TlsVersion;
import dev.fleettrust.x509.DistinguishedName;
import dev.fleettrust.x509.KeyType;
import dev.fleettrust.x509.SignatureAlgorithm;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The catalog edit documents: the request bodies of the catalog {@code PUT}s
 * (api-spec/openapi.yaml, {@code CatalogModelInput}, {@code FirmwareFamilyInput}, {@code
 * FirmwareBuildInput}) read into {@link CatalogEditSpec}s with every violation named by its
 * JSONPath, and the same documents written back for the {@code catalog_edit} table. Stored
 * documents are read with the same checks, so a replay can only apply what an API call could have.
 */
public final class CatalogDocuments {
  /** The body limit of every catalog {@code PUT} (contract.md: certificate payloads). */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  static final int MAX_ROOTS = 500;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final Pattern MODEL_NAME = Pattern.compile("^\\S(?:.*\\S)?$");
  private static final Pattern FAMILY_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
  private static final Pattern BUILD = Pattern.compile("^[0-9A-Za-z][0-9A-Za-z._-]*$");
  private static final Pattern SHA256_HEX = Pattern.compile("^[0-9A-F]{64}$");

  /**
   * The capabilities the API can express (the engine's names since it follows the spec), in the
   * spec's order.
   */
  private static final Map<String, String> WIRE_TO_ENGINE = new LinkedHashMap<>();

  static {
    WIRE_TO_ENGINE.put("wildcardNames", "wildcardNames");
    WIRE_TO_ENGINE.put("signatureAlgorithms", "signatureAlgorithms");
    WIRE_TO_ENGINE.put("usbTetherSkipsIntermediates", "usbTetherSkipsIntermediates");
    WIRE_TO_ENGINE.put("checksRevocationReachability", "checksRevocationReachability");
    WIRE_TO_ENGINE.put("maxTlsVersion", "maxTlsVersion");
    WIRE_TO_ENGINE.put("ewsTrustsOnlyPoolIssuer", "ewsTrustsOnlyPoolIssuer");
    WIRE_TO_ENGINE.put("keyTypes", "keyTypes");
    WIRE_TO_ENGINE.put("minRsaKeyBits", "minRsaKeyBits");
    WIRE_TO_ENGINE.put("maxRsaKeyBits", "maxRsaKeyBits");
    WIRE_TO_ENGINE.put("requiresServerAuthEku", "requiresServerAuthEku");
    WIRE_TO_ENGINE.put("fetchesIntermediatesFromAia", "fetchesIntermediatesFromAia");
    WIRE_TO_ENGINE.put("maxChainDepth", "maxChainDepth");
  }

  private static final String MIN_TLS_VERSION = "minTlsVersion";

  private CatalogDocuments() {}

  /** A violation of the documents' schema. */
  public record Violation(String field, String message) {
    public Violation {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(message, "message");
    }
  }

  /** A document read, or every reason it could not be. */
  public sealed interface Parsed<T> {
    record Ok<T>(T value) implements Parsed<T> {}

    record Invalid<T>(List<Violation> violations) implements Parsed<T> {
      public Invalid {
        violations = List.copyOf(violations);
      }
    }
  }

  /** Reads a request body as JSON; empty when it is not JSON at all. */
  public static Optional<JsonNode> readTree(byte[] body) {
    if (body == null || body.length == 0) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(JSON.readTree(body)).filter(n -> !n.isMissingNode());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  // ------------------------------------------------------------------ path parameters

  /** Why {@code model} is not a {@code ModelName}, if it is not. */
  public static Optional<String> modelNameProblem(String model) {
    if (model.isEmpty() || model.length() > 64 || !MODEL_NAME.matcher(model).matches()) {
      return Optional.of("must be 1 to 64 characters without surrounding white space");
    }
    return Optional.empty();
  }

  /** Why {@code family} is not a {@code FamilyId}, if it is not. */
  public static Optional<String> familyIdProblem(String family) {
    if (!FAMILY_ID.matcher(family).matches()) {
      return Optional.of("must match " + FAMILY_ID.pattern());
    }
    return Optional.empty();
  }

  /** Why {@code build} is not a firmware build number, if it is not. */
  public static Optional<String> buildProblem(String build) {
    if (build.isEmpty() || build.length() > 64 || !BUILD.matcher(build).matches()) {
      return Optional.of("must be 1 to 64 characters matching " + BUILD.pattern());
    }
    try {
      BuildNumber.parse(build);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of("is not a build number: " + e.getMessage());
    }
  }

  // ------------------------------------------------------------------ reading

  /** {@code CatalogModelInput} for the model named in the path. */
  public static Parsed<ModelSpec> readModel(String model, JsonNode body) {
    Checks c = new Checks();
    if (!c.object(body, "$", Set.of("vendor", "family"))) {
      return c.invalid();
    }
    Optional<String> vendor = c.string(body, "vendor", "$", 1, 64, true);
    Optional<String> family = c.familyId(body, "family", "$");
    if (!c.ok()) {
      return c.invalid();
    }
    return new Parsed.Ok<>(new ModelSpec(model, vendor.orElseThrow(), family.orElseThrow()));
  }

  /** {@code FirmwareFamilyInput} for the family named in the path. */
  public static Parsed<FamilySpec> readFamily(String family, JsonNode body) {
    Checks c = new Checks();
    if (!c.object(
        body, "$", Set.of("displayName", "vendor", "capabilities", "builtInRoots", "source"))) {
      return c.invalid();
    }
    Optional<String> displayName = c.string(body, "displayName", "$", 0, 128, false);
    Optional<String> vendor = c.string(body, "vendor", "$", 0, 64, false);
    CapabilitiesSpec capabilities = CapabilitiesSpec.NONE;
    if (!body.has("capabilities")) {
      c.add("$.capabilities", "is required");
    } else {
      capabilities = c.capabilities(body.get("capabilities"), "$.capabilities");
    }
    RootsSpec roots =
        body.has("builtInRoots")
            ? c.roots(body.get("builtInRoots"), "$.builtInRoots")
            : RootsSpec.UNKNOWN;
    Optional<String> source = c.string(body, "source", "$", 0, 2048, false);
    if (!c.ok()) {
      return c.invalid();
    }
    return new Parsed.Ok<>(
        new FamilySpec(family, displayName, vendor, capabilities, roots, source));
  }

  /** {@code FirmwareBuildInput} for the family and build named in the path. */
  public static Parsed<BuildSpec> readBuild(String family, String build, JsonNode body) {
    Checks c = new Checks();
    if (!c.object(
        body, "$", Set.of("releaseName", "releasedOn", "capabilities", "builtInRoots", "source"))) {
      return c.invalid();
    }
    Optional<String> releaseName = c.string(body, "releaseName", "$", 1, 128, true);
    Optional<LocalDate> releasedOn = Optional.empty();
    JsonNode released = body.get("releasedOn");
    if (released == null) {
      c.add("$.releasedOn", "is required (null when the date is not published)");
    } else if (!released.isNull()) {
      if (!released.isTextual()) {
        c.add("$.releasedOn", "must be a date (YYYY-MM-DD) or null");
      } else {
        try {
          releasedOn = Optional.of(LocalDate.parse(released.asText()));
        } catch (DateTimeParseException e) {
          c.add("$.releasedOn", "must be a date (YYYY-MM-DD) or null");
        }
      }
    }
    CapabilitiesSpec capabilities =
        body.has("capabilities")
            ? c.capabilities(body.get("capabilities"), "$.capabilities")
            : CapabilitiesSpec.NONE;
    RootsSpec roots =
        body.has("builtInRoots")
            ? c.roots(body.get("builtInRoots"), "$.builtInRoots")
            : RootsSpec.INHERIT;
    Optional<String> source = c.string(body, "source", "$", 0, 2048, false);
    if (!c.ok()) {
      return c.invalid();
    }
    return new Parsed.Ok<>(
        new BuildSpec(
            family, build, releaseName.orElseThrow(), releasedOn, capabilities, roots, source));
  }

  /** Reads a stored {@code catalog_edit.document} of {@code kind}. */
  public static Parsed<? extends CatalogEditSpec> readStored(
      CatalogEditSpec.Kind kind, String document) {
    JsonNode doc;
    try {
      doc = JSON.readTree(document);
    } catch (JsonProcessingException e) {
      return new Parsed.Invalid<>(List.of(new Violation("$", "not JSON")));
    }
    JsonNode path = doc.path("path");
    JsonNode body = doc.path("body");
    return switch (kind) {
      case MODEL -> readModel(path.path("model").asText(), body);
      case FAMILY -> readFamily(path.path("family").asText(), body);
      case BUILD -> readBuild(path.path("family").asText(), path.path("build").asText(), body);
    };
  }

  // ------------------------------------------------------------------ writing

  /** The document stored for {@code spec}: {@code {"path": {...}, "body": <request body>}}. */
  public static String writeStored(CatalogEditSpec spec) {
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    ObjectNode path = doc.putObject("path");
    ObjectNode body = doc.putObject("body");
    if (spec instanceof ModelSpec m) {
      path.put("model", m.model());
      body.put("vendor", m.vendor());
      body.put("family", m.family());
    } else if (spec instanceof FamilySpec f) {
      path.put("family", f.family());
      f.displayName().ifPresent(v -> body.put("displayName", v));
      f.vendor().ifPresent(v -> body.put("vendor", v));
      body.set("capabilities", writeCapabilities(f.capabilities()));
      writeRoots(body, f.builtInRoots());
      f.source().ifPresent(v -> body.put("source", v));
    } else {
      BuildSpec b = (BuildSpec) spec;
      path.put("family", b.family());
      path.put("build", b.build());
      body.put("releaseName", b.releaseName());
      if (b.releasedOn().isPresent()) {
        body.put("releasedOn", b.releasedOn().get().toString());
      } else {
        body.putNull("releasedOn");
      }
      body.set("capabilities", writeCapabilities(b.capabilities()));
      writeRoots(body, b.builtInRoots());
      b.source().ifPresent(v -> body.put("source", v));
    }
    try {
      return JSON.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serialises", e);
    }
  }

  /**
   * The API view of capabilities, in the spec's order and with its names: what the engine states
   * and the API can express (the engine-only {@code osManagedTrust} and {@code provisioningMethods}
   * are left out), plus {@code minTlsVersion}. Values are Booleans, Integers, Strings and lists of
   * Strings.
   */
  public static Map<String, Object> capabilitiesView(CapabilitiesSpec spec) {
    Map<String, Object> engine = spec.overrides().toMap();
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> names : WIRE_TO_ENGINE.entrySet()) {
      Object value = engine.get(names.getValue());
      if (value == null) {
        if (names.getKey().equals("maxTlsVersion")) {
          spec.minTlsVersion().ifPresent(v -> out.put(MIN_TLS_VERSION, v.wireName()));
        }
        continue;
      }
      out.put(names.getKey(), value);
      if (names.getKey().equals("maxTlsVersion")) {
        spec.minTlsVersion().ifPresent(v -> out.put(MIN_TLS_VERSION, v.wireName()));
      }
    }
    return out;
  }

  private static ObjectNode writeCapabilities(CapabilitiesSpec spec) {
    return JSON.valueToTree(capabilitiesView(spec));
  }

  private static void writeRoots(ObjectNode body, RootsSpec roots) {
    if (roots instanceof RootsSpec.Unknown) {
      body.putNull("builtInRoots");
    } else if (roots instanceof RootsSpec.Listed listed) {
      ArrayNode list = body.putArray("builtInRoots");
      for (RootSpec r : listed.roots()) {
        if (r instanceof RootSpec.Pem p) {
          list.add(p.pem());
        } else {
          RootSpec.Identity i = (RootSpec.Identity) r;
          ObjectNode n = list.addObject();
          n.put("subject", i.subject());
          n.put("spkiSha256", i.spkiSha256());
          i.notAfter().ifPresent(t -> n.put("notAfter", t.toString()));
        }
      }
    }
  }

  private static Optional<KeyType> engineKeyType(String wireName) {
    return switch (wireName) {
      case "RSA" -> Optional.of(KeyType.RSA);
      case "EC" -> Optional.of(KeyType.EC);
      case "Ed25519" -> Optional.of(KeyType.ED25519);
      default -> Optional.empty();
    };
  }

  // ------------------------------------------------------------------ checks

  /** Collects violations while a document is read. */
  private static final class Checks {
    private final List<Violation> violations = new ArrayList<>();

    void add(String field, String message) {
      violations.add(new Violation(field, message));
    }

    boolean ok() {
      return violations.isEmpty();
    }

    <T> Parsed<T> invalid() {
      return new Parsed.Invalid<>(violations);
    }

    boolean object(JsonNode node, String path, Set<String> allowed) {
      if (node == null || !node.isObject()) {
        add(path, "must be a JSON object");
        return false;
      }
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!allowed.contains(name)) {
          add(path + "." + name, "is not a known property");
        }
      }
      return true;
    }

    Optional<String> string(
        JsonNode parent, String name, String path, int min, int max, boolean required) {
      JsonNode v = parent.get(name);
      String field = path + "." + name;
      if (v == null) {
        if (required) {
          add(field, "is required");
        }
        return Optional.empty();
      }
      if (!v.isTextual()) {
        add(field, "must be a string");
        return Optional.empty();
      }
      String s = v.asText();
      if (s.length() < min || s.length() > max) {
        add(field, "must be " + min + " to " + max + " characters");
        return Optional.empty();
      }
      return Optional.of(s);
    }

    Optional<String> familyId(JsonNode parent, String name, String path) {
      Optional<String> s = string(parent, name, path, 1, 64, true);
      if (s.isPresent() && familyIdProblem(s.get()).isPresent()) {
        add(path + "." + name, familyIdProblem(s.get()).get());
        return Optional.empty();
      }
      return s;
    }

    CapabilitiesSpec capabilities(JsonNode node, String path) {
      if (!node.isObject()) {
        add(path, "must be a JSON object");
        return CapabilitiesSpec.NONE;
      }
      Map<String, Object> engine = new LinkedHashMap<>();
      Optional<TlsVersion> minTls = Optional.empty();
      int before = violations.size();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String wire = e.getKey();
        JsonNode v = e.getValue();
        String field = path + "." + wire;
        if (wire.equals(MIN_TLS_VERSION)) {
          minTls = tls(v, field);
          continue;
        }
        String engineName = WIRE_TO_ENGINE.get(wire);
        if (engineName == null) {
          add(field, "is not a known capability");
          continue;
        }
        switch (wire) {
          case "signatureAlgorithms" ->
              names(v, field, n -> SignatureAlgorithm.fromWireName(n).isPresent())
                  .ifPresent(l -> engine.put(engineName, l));
          case "keyTypes" ->
              names(v, field, n -> engineKeyType(n).isPresent())
                  .ifPresent(l -> engine.put(engineName, l));
          case "maxTlsVersion" ->
              tls(v, field).ifPresent(t -> engine.put(engineName, t.wireName()));
          case "minRsaKeyBits", "maxRsaKeyBits" ->
              integer(v, field, 512).ifPresent(i -> engine.put(engineName, i));
          case "maxChainDepth" -> integer(v, field, 1).ifPresent(i -> engine.put(engineName, i));
          default -> {
            if (v.isBoolean()) {
              engine.put(engineName, v.booleanValue());
            } else {
              add(field, "must be true or false");
            }
          }
        }
      }
      if (violations.size() > before) {
        return CapabilitiesSpec.NONE;
      }
      CapabilityOverrides.Parsed parsed = CapabilityOverrides.fromMap(engine);
      if (parsed instanceof CapabilityOverrides.Parsed.Invalid bad) {
        add(path + "." + wireName(bad.field()), bad.reason());
        return CapabilitiesSpec.NONE;
      }
      return new CapabilitiesSpec(((CapabilityOverrides.Parsed.Ok) parsed).overrides(), minTls);
    }

    private static String wireName(String engineName) {
      for (Map.Entry<String, String> e : WIRE_TO_ENGINE.entrySet()) {
        if (e.getValue().equals(engineName)) {
          return e.getKey();
        }
      }
      return engineName;
    }

    Optional<TlsVersion> tls(JsonNode v, String field) {
      Optional<TlsVersion> t =
          v.isTextual() ? TlsVersion.fromWireName(v.asText()) : Optional.empty();
      if (t.isEmpty()) {
        add(field, "must be one of TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3");
      }
      return t;
    }

    Optional<Integer> integer(JsonNode v, String field, int min) {
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min) {
        add(field, "must be an integer of at least " + min);
        return Optional.empty();
      }
      return Optional.of(v.intValue());
    }

    Optional<List<String>> names(
        JsonNode v, String field, java.util.function.Predicate<String> known) {
      if (!v.isArray()) {
        add(field, "must be a list");
        return Optional.empty();
      }
      List<String> out = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      boolean good = true;
      for (int i = 0; i < v.size(); i++) {
        JsonNode item = v.get(i);
        if (!item.isTextual() || !known.test(item.asText())) {
          add(field + "[" + i + "]", "is not a known value: " + item);
          good = false;
        } else if (!seen.add(item.asText())) {
          add(field + "[" + i + "]", "is listed twice");
          good = false;
        } else {
          out.add(item.asText());
        }
      }
      return good ? Optional.of(out) : Optional.empty();
    }

    RootsSpec roots(JsonNode node, String path) {
      if (node.isNull()) {
        return RootsSpec.UNKNOWN;
      }
      if (!node.isArray()) {
        add(path, "must be a list of roots, or null when unknown");
        return RootsSpec.UNKNOWN;
      }
      if (node.size() > MAX_ROOTS) {
        add(path, "holds more than " + MAX_ROOTS + " roots");
        return RootsSpec.UNKNOWN;
      }
      List<RootSpec> roots = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        JsonNode r = node.get(i);
        String field = path + "[" + i + "]";
        if (r.isTextual()) {
          if (r.asText().isEmpty()) {
            add(field, "must not be empty");
          } else {
            roots.add(new RootSpec.Pem(r.asText()));
          }
        } else if (r.isObject()) {
          identity(r, field).ifPresent(roots::add);
        } else {
          add(field, "must be a PEM certificate or {subject, spkiSha256, notAfter}");
        }
      }
      return new RootsSpec.Listed(roots);
    }

    private Optional<RootSpec> identity(JsonNode r, String field) {
      int before = violations.size();
      object(r, field, Set.of("subject", "spkiSha256", "notAfter"));
      Optional<String> subject = string(r, "subject", field, 1, 4096, true);
      if (subject.isPresent()) {
        try {
          DistinguishedName.fromRfc4514(subject.get());
        } catch (IllegalArgumentException e) {
          add(field + ".subject", "is not an RFC 4514 distinguished name");
        }
      }
      Optional<String> spki = string(r, "spkiSha256", field, 64, 64, true);
      if (spki.isPresent() && !SHA256_HEX.matcher(spki.get()).matches()) {
        add(field + ".spkiSha256", "must be 64 upper-case hex digits");
      }
      Optional<Instant> notAfter = Optional.empty();
      Optional<String> notAfterText = string(r, "notAfter", field, 1, 64, false);
      if (notAfterText.isPresent()) {
        try {
          notAfter = Optional.of(OffsetDateTime.parse(notAfterText.get()).toInstant());
        } catch (DateTimeParseException e) {
          add(field + ".notAfter", "must be an RFC 3339 date-time");
        }
      }
      if (violations.size() > before) {
        return Optional.empty();
      }
      return Optional.of(new RootSpec.Identity(subject.get(), spki.get(), notAfter));
    }
  }
}
