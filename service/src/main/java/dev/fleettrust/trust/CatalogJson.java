package dev.fleettrust.trust;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.CertificateInputException;
import dev.fleettrust.x509.CertificateParser;
import dev.fleettrust.x509.DistinguishedName;
import dev.fleettrust.x509.TrustAnchor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads and writes the catalog as JSON. Two forms share one schema:
 *
 * <ul>
 *   <li>the bundled data files under {@code src/main/resources/catalog/}: {@code catalog.json}
 *       lists the models and names one file per family, and a root may point to a PEM file ({@code
 *       "file": "roots/X.pem"}); every fact carries a source, and loading fails otherwise;
 *   <li>a single self-contained document (families inline, roots as inline PEM or identities),
 *       which {@link #write} produces and {@link #read} accepts, for storing edited catalogs.
 * </ul>
 *
 * <p>A family: {@code family}, {@code name}, {@code vendor}, {@code aliases}, {@code
 * uncataloguedFrom}, {@code defaults} ({@code capabilities}, {@code builtInRoots}), {@code
 * sources}, {@code builds}. A build: {@code build}, {@code releaseName}, {@code releasedOn}, {@code
 * capabilities}, {@code builtInRoots}, {@code sources}. {@code builtInRoots} is a list of roots or
 * {@code null} for "not known" (in the bundled form also the name of a JSON file holding the list,
 * so builds can share one); on a build, absent or {@code null} means "as the family". A root is
 * {@code {"pem": …}}, {@code {"file": …}}, either optionally with {@code "asIdentity": true} and a
 * {@code notAfter} for the expiry of the copy the firmware carries, or an identity {@code
 * {"subjectCanonical": …, "spkiSha256": …, "notAfter": …}}; each may carry a {@code label}.
 *
 * <p>{@code builtInRoots} (or the file it names) may also be an object, for a list that is a
 * partial reconstruction (trust-rules.md: say so in the data): {@code {"complete": false, "source":
 * <why>, "roots": [...], "knownAbsent": [{"subject": <RFC 4514>, "source": …}],
 * "knownMembersWithoutKey": [...]}}. A plain list is complete; {@code null} is unknown.
 */
public final class CatalogJson {
  /** Where the bundled catalog lives on the class path. */
  public static final String BUNDLED = "catalog/catalog.json";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CatalogJson() {}

  /** The catalog shipped with the service. */
  public static Catalog loadBundled() {
    String text = resource(BUNDLED);
    return read(text, CatalogJson::resource, true);
  }

  /** Reads a self-contained catalog document as {@link #write} produces it. */
  public static Catalog read(String json) {
    return read(
        json,
        name -> {
          throw new CatalogFormatException(name, "file references need the bundled form");
        },
        false);
  }

  static Catalog read(String json, Function<String, String> files, boolean requireSources) {
    JsonNode root = parse(json, "$");
    String version = text(root, "version", "$").orElseThrow(() -> missing("$.version"));
    List<FirmwareFamily> families = new ArrayList<>();
    JsonNode familyNodes = root.path("families");
    for (int i = 0; i < familyNodes.size(); i++) {
      JsonNode f = familyNodes.get(i);
      String path = "$.families[" + i + "]";
      if (f.isTextual()) {
        path = f.asText();
        f = parse(files.apply(f.asText()), path);
      }
      families.add(family(f, path, files, requireSources));
    }
    List<DeviceModel> models = new ArrayList<>();
    JsonNode modelNodes = root.path("models");
    for (int i = 0; i < modelNodes.size(); i++) {
      JsonNode m = modelNodes.get(i);
      String path = "$.models[" + i + "]";
      String source = text(m, "source", path).orElse("");
      if (requireSources && source.isBlank()) {
        throw new CatalogFormatException(path, "a model needs a source");
      }
      models.add(
          new DeviceModel(
              text(m, "model", path).orElseThrow(() -> missing(path + ".model")),
              text(m, "vendor", path).orElse(""),
              text(m, "family", path).orElseThrow(() -> missing(path + ".family")),
              source));
    }
    try {
      return Catalog.of(version, models, families);
    } catch (IllegalArgumentException e) {
      throw new CatalogFormatException("$", e.getMessage(), e);
    }
  }

  private static FirmwareFamily family(
      JsonNode f, String path, Function<String, String> files, boolean requireSources) {
    String id = text(f, "family", path).orElseThrow(() -> missing(path + ".family"));
    JsonNode defaults = f.path("defaults");
    CapabilityOverrides caps = capabilities(defaults.path("capabilities"), path + ".defaults");
    JsonNode rootsNode = defaults.get("builtInRoots");
    RootStore roots =
        rootsNode == null || rootsNode.isNull()
            ? RootStore.UNKNOWN
            : roots(rootsNode, path + ".defaults.builtInRoots", files);
    Map<String, String> sources = sources(f.path("sources"));
    List<String> aliases = new ArrayList<>();
    f.path("aliases").forEach(a -> aliases.add(a.asText()));
    Optional<BuildNumber> from =
        text(f, "uncataloguedFrom", path).map(b -> build(b, path + ".uncataloguedFrom"));
    if (requireSources) {
      List<String> facts = new ArrayList<>(caps.toMap().keySet());
      if (roots.isKnown() || (rootsNode != null && rootsNode.isNull())) {
        facts.add("builtInRoots");
      }
      from.ifPresent(b -> facts.add("uncataloguedFrom"));
      requireSources(facts, sources, path);
    }
    List<FirmwareBuild> builds = new ArrayList<>();
    JsonNode buildNodes = f.path("builds");
    for (int i = 0; i < buildNodes.size(); i++) {
      builds.add(
          firmwareBuild(buildNodes.get(i), path + ".builds[" + i + "]", files, requireSources));
    }
    try {
      return new FirmwareFamily(
          id,
          text(f, "name", path).orElse(id),
          text(f, "vendor", path).orElse(""),
          aliases,
          caps,
          roots,
          from,
          sources,
          builds);
    } catch (IllegalArgumentException e) {
      throw new CatalogFormatException(path, e.getMessage(), e);
    }
  }

  private static FirmwareBuild firmwareBuild(
      JsonNode b, String path, Function<String, String> files, boolean requireSources) {
    BuildNumber number =
        build(text(b, "build", path).orElseThrow(() -> missing(path + ".build")), path + ".build");
    Optional<String> releaseName = text(b, "releaseName", path);
    Optional<LocalDate> releasedOn =
        text(b, "releasedOn", path)
            .map(
                d -> {
                  try {
                    return LocalDate.parse(d);
                  } catch (DateTimeParseException e) {
                    throw new CatalogFormatException(path + ".releasedOn", "not a date: " + d, e);
                  }
                });
    CapabilityOverrides caps = capabilities(b.path("capabilities"), path);
    JsonNode rootsNode = b.get("builtInRoots");
    Optional<RootStore> roots =
        rootsNode == null || rootsNode.isNull()
            ? Optional.empty()
            : Optional.of(roots(rootsNode, path + ".builtInRoots", files));
    Map<String, String> sources = sources(b.path("sources"));
    if (requireSources) {
      List<String> facts = new ArrayList<>(caps.toMap().keySet());
      releaseName.ifPresent(x -> facts.add("releaseName"));
      releasedOn.ifPresent(x -> facts.add("releasedOn"));
      roots.ifPresent(x -> facts.add("builtInRoots"));
      requireSources(facts, sources, path);
    }
    return new FirmwareBuild(number, releaseName, releasedOn, caps, roots, sources);
  }

  private static void requireSources(List<String> facts, Map<String, String> sources, String path) {
    for (String fact : facts) {
      String s = sources.get(fact);
      if (s == null || s.isBlank()) {
        throw new CatalogFormatException(path + ".sources", "no source for '" + fact + "'");
      }
    }
  }

  private static CapabilityOverrides capabilities(JsonNode node, String path) {
    if (node.isMissingNode() || node.isNull()) {
      return CapabilityOverrides.NONE;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = MAPPER.convertValue(node, Map.class);
    CapabilityOverrides.Parsed parsed = CapabilityOverrides.fromMap(map);
    if (parsed instanceof CapabilityOverrides.Parsed.Invalid bad) {
      throw new CatalogFormatException(path + ".capabilities." + bad.field(), bad.reason());
    }
    return ((CapabilityOverrides.Parsed.Ok) parsed).overrides();
  }

  private static RootStore roots(JsonNode node, String path, Function<String, String> files) {
    if (node.isTextual()) {
      // The bundled form shares one root list between builds: "builtInRoots": "roots/x.json".
      path = node.asText();
      node = parse(files.apply(node.asText()), path);
    }
    JsonNode list = node;
    String listPath = path;
    if (node.isObject()) {
      list = node.path("roots");
      listPath = path + ".roots";
    }
    if (!list.isArray()) {
      throw new CatalogFormatException(listPath, "expected a list of roots or null");
    }
    List<BuiltInRoot> roots = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      roots.add(root(list.get(i), listPath + "[" + i + "]", files));
    }
    if (!node.isObject()) {
      return RootStore.known(roots);
    }
    JsonNode complete = node.get("complete");
    if (complete == null || !complete.isBoolean()) {
      throw new CatalogFormatException(path + ".complete", "expected true or false");
    }
    if (complete.asBoolean()) {
      if (node.has("knownAbsent") || node.has("knownMembersWithoutKey")) {
        throw new CatalogFormatException(
            path, "knownAbsent and knownMembersWithoutKey describe an incomplete list");
      }
      return RootStore.known(roots);
    }
    String at = path;
    String source =
        text(node, "source", at)
            .filter(x -> !x.isBlank())
            .orElseThrow(
                () -> new CatalogFormatException(at + ".source", "say why it is incomplete"));
    return RootStore.incomplete(
        roots,
        new RootStore.Gaps(
            source,
            namedRoots(node.path("knownAbsent"), path + ".knownAbsent"),
            namedRoots(node.path("knownMembersWithoutKey"), path + ".knownMembersWithoutKey")));
  }

  /** Roots named by subject only ({@code {"subject": <RFC 4514>, "source": …}}). */
  private static List<RootStore.NamedRoot> namedRoots(JsonNode node, String path) {
    List<RootStore.NamedRoot> out = new ArrayList<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw new CatalogFormatException(path, "expected a list of {subject, source}");
    }
    for (int i = 0; i < node.size(); i++) {
      String at = path + "[" + i + "]";
      String subject = text(node.get(i), "subject", at).orElseThrow(() -> missing(at + ".subject"));
      String source =
          text(node.get(i), "source", at)
              .filter(x -> !x.isBlank())
              .orElseThrow(() -> missing(at + ".source"));
      try {
        out.add(new RootStore.NamedRoot(DistinguishedName.fromRfc4514(subject), source));
      } catch (IllegalArgumentException e) {
        throw new CatalogFormatException(at + ".subject", e.getMessage(), e);
      }
    }
    return out;
  }

  private static BuiltInRoot root(JsonNode r, String path, Function<String, String> files) {
    if (r.isTextual()) {
      return BuiltInRoot.of(new TrustAnchor.OfCertificate(certificate(r.asText(), path)));
    }
    Optional<Instant> notAfter = text(r, "notAfter", path).map(t -> instant(t, path + ".notAfter"));
    TrustAnchor anchor;
    Optional<String> pem = text(r, "pem", path).or(() -> text(r, "file", path).map(files));
    if (pem.isPresent()) {
      Certificate cert = certificate(pem.get(), path);
      boolean identity = r.path("asIdentity").asBoolean(false) || notAfter.isPresent();
      anchor =
          identity
              ? new TrustAnchor.OfIdentity(
                  cert.facts().subject().canonical(),
                  cert.facts().spkiSha256(),
                  notAfter.or(() -> Optional.of(cert.facts().notAfter())))
              : new TrustAnchor.OfCertificate(cert);
    } else {
      Optional<String> rfc4514 = text(r, "subject", path);
      String canonical;
      if (rfc4514.isPresent()) {
        try {
          canonical = DistinguishedName.fromRfc4514(rfc4514.get()).canonical();
        } catch (IllegalArgumentException e) {
          throw new CatalogFormatException(path + ".subject", e.getMessage(), e);
        }
      } else {
        canonical = text(r, "subjectCanonical", path).orElseThrow(() -> missing(path + ".subject"));
      }
      anchor =
          new TrustAnchor.OfIdentity(
              canonical,
              text(r, "spkiSha256", path).orElseThrow(() -> missing(path + ".spkiSha256")),
              notAfter);
      if (rfc4514.isPresent() && !r.has("label")) {
        return new BuiltInRoot(anchor, rfc4514.get());
      }
    }
    return new BuiltInRoot(anchor, text(r, "label", path).orElse(anchor.displayName()));
  }

  private static Certificate certificate(String pem, String path) {
    try {
      List<Certificate> certs = CertificateParser.parse(pem);
      if (certs.size() != 1) {
        throw new CatalogFormatException(path, "expected one certificate, got " + certs.size());
      }
      return certs.get(0);
    } catch (CertificateInputException e) {
      throw new CatalogFormatException(path, e.getMessage(), e);
    }
  }

  /**
   * The self-contained document for {@code catalog}: deterministic, so its hash names its content.
   */
  public static String write(Catalog catalog) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", catalog.version());
    ArrayNode models = root.putArray("models");
    for (DeviceModel m : catalog.models()) {
      ObjectNode n = models.addObject();
      n.put("model", m.model());
      n.put("vendor", m.vendor());
      n.put("family", m.family());
      n.put("source", m.source());
    }
    ArrayNode families = root.putArray("families");
    for (FirmwareFamily f : catalog.families()) {
      ObjectNode n = families.addObject();
      n.put("family", f.id());
      n.put("name", f.name());
      n.put("vendor", f.vendor());
      ArrayNode aliases = n.putArray("aliases");
      f.aliases().forEach(aliases::add);
      f.uncataloguedFrom().ifPresent(b -> n.put("uncataloguedFrom", b.text()));
      ObjectNode defaults = n.putObject("defaults");
      defaults.set("capabilities", MAPPER.valueToTree(f.defaults().toMap()));
      writeRoots(defaults, f.builtInRoots());
      n.set("sources", MAPPER.valueToTree(f.sources()));
      ArrayNode builds = n.putArray("builds");
      for (FirmwareBuild b : f.builds()) {
        ObjectNode bn = builds.addObject();
        bn.put("build", b.build().text());
        b.releaseName().ifPresent(x -> bn.put("releaseName", x));
        b.releasedOn().ifPresent(x -> bn.put("releasedOn", x.toString()));
        bn.set("capabilities", MAPPER.valueToTree(b.capabilities().toMap()));
        b.builtInRoots().ifPresent(r -> writeRoots(bn, r));
        bn.set("sources", MAPPER.valueToTree(b.sources()));
      }
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serialises", e);
    }
  }

  private static void writeRoots(ObjectNode parent, RootStore store) {
    if (!(store instanceof RootStore.Known known)) {
      parent.putNull("builtInRoots");
      return;
    }
    ArrayNode list;
    if (known.gaps().isPresent()) {
      RootStore.Gaps gaps = known.gaps().get();
      ObjectNode node = parent.putObject("builtInRoots");
      node.put("complete", false);
      node.put("source", gaps.source());
      list = node.putArray("roots");
      writeNamed(node.putArray("knownAbsent"), gaps.knownAbsent());
      writeNamed(node.putArray("knownMembersWithoutKey"), gaps.knownMembersWithoutKey());
    } else {
      list = parent.putArray("builtInRoots");
    }
    for (BuiltInRoot r : known.roots()) {
      ObjectNode n = list.addObject();
      n.put("label", r.label());
      if (r.anchor() instanceof TrustAnchor.OfCertificate c) {
        n.put("pem", c.certificate().toPem());
      } else {
        n.put("subjectCanonical", r.anchor().subjectCanonical());
        n.put("spkiSha256", r.anchor().spkiSha256());
        r.anchor().notAfter().ifPresent(t -> n.put("notAfter", t.toString()));
      }
    }
  }

  private static void writeNamed(ArrayNode array, List<RootStore.NamedRoot> named) {
    for (RootStore.NamedRoot r : named) {
      ObjectNode n = array.addObject();
      n.put("subject", r.subject().rfc4514());
      n.put("source", r.source());
    }
  }

  private static JsonNode parse(String json, String path) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new CatalogFormatException(path, "not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static Optional<String> text(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw new CatalogFormatException(path + "." + field, "expected a string");
    }
    return Optional.of(v.asText());
  }

  private static Map<String, String> sources(JsonNode node) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      m.put(e.getKey(), e.getValue().asText());
    }
    return m;
  }

  private static BuildNumber build(String text, String path) {
    try {
      return BuildNumber.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CatalogFormatException(path, e.getMessage(), e);
    }
  }

  private static Instant instant(String text, String path) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new CatalogFormatException(path, "not an ISO-8601 instant: " + text, e);
    }
  }

  private static CatalogFormatException missing(String path) {
    return new CatalogFormatException(path, "required");
  }

  private static String resource(String name) {
    try (InputStream in = CatalogJson.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new CatalogFormatException(name, "no such resource on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
