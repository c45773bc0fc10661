package dev.fleettrust.environment;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleettrust.environment.EnvironmentDocument.ExchangeDocument;
import dev.fleettrust.environment.EnvironmentDocument.PoolDocument;
import dev.fleettrust.environment.EnvironmentDocument.SiteDocument;
import dev.fleettrust.environment.EnvironmentDocument.TrustedCaDocument;
import dev.fleettrust.impact.CaStore;
import dev.fleettrust.impact.Environment;
import dev.fleettrust.impact.ExchangeHost;
import dev.fleettrust.impact.Pool;
import dev.fleettrust.impact.Site;
import dev.fleettrust.impact.TrustedCaCert;
import dev.fleettrust.impact.Usage;
import dev.fleettrust.trust.TlsVersion;
import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.CertificateInputException;
import dev.fleettrust.x509.CertificateParser;
import dev.fleettrust.x509.Crl;
import dev.fleettrust.x509.CrlParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the environment document ({@code EnvironmentInput} of api-spec/openapi.yaml) with every
 * violation named by its JSONPath, fills in the defaults, writes it back for storage, and maps it
 * to the engine's {@link Environment} (parsing every chain, leaf first, in the order pasted).
 */
public final class EnvironmentDocuments {
  /** The body limit of {@code PUT /api/v1/environment} (contract.md, "Errors and limits"). */
  public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

  /** What a pool accepts when the document does not say (the Lync/SfB defaults). */
  static final List<TlsVersion> DEFAULT_TLS =
      List.of(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1, TlsVersion.TLS_1_2);

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final Pattern HOSTNAME =
      Pattern.compile(
          "^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private EnvironmentDocuments() {}

  public record Violation(String field, String message) {
    public Violation {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(message, "message");
    }
  }

  /** A document read, or why not. */
  public sealed interface Parsed {
    record Ok(EnvironmentDocument document) implements Parsed {}

    record Invalid(List<Violation> violations) implements Parsed {
      public Invalid {
        violations = List.copyOf(violations);
      }
    }

    /**
     * A certificates key that is not a usage: {@code 422}, not {@code 400} (the spec's "unknown
     * reference" rule).
     */
    record UnknownUsage(String field, String value) implements Parsed {}
  }

  /** The engine's environment, or the first PEM field that does not parse. */
  public sealed interface Mapped {
    record Ok(Environment environment) implements Mapped {}

    /**
     * @param field JSONPath of the PEM field, e.g. {@code $.pools[0].certificates.DEFAULT}
     * @param pem the field's text
     */
    record InvalidCertificate(String field, String pem, CertificateInputException error)
        implements Mapped {}
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

  // ------------------------------------------------------------------ reading

  public static Parsed read(JsonNode body) {
    Checks c = new Checks();
    if (!c.object(
        body,
        "$",
        Set.of(
            "pools",
            "exchange",
            "activeDirectoryCas",
            "sites",
            "unresolvableHosts",
            "revocationLists"))) {
      return c.result(null);
    }
    List<PoolDocument> pools = new ArrayList<>();
    if (!body.has("pools")) {
      c.add("$.pools", "is required");
    } else {
      c.list(
          body.get("pools"), "$.pools", (item, path) -> c.pool(item, path).ifPresent(pools::add));
    }
    Set<String> poolNames = new HashSet<>();
    for (int i = 0; i < pools.size(); i++) {
      if (!poolNames.add(normalise(pools.get(i).fqdn()))) {
        c.add("$.pools[" + i + "].fqdn", "names a pool listed before");
      }
    }
    List<ExchangeDocument> exchange = new ArrayList<>();
    if (body.has("exchange")) {
      c.list(
          body.get("exchange"),
          "$.exchange",
          (item, path) -> c.exchange(item, path).ifPresent(exchange::add));
    }
    Set<String> hosts = new HashSet<>();
    for (int i = 0; i < exchange.size(); i++) {
      if (!hosts.add(normalise(exchange.get(i).ewsFqdn()))) {
        c.add("$.exchange[" + i + "].ewsFqdn", "names an Exchange host listed before");
      }
    }
    List<String> adCas = new ArrayList<>();
    if (body.has("activeDirectoryCas")) {
      c.list(
          body.get("activeDirectoryCas"),
          "$.activeDirectoryCas",
          (item, path) -> c.pem(item, path).ifPresent(adCas::add));
    }
    List<SiteDocument> sites = new ArrayList<>();
    if (body.has("sites")) {
      c.list(
          body.get("sites"), "$.sites", (item, path) -> c.site(item, path).ifPresent(sites::add));
    }
    Set<String> siteNames = new HashSet<>();
    for (int i = 0; i < sites.size(); i++) {
      if (!siteNames.add(sites.get(i).name().strip().toLowerCase(Locale.ROOT))) {
        c.add("$.sites[" + i + "].name", "names a site listed before");
      }
    }
    List<String> unresolvable =
        body.has("unresolvableHosts")
            ? c.hostnames(body.get("unresolvableHosts"), "$.unresolvableHosts")
            : List.of();
    List<String> crls = new ArrayList<>();
    Set<String> crlIssuers = new HashSet<>();
    if (body.has("revocationLists")) {
      c.list(
          body.get("revocationLists"),
          "$.revocationLists",
          (item, path) ->
              c.crl(item, path)
                  .ifPresent(
                      crl -> {
                        if (crlIssuers.add(crl.facts().issuer().canonical())) {
                          crls.add(item.asText());
                        } else {
                          c.add(
                              path,
                              "is a second CRL of the same CA; the environment holds each CA's current one");
                        }
                      }));
    }
    return c.result(new EnvironmentDocument(pools, exchange, adCas, sites, unresolvable, crls));
  }

  /** Reads a stored {@code environment_revision.document}. */
  public static Parsed readStored(String document) {
    try {
      return read(JSON.readTree(document));
    } catch (JsonProcessingException e) {
      return new Parsed.Invalid(List.of(new Violation("$", "not JSON")));
    }
  }

  /** Parses a {@code revocationLists} entry: PEM when it has a BEGIN line, else base64 DER. */
  public static List<Crl> parseCrl(String text) throws CertificateInputException {
    if (text.contains("-----BEGIN")) {
      return CrlParser.parse(text);
    }
    byte[] der;
    try {
      der = java.util.Base64.getMimeDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      throw new CertificateInputException(
          CertificateInputException.Reason.MALFORMED_DER,
          "neither PEM nor base64 (" + e.getMessage() + ")");
    }
    return CrlParser.parse(der);
  }

  // ------------------------------------------------------------------ writing

  /** The stored form: the document with its defaults filled in. */
  public static String write(EnvironmentDocument doc) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ArrayNode pools = root.putArray("pools");
    for (PoolDocument p : doc.pools()) {
      ObjectNode n = pools.addObject();
      n.put("fqdn", p.fqdn());
      ArrayNode sip = n.putArray("sipFqdns");
      p.sipFqdns().forEach(sip::add);
      ObjectNode certs = n.putObject("certificates");
      p.certificates().forEach((u, pem) -> certs.put(u.name(), pem));
      ArrayNode trusted = n.putArray("trustedCaCerts");
      for (TrustedCaDocument t : p.trustedCaCerts()) {
        trusted.addObject().put("store", t.store().wireName()).put("pem", t.pem());
      }
      n.put("inferCertChainFromSsl", p.inferCertChainFromSsl());
      ArrayNode tls = n.putArray("tlsVersions");
      p.tlsVersions().forEach(v -> tls.add(v.wireName()));
    }
    ArrayNode exchange = root.putArray("exchange");
    for (ExchangeDocument e : doc.exchange()) {
      exchange.addObject().put("ewsFqdn", e.ewsFqdn()).put("certificate", e.certificate());
    }
    ArrayNode ad = root.putArray("activeDirectoryCas");
    doc.activeDirectoryCas().forEach(ad::add);
    ArrayNode sites = root.putArray("sites");
    for (SiteDocument s : doc.sites()) {
      sites.addObject().put("name", s.name()).put("pinAuthentication", s.pinAuthentication());
    }
    ArrayNode hosts = root.putArray("unresolvableHosts");
    doc.unresolvableHosts().forEach(hosts::add);
    ArrayNode crls = root.putArray("revocationLists");
    doc.revocationLists().forEach(crls::add);
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serialises", e);
    }
  }

  // ------------------------------------------------------------------ mapping

  /**
   * The engine's environment for {@code doc}: every chain parsed in the order pasted (leaf first,
   * contract.md "Chains"), every single-certificate field allowed to hold several certificates.
   */
  public static Mapped toEngine(EnvironmentDocument doc) {
    try {
      List<Pool> pools = new ArrayList<>();
      for (int i = 0; i < doc.pools().size(); i++) {
        PoolDocument p = doc.pools().get(i);
        String at = "$.pools[" + i + "]";
        Map<Usage, List<Certificate>> chains = new EnumMap<>(Usage.class);
        for (Map.Entry<Usage, String> e : p.certificates().entrySet()) {
          chains.put(e.getKey(), parse(at + ".certificates." + e.getKey().name(), e.getValue()));
        }
        List<TrustedCaCert> trusted = new ArrayList<>();
        for (int j = 0; j < p.trustedCaCerts().size(); j++) {
          TrustedCaDocument t = p.trustedCaCerts().get(j);
          for (Certificate c : parse(at + ".trustedCaCerts[" + j + "].pem", t.pem())) {
            trusted.add(new TrustedCaCert(t.store(), c));
          }
        }
        pools.add(
            new Pool(
                p.fqdn(),
                p.sipFqdns(),
                chains,
                trusted,
                p.inferCertChainFromSsl(),
                new LinkedHashSet<>(p.tlsVersions())));
      }
      List<ExchangeHost> exchange = new ArrayList<>();
      for (int i = 0; i < doc.exchange().size(); i++) {
        ExchangeDocument e = doc.exchange().get(i);
        exchange.add(
            new ExchangeHost(
                e.ewsFqdn(), parse("$.exchange[" + i + "].certificate", e.certificate())));
      }
      List<Certificate> adCas = new ArrayList<>();
      for (int i = 0; i < doc.activeDirectoryCas().size(); i++) {
        adCas.addAll(parse("$.activeDirectoryCas[" + i + "]", doc.activeDirectoryCas().get(i)));
      }
      List<Site> sites =
          doc.sites().stream().map(s -> new Site(s.name(), s.pinAuthentication())).toList();
      return new Mapped.Ok(
          new Environment(pools, exchange, adCas, sites, Set.copyOf(doc.unresolvableHosts())));
    } catch (PemFieldException e) {
      return new Mapped.InvalidCertificate(e.field, e.pem, e.error);
    }
  }

  private static List<Certificate> parse(String field, String pem) throws PemFieldException {
    try {
      return CertificateParser.parse(pem);
    } catch (CertificateInputException e) {
      throw new PemFieldException(field, pem, e);
    }
  }

  /** Carries a PEM failure out of the nested loops above; never leaves this class. */
  private static final class PemFieldException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final transient String pem;
    private final transient CertificateInputException error;

    PemFieldException(String field, String pem, CertificateInputException error) {
      super(field, null, false, false);
      this.field = field;
      this.pem = pem;
      this.error = error;
    }
  }

  private static String normalise(String host) {
    return host.strip().toLowerCase(Locale.ROOT);
  }

  // ------------------------------------------------------------------ checks

  private interface ItemReader {
    void read(JsonNode item, String path);
  }

  private static final class Checks {
    private final List<Violation> violations = new ArrayList<>();
    private Parsed.UnknownUsage unknownUsage;

    void add(String field, String message) {
      violations.add(new Violation(field, message));
    }

    Parsed result(EnvironmentDocument doc) {
      if (!violations.isEmpty()) {
        return new Parsed.Invalid(violations);
      }
      if (unknownUsage != null) {
        return unknownUsage;
      }
      return new Parsed.Ok(doc);
    }

    boolean object(JsonNode node, String path, Set<String> allowed) {
      if (node == null || !node.isObject()) {
        add(path, "must be a JSON object");
        return false;
      }
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!allowed.contains(name)) {
          add(member(path, name), "is not a known property");
        }
      }
      return true;
    }

    void list(JsonNode node, String path, ItemReader reader) {
      if (!node.isArray()) {
        add(path, "must be a list");
        return;
      }
      for (int i = 0; i < node.size(); i++) {
        reader.read(node.get(i), path + "[" + i + "]");
      }
    }

    Optional<PoolDocument> pool(JsonNode node, String path) {
      int before = violations.size();
      if (!object(
          node,
          path,
          Set.of(
              "fqdn",
              "sipFqdns",
              "certificates",
              "trustedCaCerts",
              "inferCertChainFromSsl",
              "tlsVersions"))) {
        return Optional.empty();
      }
      Optional<String> fqdn = hostname(node.get("fqdn"), path + ".fqdn", true);
      List<String> sip =
          node.has("sipFqdns") ? hostnames(node.get("sipFqdns"), path + ".sipFqdns") : List.of();
      Map<Usage, String> certs = new EnumMap<>(Usage.class);
      JsonNode certsNode = node.get("certificates");
      if (certsNode == null) {
        add(path + ".certificates", "is required");
      } else if (!certsNode.isObject() || certsNode.isEmpty()) {
        add(path + ".certificates", "must be an object with a chain for at least one usage");
      } else {
        for (Iterator<Map.Entry<String, JsonNode>> it = certsNode.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          String field = member(path + ".certificates", e.getKey());
          Optional<Usage> usage = usage(e.getKey());
          if (usage.isEmpty()) {
            if (unknownUsage == null) {
              unknownUsage = new Parsed.UnknownUsage(field, e.getKey());
            }
            continue;
          }
          pem(e.getValue(), field).ifPresent(p -> certs.put(usage.get(), p));
        }
      }
      List<TrustedCaDocument> trusted = new ArrayList<>();
      if (node.has("trustedCaCerts")) {
        list(
            node.get("trustedCaCerts"),
            path + ".trustedCaCerts",
            (item, at) -> trustedCa(item, at).ifPresent(trusted::add));
      }
      boolean infer = true;
      JsonNode inferNode = node.get("inferCertChainFromSsl");
      if (inferNode != null) {
        if (inferNode.isBoolean()) {
          infer = inferNode.booleanValue();
        } else {
          add(path + ".inferCertChainFromSsl", "must be true or false");
        }
      }
      List<TlsVersion> tls = DEFAULT_TLS;
      if (node.has("tlsVersions")) {
        tls = tlsVersions(node.get("tlsVersions"), path + ".tlsVersions");
      }
      if (violations.size() > before || fqdn.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new PoolDocument(fqdn.get(), sip, certs, trusted, infer, tls));
    }

    Optional<TrustedCaDocument> trustedCa(JsonNode node, String path) {
      int before = violations.size();
      if (!object(node, path, Set.of("store", "pem"))) {
        return Optional.empty();
      }
      Optional<CaStore> store = Optional.empty();
      JsonNode storeNode = node.get("store");
      if (storeNode == null) {
        add(path + ".store", "is required");
      } else {
        store = storeNode.isTextual() ? CaStore.fromWireName(storeNode.asText()) : Optional.empty();
        if (store.isEmpty()) {
          add(path + ".store", "must be TrustedRootCA or IntermediateCA");
        }
      }
      Optional<String> pem = pem(node.get("pem"), path + ".pem");
      if (violations.size() > before || store.isEmpty() || pem.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new TrustedCaDocument(store.get(), pem.get()));
    }

    Optional<ExchangeDocument> exchange(JsonNode node, String path) {
      int before = violations.size();
      if (!object(node, path, Set.of("ewsFqdn", "certificate"))) {
        return Optional.empty();
      }
      Optional<String> host = hostname(node.get("ewsFqdn"), path + ".ewsFqdn", true);
      Optional<String> pem = pem(node.get("certificate"), path + ".certificate");
      if (violations.size() > before || host.isEmpty() || pem.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new ExchangeDocument(host.get(), pem.get()));
    }

    Optional<SiteDocument> site(JsonNode node, String path) {
      int before = violations.size();
      if (!object(node, path, Set.of("name", "pinAuthentication"))) {
        return Optional.empty();
      }
      JsonNode name = node.get("name");
      if (name == null) {
        add(path + ".name", "is required");
      } else if (!name.isTextual() || name.asText().isEmpty() || name.asText().length() > 128) {
        add(path + ".name", "must be a string of 1 to 128 characters");
      }
      JsonNode pin = node.get("pinAuthentication");
      if (pin == null) {
        add(path + ".pinAuthentication", "is required");
      } else if (!pin.isBoolean()) {
        add(path + ".pinAuthentication", "must be true or false");
      }
      if (violations.size() > before) {
        return Optional.empty();
      }
      return Optional.of(new SiteDocument(name.asText(), pin.booleanValue()));
    }

    Optional<String> pem(JsonNode node, String path) {
      if (node == null) {
        add(path, "is required");
        return Optional.empty();
      }
      if (!node.isTextual() || node.asText().isEmpty()) {
        add(path, "must be a non-empty string of PEM certificates");
        return Optional.empty();
      }
      return Optional.of(node.asText());
    }

    /** One CA's current CRL: PEM text, or DER in base64. */
    Optional<Crl> crl(JsonNode node, String path) {
      if (node == null || !node.isTextual() || node.asText().isBlank()) {
        add(path, "must be a CRL: PEM text or base64-encoded DER");
        return Optional.empty();
      }
      try {
        List<Crl> parsed = parseCrl(node.asText());
        if (parsed.size() != 1) {
          add(path, "must hold exactly one CRL; got " + parsed.size());
          return Optional.empty();
        }
        return Optional.of(parsed.get(0));
      } catch (CertificateInputException e) {
        add(path, "is not a CRL: " + e.getMessage());
        return Optional.empty();
      }
    }

    Optional<String> hostname(JsonNode node, String path, boolean required) {
      if (node == null) {
        if (required) {
          add(path, "is required");
        }
        return Optional.empty();
      }
      if (!node.isTextual() || !HOSTNAME.matcher(node.asText()).matches()) {
        add(path, "must be a DNS host name");
        return Optional.empty();
      }
      return Optional.of(node.asText());
    }

    List<String> hostnames(JsonNode node, String path) {
      List<String> out = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      list(
          node,
          path,
          (item, at) ->
              hostname(item, at, true)
                  .ifPresent(
                      h -> {
                        if (seen.add(normalise(h))) {
                          out.add(h);
                        } else {
                          add(at, "is listed twice");
                        }
                      }));
      return out;
    }

    List<TlsVersion> tlsVersions(JsonNode node, String path) {
      List<TlsVersion> out = new ArrayList<>();
      if (node.isArray() && node.isEmpty()) {
        add(path, "must name at least one TLS version");
        return DEFAULT_TLS;
      }
      list(
          node,
          path,
          (item, at) -> {
            Optional<TlsVersion> v =
                item.isTextual() ? TlsVersion.fromWireName(item.asText()) : Optional.empty();
            if (v.isEmpty()) {
              add(at, "must be one of TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3");
            } else if (out.contains(v.get())) {
              add(at, "is listed twice");
            } else {
              out.add(v.get());
            }
          });
      return out;
    }

    private static Optional<Usage> usage(String key) {
      for (Usage u : Usage.values()) {
        if (u.name().equals(key)) {
          return Optional.of(u);
        }
      }
      return Optional.empty();
    }
  }

  /** {@code $.a.b}, or {@code $.a['b c']} when the name is not an identifier. */
  static String member(String path, String name) {
    if (IDENTIFIER.matcher(name).matches()) {
      return path + "." + name;
    }
    return path + "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']";
  }
}
