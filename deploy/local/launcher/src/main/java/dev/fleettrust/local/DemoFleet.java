package dev.fleettrust.local;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a small demo: the Contoso UC environment (one pool, Exchange, two sites) and 260 devices
 * across the catalog's families, through the service's own public API, so the first impact query
 * returns something real. Event IDs are fixed, so loading it twice changes nothing.
 *
 * <p>It also writes two planned changes under {@code FLEETTRUST_HOME/demo/}: a wildcard reissue of
 * the pool certificate, and a comparison of that against a public-CA chain.
 */
final class DemoFleet {
  private static final String POOL = "pool01.contoso.com";
  private static final String SIP_TARGET = "sip.contoso.com";

  /** One kind of phone in the demo: how many, what they run, how they were provisioned. */
  private record Group(
      int count,
      String macPrefix,
      String model,
      String firmware,
      String method,
      String site,
      List<String> downloadedAnchors) {}

  private final JsonMapper json;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String baseUrl;
  private final String token;

  private DemoFleet(ApplicationContext context, int port) {
    this.json = context.getBean(JsonMapper.class);
    this.baseUrl = "http://localhost:" + port + "/api/v1";
    this.token =
        context
            .getBean(TokenGenerator.class)
            .generateToken(Authentication.build("demo-loader", List.of("admin")), 600)
            .orElseThrow(() -> new IllegalStateException("no token generator"));
  }

  static void load(ApplicationContext context, int port, Path home) {
    DemoFleet demo = new DemoFleet(context, port);
    demo.send("PUT", "/environment", demo.environment());
    List<Object> events = demo.events();
    for (int from = 0; from < events.size(); from += 200) {
      demo.send("POST", "/events", events.subList(from, Math.min(events.size(), from + 200)));
    }
    Path plans = demo.writePlannedChanges(home.resolve("demo"));
    System.out.printf(
        """
        FleetTrust demo loaded: the Contoso environment and %d phones.
          Try the planned wildcard reissue of the pool certificate:
            curl -s -H "Authorization: Bearer $(deploy/local/token.sh planner)" \\
                 -H 'Content-Type: application/json' -d @%s \\
                 %s/impact-assessments
          or compare it with a public-CA chain: POST %s to %s/impact-assessments/compare
        """,
        events.size() / 2,
        plans.resolve("planned-wildcard.json"),
        demo.baseUrl,
        plans.resolve("compare.json"),
        demo.baseUrl);
  }

  private Map<String, Object> environment() {
    String poolChain = pem("pool01") + pem("contoso-issuing");
    Map<String, Object> certificates = new LinkedHashMap<>();
    certificates.put("DEFAULT", poolChain);
    certificates.put("WEB_SERVICES_INTERNAL", poolChain);
    certificates.put("WEB_SERVICES_EXTERNAL", poolChain);
    Map<String, Object> pool = new LinkedHashMap<>();
    pool.put("fqdn", POOL);
    pool.put("sipFqdns", List.of(SIP_TARGET, POOL));
    pool.put("certificates", certificates);
    pool.put("trustedCaCerts", List.of());
    pool.put("inferCertChainFromSsl", true);
    pool.put("tlsVersions", List.of("TLSv1.0", "TLSv1.1", "TLSv1.2"));
    return Map.of(
        "pools", List.of(pool),
        "exchange",
            List.of(
                Map.of(
                    "ewsFqdn",
                    "mail.contoso.com",
                    "certificate",
                    pem("mail") + pem("contoso-issuing"))),
        "activeDirectoryCas", List.of(pem("contoso-root"), pem("contoso-issuing")),
        "sites",
            List.of(
                Map.of("name", "HQ", "pinAuthentication", true),
                Map.of("name", "Oslo", "pinAuthentication", false)),
        "unresolvableHosts", List.of());
  }

  private List<Group> groups() {
    List<String> internalChain = List.of(pem("contoso-root"), pem("contoso-issuing"));
    List<String> adRoot = List.of(pem("contoso-root"));
    return List.of(
        new Group(30, "00:04:f2:10", "CX600", "4.0.7577.107", "PIN_AUTH", "HQ", internalChain),
        new Group(50, "00:04:f2:11", "CX600", "4.0.7577.4420", "PIN_AUTH", "HQ", internalChain),
        new Group(20, "00:04:f2:12", "CX3000", "4.0.7577.4100", "USB_TETHER", "Oslo", adRoot),
        new Group(20, "00:1e:0b:13", "HP 4120", "4.0.7577.4494", "PIN_AUTH", "HQ", internalChain),
        new Group(10, "00:1e:0b:14", "HP 4110", "4.0.7577.4463", "PIN_AUTH", "HQ", internalChain),
        new Group(60, "64:16:7f:15", "VVX 450", "5.4.0A", "VENDOR_PROFILE", "HQ", internalChain),
        new Group(30, "80:5e:c0:16", "T48S", "X.8.1.52", "VENDOR_PROFILE", "Oslo", internalChain),
        new Group(20, "00:90:8f:17", "450HD", "3.0.0.459.1", "VENDOR_PROFILE", "HQ", internalChain),
        // The control group: Windows clients refresh roots themselves and accept wildcards.
        new Group(
            20, "a0:36:9f:18", "Skype for Business 2016", "16.0", "AD_CREDENTIALS", "HQ", adRoot));
  }

  private List<Object> events() {
    Instant provisioned = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    Instant signedIn = provisioned.plus(1, ChronoUnit.HOURS);
    List<Object> events = new ArrayList<>();
    for (Group group : groups()) {
      for (int i = 0; i < group.count(); i++) {
        String mac = group.macPrefix() + String.format(":%02x:%02x", i / 256, i % 256);
        events.add(
            event(
                "demo-" + mac + "-provisioned",
                "device.provisioned",
                mac,
                provisioned,
                Map.of(
                    "method", group.method(),
                    "site", group.site(),
                    "certificates", group.downloadedAnchors())));
        events.add(
            event(
                "demo-" + mac + "-registered",
                "device.registered",
                mac,
                signedIn,
                Map.of(
                    "model",
                    group.model(),
                    "firmware",
                    group.firmware(),
                    "pool",
                    POOL,
                    "site",
                    group.site(),
                    "dialedFqdn",
                    SIP_TARGET,
                    "outcome",
                    "SUCCESS")));
      }
    }
    return events;
  }

  private static Map<String, Object> event(
      String id, String type, String deviceId, Instant time, Map<String, Object> data) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("specversion", "1.0");
    event.put("id", id);
    event.put("source", "urn:fleettrust:demo");
    event.put("type", type);
    event.put("subject", deviceId);
    event.put("time", time.toString());
    event.put("datacontenttype", "application/json");
    event.put("data", data);
    return event;
  }

  private Path writePlannedChanges(Path directory) {
    Map<String, Object> wildcard =
        Map.of(
            "type",
            "REPLACE_CERTIFICATE",
            "pool",
            POOL,
            "usage",
            "DEFAULT",
            "chain",
            pem("wildcard") + pem("contoso-issuing"));
    Map<String, Object> publicCa =
        Map.of(
            "type",
            "REPLACE_CERTIFICATE",
            "pool",
            POOL,
            "usage",
            "DEFAULT",
            "chain",
            pem("public-pool01") + pem("fabrikam-tls"));
    try {
      Files.createDirectories(directory);
      Files.writeString(
          directory.resolve("planned-wildcard.json"),
          json.writeValueAsString(
              Map.of(
                  "description",
                  "Reissue the pool certificate with a *.contoso.com SAN",
                  "changes",
                  List.of(wildcard))));
      Files.writeString(
          directory.resolve("compare.json"),
          json.writeValueAsString(
              Map.of(
                  "description",
                  "Wildcard reissue or a public CA?",
                  "candidates",
                  List.of(
                      Map.of("name", "wildcard reissue", "changes", List.of(wildcard)),
                      Map.of("name", "public CA (Fabrikam)", "changes", List.of(publicCa))))));
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the demo's planned changes", e);
    }
  }

  private void send(String method, String path, Object body) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(baseUrl + path))
              .timeout(Duration.ofSeconds(60))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new IllegalStateException(
            "Demo "
                + method
                + " "
                + path
                + " answered "
                + response.statusCode()
                + ": "
                + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String name) {
    try (InputStream in = DemoFleet.class.getResourceAsStream("/demo/" + name + ".pem")) {
      if (in == null) {
        throw new IllegalStateException("demo certificate " + name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
