package dev.fleettrust.x509;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Runs all 249 NIST PKITS cases (shared/conformance/pkits, see {@link ConformanceData}) through
 * {@link ClientProfile#rfc5280()} with each case's CRLs and initial policy inputs, and fails when
 * agreement in any group drops below x509/pkits-baseline.properties. The groups are the ones other
 * validators are scored on: chain-only (85 cases), policy processing with the default inputs (53),
 * policy processing with other inputs (35) and CRL checking (76). Writes the counts and every
 * disagreement to target/pkits/.
 */
class PkitsConformanceTest {
  private static final String SUITE = "pkits";

  record Outcome(String id, String number, String group, boolean expected, ValidationResult r) {
    boolean pass() {
      return expected == r.valid();
    }
  }

  /** PKITS sections by group; 4.7.4 and 4.7.5 (cRLSign) count as CRL checking. */
  static String group(JsonNode tc) {
    String number = tc.get("number").asText();
    String section = tc.get("section").asText();
    if (Set.of("4.8", "4.9", "4.10", "4.11", "4.12").contains(section)) {
      return tc.get("inputs").isEmpty() ? "policy" : "policy-inputs";
    }
    if (Set.of("4.4", "4.5", "4.14", "4.15").contains(section)
        || number.equals("4.7.4")
        || number.equals("4.7.5")) {
      return "crl";
    }
    return "chain";
  }

  @Test
  void agreesWithNistPkitsAtLeastAsOftenAsTheRecordedBaseline() throws Exception {
    Path index = ConformanceData.require(SUITE, "pkits.json", ConformanceData.PKITS_SOURCE);
    JsonNode root = new ObjectMapper().readTree(index.toFile());
    Instant at = Instant.parse(root.get("validation_time").asText());
    PathValidator validator = new PathValidator();
    List<Outcome> outcomes = new ArrayList<>();
    for (JsonNode tc : root.get("testcases")) {
      outcomes.add(run(tc, at, validator));
    }
    Map<String, int[]> byGroup = new LinkedHashMap<>();
    for (String g : List.of("chain", "policy", "policy-inputs", "crl")) {
      byGroup.put(g, new int[2]);
    }
    for (Outcome o : outcomes) {
      byGroup.get(o.group())[o.pass() ? 0 : 1]++;
    }
    writeReport(outcomes, byGroup);

    assertThat(outcomes).as("PKITS cases run").hasSize(249);
    Properties baseline = new Properties();
    try (InputStream b = getClass().getResourceAsStream("/x509/pkits-baseline.properties")) {
      baseline.load(b);
    }
    for (var e : byGroup.entrySet()) {
      assertThat(e.getValue()[0])
          .as("PKITS %s cases agreeing", e.getKey())
          .isGreaterThanOrEqualTo(Integer.parseInt(baseline.getProperty(e.getKey() + ".pass")));
    }
  }

  static Outcome run(JsonNode tc, Instant at, PathValidator validator) throws Exception {
    List<String> names = new ArrayList<>();
    tc.get("certs").forEach(n -> names.add(n.asText()));
    Certificate anchor = cert(names.get(0));
    List<Certificate> presented = new ArrayList<>();
    for (int i = names.size() - 1; i >= 1; i--) {
      presented.add(cert(names.get(i)));
    }
    List<Crl> crls = new ArrayList<>();
    for (JsonNode n : tc.get("crls")) {
      crls.addAll(
          CrlParser.parse(
              Files.readAllBytes(
                  ConformanceData.require(
                      SUITE, "crls/" + n.asText() + ".crl", ConformanceData.PKITS_SOURCE))));
    }
    ValidationRequest request =
        new ValidationRequest(
            presented,
            List.of(),
            List.of(new TrustAnchor.OfCertificate(anchor)),
            Optional.empty(),
            at,
            ClientProfile.rfc5280().withRequireServerAuthEku(false),
            List.of(),
            policyInputs(tc.get("inputs")),
            RevocationInputs.checkWith(crls));
    return new Outcome(
        tc.get("id").asText(),
        tc.get("number").asText(),
        group(tc),
        tc.get("should_validate").asBoolean(),
        validator.validate(request));
  }

  static PolicyInputs policyInputs(JsonNode inputs) {
    Set<String> initial = new HashSet<>();
    inputs.path("initial_policy_set").forEach(n -> initial.add(n.asText()));
    return new PolicyInputs(
        initial.isEmpty() ? Set.of(PolicyInputs.ANY_POLICY) : initial,
        inputs.path("initial_explicit_policy").asBoolean(false),
        inputs.path("initial_policy_mapping_inhibit").asBoolean(false),
        inputs.path("initial_inhibit_any_policy").asBoolean(false));
  }

  private static Certificate cert(String name) throws Exception {
    return CertificateParser.parse(
            Files.readAllBytes(
                ConformanceData.require(
                    SUITE, "certs/" + name + ".crt", ConformanceData.PKITS_SOURCE)))
        .get(0);
  }

  private static void writeReport(List<Outcome> outcomes, Map<String, int[]> byGroup)
      throws IOException {
    Path out = Path.of("target", "pkits");
    Files.createDirectories(out);
    try (Writer w = Files.newBufferedWriter(out.resolve("summary.txt"), StandardCharsets.UTF_8)) {
      for (var e : byGroup.entrySet()) {
        w.write(
            String.format(
                "group %s pass=%d fail=%d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
      }
    }
    try (Writer w =
        Files.newBufferedWriter(out.resolve("disagreements.txt"), StandardCharsets.UTF_8)) {
      for (Outcome o : outcomes) {
        if (!o.pass()) {
          w.write(
              o.number()
                  + "\t"
                  + o.id()
                  + "\t"
                  + o.group()
                  + "\texpected="
                  + (o.expected() ? "valid" : "invalid")
                  + "\t"
                  + o.r().findings().stream()
                      .filter(f -> f.severity() == Severity.ERROR)
                      .map(f -> f.rule() + ": " + f.message())
                      .reduce((a, b) -> a + " | " + b)
                      .orElse("no error")
                  + "\n");
        }
      }
    }
  }
}
