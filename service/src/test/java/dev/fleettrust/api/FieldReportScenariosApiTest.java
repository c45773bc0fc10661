package dev.fleettrust.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.embedded.SharedInfrastructure;
import dev.fleettrust.testing.IntegrationTest;
import dev.fleettrust.testing.Tokens;
import dev.fleettrust.trust.TestPki;
import dev.fleettrust.trust.TestPki.Issued;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The five field reports (shared/seeds) end to end through the API, as an administrator would run
 * them: put the environment, send the phones' events, ask for the impact of the planned change.
 * Each asserts the exact verdict and rule IDs per device group and the fix the report found.
 */
@MicronautTest
class FieldReportScenariosApiTest extends IntegrationTest {
  @Inject
  @Client("/")
  HttpClient client;

  @Inject Tokens tokens;

  /** One kind of device in a scenario: how many, what they run, how they were provisioned. */
  record Group(
      String label,
      int count,
      String model,
      String build,
      String method,
      String site,
      String dialedFqdn,
      List<Map<String, String>> held) {}

  private final List<Group> groups = new ArrayList<>();
  private int groupNumber;

  @BeforeEach
  void emptyInventory() throws Exception {
    SharedInfrastructure.Endpoints db = SharedInfrastructure.endpoints();
    try (var connection = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
      connection.createStatement().execute("TRUNCATE device CASCADE");
    }
    groups.clear();
  }

  // ---- Seed 000: a new two-tier PKI on the Default certificate only ----

  @Test
  void seed000VvxBreaksOnTheUnresolvableRootAiaHostAndLpeOnTheInferredChain() {
    Map<String, Object> assessment = seed000Assessed().assessment();
    assertThat(remediation(assessment))
        .containsEntry("RESOLVE_HOSTS", 25)
        .containsEntry("SET_TRUSTED_CA_CERTS", 40);
  }

  /**
   * Seed 000's PKI, environment and fleet, assessed for the new chain, with its verdicts checked.
   */
  private Seed000 seed000Assessed() {
    TestPki pki = new TestPki();
    Issued oldRoot = pki.root("CN=OldRootCA,DC=custdom,DC=com").signedWith("SHA1withRSA").build();
    Issued oldLeaf =
        pki.leaf("CN=SFBPOOL.custdom.com", oldRoot)
            .signedWith("SHA1withRSA")
            .sans("sfbpool.custdom.com", "sip.custdom.com")
            .build();
    Issued newRoot = pki.root("CN=RootCA,DC=custdom,DC=com").build();
    Issued issuing =
        pki.ca("CN=IssuingCA,DC=custdom,DC=com", newRoot)
            .aia("http://RootCA.custdom.com/CertEnroll/RootCA.custdom.com_RootCA.crt")
            .cdp("http://IssuingCA.custdom.com/CertEnroll/RootCA.crl")
            .build();
    Issued newLeaf =
        pki.leaf("CN=SFBPOOL.custdom.com", issuing)
            .sans("sfbpool.custdom.com", "sip.custdom.com")
            .cdp("http://IssuingCA.custdom.com/CertEnroll/IssuingCA.crl")
            .build();
    putEnvironment(
        pool("sfbpool.custdom.com", List.of("sip.custdom.com"), pem(oldLeaf)),
        List.of(),
        List.of(pem(oldRoot), pem(newRoot), pem(issuing)),
        List.of("RootCA.custdom.com"));
    group(
        "lpe",
        40,
        "CX600",
        "4.0.7577.4494",
        "PIN_AUTH",
        "sip.custdom.com",
        held("PROVISIONING_SERVICE", oldRoot));
    group(
        "vvx",
        25,
        "VVX 500",
        "5.9.0.9373",
        "VENDOR_PROFILE",
        "sip.custdom.com",
        held("VENDOR_PROFILE", oldRoot, newRoot, issuing));
    group("windows", 5, "Lync 2013", "15.0.4569.1506", null, "sip.custdom.com", List.of());
    sendEvents();

    Map<String, Object> change =
        replaceCertificate("sfbpool.custdom.com", "DEFAULT", pem(newLeaf) + pem(issuing));
    Map<String, Object> assessment = assess("2018-06-01T00:00:00Z", List.of(change));

    assertThat(outcomes(assessment))
        .containsEntry("lpe", "BREAKS [PROVISIONED_CHAIN_MISMATCH]")
        .containsEntry("vvx", "BREAKS [REVOCATION_UNREACHABLE]")
        .containsEntry("windows", "OK []");
    assertThat(verdicts(assessment)).containsEntry("BREAKS", 65).containsEntry("OK", 5);
    return new Seed000(oldRoot, newRoot, issuing, assessment);
  }

  private record Seed000(
      Issued oldRoot, Issued newRoot, Issued issuing, Map<String, Object> assessment) {}

  // ---- The runbook of seed 000 (contract.md, "Remediation actions are checkable") ----

  @Test
  void theSeed000RunbookReadsLikeTheFieldReportsFixWithRealThumbprints() {
    Seed000 seed = seed000Assessed();
    Issued oldRoot = seed.oldRoot();
    Issued newRoot = seed.newRoot();
    Issued issuing = seed.issuing();
    Map<String, Object> assessment = seed.assessment();
    String id = (String) assessment.get("id");
    String markdown =
        client
            .toBlocking()
            .retrieve(
                HttpRequest.GET("/api/v1/impact-assessments/" + id + "/runbook")
                    .accept("text/markdown")
                    .header("Authorization", tokens.bearer("viewer")),
                String.class);
    assertThat(markdown)
        .contains(
            "New-CsWebTrustedCACertificate -Thumbprint \""
                + oldRoot.cert().facts().sha1Thumbprint()
                + "\" -CAStore TrustedRootCA")
        .contains(
            "New-CsWebTrustedCACertificate -Thumbprint \""
                + newRoot.cert().facts().sha1Thumbprint()
                + "\" -CAStore TrustedRootCA")
        .contains(
            "New-CsWebTrustedCACertificate -Thumbprint \""
                + issuing.cert().facts().sha1Thumbprint()
                + "\" -CAStore IntermediateCA")
        .contains("-InferCertChainFromSSL $False")
        .contains("Add-DnsServerResourceRecordCName -ZoneName custdom.com -Name rootca")
        .contains("## Step 1: SET_TRUSTED_CA_CERTS")
        .contains("Fixes 40 devices on its own")
        .contains("## Step 2: RESOLVE_HOSTS")
        .contains("0 devices still not OK after this step and the steps before it");
    Map<String, Object> json =
        client
            .toBlocking()
            .retrieve(
                HttpRequest.GET("/api/v1/impact-assessments/" + id + "/runbook")
                    .header("Authorization", tokens.bearer("viewer")),
                Argument.mapOf(String.class, Object.class));
    assertThat((List<?>) json.get("steps")).hasSize(2);
  }

  // ---- Seed 001: a public CA chain unknown to pre-CU11 firmware ----

  @Test
  void seed001PublicChainBreaksUsbTetheredPreCu11WhilePinAndCu11SignIn() {
    TestPki pki = new TestPki();
    String poolFqdn = "lyncpool.schertz.name";
    Issued internalRoot = pki.root("CN=schertz-DC-CA,DC=schertz,DC=name").build();
    Issued internalLeaf =
        pki.leaf("CN=" + poolFqdn, internalRoot).sans(poolFqdn, "sip.schertz.name").build();
    Issued digicertRoot =
        pki.root("CN=DigiCert Global Root CA,OU=www.digicert.com,O=DigiCert Inc,C=US").build();
    Issued digicertCa =
        pki.ca("CN=DigiCert SHA2 Secure Server CA,O=DigiCert Inc,C=US", digicertRoot).build();
    Issued digicertLeaf =
        pki.leaf("CN=" + poolFqdn, digicertCa).sans(poolFqdn, "sip.schertz.name").build();
    putEnvironment(
        pool(poolFqdn, List.of("sip.schertz.name"), pem(internalLeaf)),
        List.of(),
        List.of(pem(internalRoot)),
        List.of());
    group(
        "cu10-usb",
        30,
        "CX600",
        "4.0.7577.4414",
        "USB_TETHER",
        "sip.schertz.name",
        held("ACTIVE_DIRECTORY", internalRoot));
    group(
        "cu10-pin",
        50,
        "CX600",
        "4.0.7577.4414",
        "PIN_AUTH",
        "sip.schertz.name",
        held("PROVISIONING_SERVICE", internalRoot));
    group(
        "cu11-usb",
        20,
        "HP 4120",
        "4.0.7577.4420",
        "USB_TETHER",
        "sip.schertz.name",
        held("ACTIVE_DIRECTORY", internalRoot));
    group(
        "windows", 3, "Skype for Business", "16.0.4266.1001", null, "sip.schertz.name", List.of());
    sendEvents();

    String chain = pem(digicertLeaf) + pem(digicertCa);
    List<Map<String, Object>> changes = new ArrayList<>();
    for (String usage : List.of("DEFAULT", "WEB_SERVICES_INTERNAL", "WEB_SERVICES_EXTERNAL")) {
      changes.add(replaceCertificate(poolFqdn, usage, chain));
    }
    Map<String, Object> assessment = assess("2014-10-28T00:00:00Z", changes);

    assertThat(outcomes(assessment))
        .containsEntry("cu10-usb", "BREAKS [UNTRUSTED_ROOT]")
        .containsEntry("cu10-pin", "OK []")
        .containsEntry("cu11-usb", "OK []")
        .containsEntry("windows", "OK []");
    assertThat(remediation(assessment)).containsKeys("UPGRADE_FIRMWARE", "PUBLISH_AD_CA");
    assertThat(remediationOf(assessment, "UPGRADE_FIRMWARE"))
        .containsEntry("family", "LPE-AIRES")
        .containsEntry("build", "4.0.7577.4420");
  }

  // ---- Seed 002: the intermediate USB tethering skips ----

  @Test
  void seed002UsbTetheredOnlyDevicesMissTheIntermediatePinAuthenticationDownloads() {
    TestPki pki = new TestPki();
    String poolFqdn = "fe01.contoso.com";
    Issued root = pki.root("CN=Contoso Root CA,DC=contoso,DC=com").build();
    Issued sub = pki.ca("CN=Contoso Issuing CA,DC=contoso,DC=com", root).build();
    Issued leaf = pki.leaf("CN=" + poolFqdn, sub).sans(poolFqdn).build();
    putEnvironment(
        pool(poolFqdn, List.of(), pem(leaf)), List.of(), List.of(pem(root), pem(sub)), List.of());
    group("lpe-usb-only", 14, "CX600", "4.0.7577.4494", "USB_TETHER", poolFqdn, List.of());
    group("lpe-pin", 30, "CX600", "4.0.7577.4494", "PIN_AUTH", poolFqdn, List.of());
    group("windows", 2, "Lync 2013", "15.0.5023.1000", null, poolFqdn, List.of());
    sendEvents();

    Map<String, Object> assessment = assess("2016-03-01T00:00:00Z", List.of());

    assertThat(outcomes(assessment))
        .containsEntry("lpe-usb-only", "BREAKS [MISSING_INTERMEDIATE]")
        .containsEntry("lpe-pin", "OK []")
        .containsEntry("windows", "OK []");
    assertThat(remediation(assessment))
        .containsEntry("REPROVISION_WITH_PIN", 14)
        .containsEntry("SERVE_FULL_CHAIN", 14);
  }

  // ---- Seed 003: a wildcard-only name for the SRV target ----

  @Test
  void seed003WildcardOnlySrvTargetBreaksLpeBeforeJune2012AndTheExactSanFixesAll() {
    TestPki pki = new TestPki();
    String poolFqdn = "lyncfe.schertz.local";
    String srvTarget = "sip.mslync.net";
    Issued root = pki.root("CN=schertz-DC-CA,DC=schertz,DC=local").build();
    Issued wildcardLeaf = pki.leaf("CN=" + poolFqdn, root).sans(poolFqdn, "*.mslync.net").build();
    Issued exactLeaf =
        pki.leaf("CN=" + poolFqdn, root).sans(poolFqdn, srvTarget, "*.mslync.net").build();
    putEnvironment(
        pool(poolFqdn, List.of(srvTarget), pem(exactLeaf)),
        List.of(),
        List.of(pem(root)),
        List.of());
    group(
        "cu1-usb",
        7,
        "CX600",
        "4.0.7577.107",
        "USB_TETHER",
        srvTarget,
        held("ACTIVE_DIRECTORY", root));
    group("june2012", 20, "CX600", "4.0.7577.4100", "PIN_AUTH", srvTarget, List.of());
    group("cu11", 15, "HP 4120", "4.0.7577.4420", "USB_TETHER", srvTarget, List.of());
    group("windows", 40, "Lync 2010", "4.0.7577.4103", null, srvTarget, List.of());
    sendEvents();

    Map<String, Object> wildcard =
        assess(
            "2012-09-01T00:00:00Z",
            List.of(replaceCertificate(poolFqdn, "DEFAULT", pem(wildcardLeaf))));
    assertThat(outcomes(wildcard))
        .containsEntry("cu1-usb", "BREAKS [WILDCARD_UNSUPPORTED]")
        .containsEntry("june2012", "OK []")
        .containsEntry("cu11", "OK []")
        .containsEntry("windows", "OK []");
    assertThat(
            deviceIds(
                "/api/v1/devices?limit=500&verdict=BREAKS&assessmentId=" + wildcard.get("id")))
        .hasSize(7)
        .allMatch(id -> labelByDevice.get(id).equals("cu1-usb"));
    assertThat(deviceIds("/api/v1/devices?limit=500&family=LPE-AIRES")).hasSize(7 + 20 + 15);
    List<Map<String, Object>> plan = plan(wildcard);
    assertThat(plan.get(0)).containsEntry("action", "ADD_SAN").containsEntry("devicesFixed", 7);

    Map<String, Object> exact =
        assess(
            "2012-09-01T00:00:00Z",
            List.of(replaceCertificate(poolFqdn, "DEFAULT", pem(exactLeaf))));
    assertThat(verdicts(exact)).containsEntry("OK", 82).containsEntry("BREAKS", 0);
  }

  // ---- Seed 004: an Exchange certificate from a look-alike issuing CA ----

  @Test
  void seed004LookAlikeExchangeIssuerDegradesLpeWithSignInIntact() {
    TestPki pki = new TestPki();
    String poolFqdn = "lyncpool.contoso.com";
    String ews = "casarray.contoso.com";
    Issued root = pki.root("CN=contoso Root CA,DC=contoso,DC=com").build();
    Issued poolCa = pki.ca("CN=Issuing CA for contoso,DC=contoso,DC=com", root).build();
    Issued lookAlikeCa = pki.ca("CN=Issuing-CA for contoso,DC=contoso,DC=com", root).build();
    Issued poolLeaf = pki.leaf("CN=" + poolFqdn, poolCa).sans(poolFqdn).build();
    Issued casLeaf =
        pki.leaf("CN=" + ews, lookAlikeCa).bits(1024).sans(ews, "cas01.contoso.com").build();
    putEnvironment(
        pool(poolFqdn, List.of(), pem(poolLeaf) + pem(poolCa)),
        List.of(Map.of("ewsFqdn", ews, "certificate", pem(poolLeaf) + pem(poolCa))),
        List.of(pem(root), pem(poolCa), pem(lookAlikeCa)),
        List.of());
    group("hp4120-usb", 25, "HP 4120", "4.0.7577.4494", "USB_TETHER", poolFqdn, List.of());
    group("cx600-pin", 10, "CX600", "4.0.7577.4420", "PIN_AUTH", poolFqdn, List.of());
    group("windows", 30, "Lync 2010", "4.0.7577.4103", null, poolFqdn, List.of());
    sendEvents();

    Map<String, Object> change = new LinkedHashMap<>();
    change.put("type", "REPLACE_EXCHANGE_CERTIFICATE");
    change.put("ewsFqdn", ews);
    change.put("chain", pem(casLeaf) + pem(lookAlikeCa));
    Map<String, Object> assessment = assess("2012-10-19T00:00:00Z", List.of(change));

    assertThat(outcomes(assessment))
        .containsEntry("hp4120-usb", "DEGRADED [EWS_ISSUER_NOT_TRUSTED]")
        .containsEntry("cx600-pin", "DEGRADED [EWS_ISSUER_NOT_TRUSTED]")
        .containsEntry("windows", "OK []");
    assertThat(verdicts(assessment)).containsEntry("DEGRADED", 35).containsEntry("OK", 30);
    assertThat(remediation(assessment)).containsEntry("REISSUE_CERTIFICATE", 35);
  }

  // ---- the API calls an administrator makes ----

  private static Map<String, Object> pool(String fqdn, List<String> sipFqdns, String defaultChain) {
    Map<String, Object> pool = new LinkedHashMap<>();
    pool.put("fqdn", fqdn);
    pool.put("sipFqdns", sipFqdns);
    pool.put("certificates", Map.of("DEFAULT", defaultChain));
    pool.put("trustedCaCerts", List.of());
    pool.put("inferCertChainFromSsl", true);
    return pool;
  }

  private void putEnvironment(
      Map<String, Object> pool,
      List<Map<String, String>> exchange,
      List<String> activeDirectoryCas,
      List<String> unresolvableHosts) {
    Map<String, Object> environment = new LinkedHashMap<>();
    environment.put("pools", List.of(pool));
    environment.put("exchange", exchange);
    environment.put("activeDirectoryCas", activeDirectoryCas);
    environment.put("sites", List.of(Map.of("name", "HQ", "pinAuthentication", true)));
    environment.put("unresolvableHosts", unresolvableHosts);
    var response =
        client
            .toBlocking()
            .exchange(
                HttpRequest.PUT("/api/v1/environment", environment)
                    .header("Authorization", tokens.bearer("admin")),
                Map.class);
    assertThat(response.code()).isEqualTo(200);
    this.pool = (String) pool.get("fqdn");
  }

  private String pool;

  private void group(
      String label,
      int count,
      String model,
      String build,
      String method,
      String dialedFqdn,
      List<Map<String, String>> held) {
    groups.add(new Group(label, count, model, build, method, "HQ", dialedFqdn, held));
  }

  private static List<Map<String, String>> held(String provenance, Issued... certificates) {
    List<Map<String, String>> held = new ArrayList<>();
    for (Issued issued : certificates) {
      held.add(Map.of("pem", pem(issued), "source", provenance));
    }
    return held;
  }

  private final Map<String, String> labelByDevice = new LinkedHashMap<>();

  private void sendEvents() {
    List<Map<String, Object>> events = new ArrayList<>();
    Instant provisioned = Instant.parse("2026-01-01T00:00:00Z");
    Instant registered = provisioned.plusSeconds(3600);
    for (Group group : groups) {
      groupNumber++;
      for (int i = 0; i < group.count(); i++) {
        String device = String.format("02:00:00:%02x:%02x:%02x", groupNumber, i / 256, i % 256);
        labelByDevice.put(device, group.label());
        if (group.method() != null) {
          events.add(
              event(
                  "device.provisioned",
                  device,
                  provisioned,
                  Map.of(
                      "method",
                      group.method(),
                      "site",
                      group.site(),
                      "certificates",
                      group.held())));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("model", group.model());
        data.put("firmware", group.build());
        data.put("pool", pool);
        data.put("site", group.site());
        data.put("dialedFqdn", group.dialedFqdn());
        data.put("outcome", "SUCCESS");
        events.add(event("device.registered", device, registered, data));
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> result =
        client
            .toBlocking()
            .retrieve(
                HttpRequest.POST("/api/v1/events", events)
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .header("Authorization", tokens.bearer("admin")),
                Map.class);
    assertThat(result).containsEntry("rejected", 0);
  }

  private static Map<String, Object> event(
      String type, String device, Instant time, Map<String, Object> data) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("specversion", "1.0");
    event.put("id", UUID.randomUUID().toString());
    event.put("source", "urn:fleettrust:test");
    event.put("type", type);
    event.put("subject", device);
    event.put("time", time.toString());
    event.put("datacontenttype", "application/json");
    event.put("data", data);
    return event;
  }

  private static Map<String, Object> replaceCertificate(String pool, String usage, String chain) {
    Map<String, Object> change = new LinkedHashMap<>();
    change.put("type", "REPLACE_CERTIFICATE");
    change.put("pool", pool);
    change.put("usage", usage);
    change.put("chain", chain);
    return change;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> assess(String evaluateAt, List<Map<String, Object>> changes) {
    HttpResponse<Map> created =
        client
            .toBlocking()
            .exchange(
                HttpRequest.POST(
                        "/api/v1/impact-assessments",
                        Map.of(
                            "description",
                            "field report",
                            "evaluateAt",
                            evaluateAt,
                            "changes",
                            changes))
                    .header("Authorization", tokens.bearer("planner")),
                Map.class);
    assertThat(created.code()).isEqualTo(201);
    Map<String, Object> assessment = created.body();
    assertThat(created.getHeaders().get("Location"))
        .isEqualTo("/api/v1/impact-assessments/" + assessment.get("id"));
    return assessment;
  }

  /** Each group's outcome as "VERDICT [RULES]", read from the assessment's device list. */
  @SuppressWarnings("unchecked")
  private Map<String, String> outcomes(Map<String, Object> assessment) {
    Map<String, LinkedHashSet<String>> byLabel = new LinkedHashMap<>();
    String cursor = null;
    do {
      String uri =
          "/api/v1/impact-assessments/"
              + assessment.get("id")
              + "/devices?limit=50"
              + (cursor == null ? "" : "&cursor=" + cursor);
      Map<String, Object> page =
          client
              .toBlocking()
              .retrieve(
                  HttpRequest.GET(uri).header("Authorization", tokens.bearer("viewer")), Map.class);
      for (Map<String, Object> device : (List<Map<String, Object>>) page.get("items")) {
        String label = labelByDevice.get((String) device.get("deviceId"));
        List<Map<String, Object>> findings = (List<Map<String, Object>>) device.get("findings");
        String rules =
            findings.stream()
                .map(f -> (String) f.get("rule"))
                .distinct()
                .collect(Collectors.joining(", "));
        byLabel
            .computeIfAbsent(label, l -> new LinkedHashSet<>())
            .add(device.get("verdict") + " [" + rules + "]");
      }
      cursor = (String) page.get("nextCursor");
    } while (cursor != null);
    Map<String, String> outcomes = new LinkedHashMap<>();
    byLabel.forEach((label, seen) -> outcomes.put(label, String.join(" | ", seen)));
    return outcomes;
  }

  @SuppressWarnings("unchecked")
  private List<String> deviceIds(String uri) {
    Map<String, Object> page =
        client
            .toBlocking()
            .retrieve(
                HttpRequest.GET(uri).header("Authorization", tokens.bearer("viewer")), Map.class);
    return ((List<Map<String, Object>>) page.get("items"))
        .stream().map(d -> (String) d.get("deviceId")).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Integer> verdicts(Map<String, Object> assessment) {
    return (Map<String, Integer>) ((Map<String, Object>) assessment.get("summary")).get("verdicts");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> plan(Map<String, Object> assessment) {
    return (List<Map<String, Object>>)
        ((Map<String, Object>) assessment.get("summary")).get("remediation");
  }

  private static Map<String, Integer> remediation(Map<String, Object> assessment) {
    Map<String, Integer> fixedByAction = new LinkedHashMap<>();
    for (Map<String, Object> action : plan(assessment)) {
      fixedByAction.putIfAbsent(
          (String) action.get("action"), (Integer) action.get("devicesFixed"));
    }
    return fixedByAction;
  }

  private static Map<String, Object> remediationOf(Map<String, Object> assessment, String action) {
    return plan(assessment).stream()
        .filter(a -> action.equals(a.get("action")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + action + " in " + plan(assessment)));
  }

  private static String pem(Issued issued) {
    return issued.cert().toPem();
  }
}
