package dev.fleettrust.x509;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Runs every SERVER testcase of x509-limbo (C2SP/x509-limbo with BetterTLS, compiled offline under
 * shared/conformance/x509-limbo) through {@link ClientProfile#webPki()} and compares the outcome
 * with the expected result. Fails when agreement drops below the figures recorded in
 * x509/limbo-baseline.properties. Writes the counts, the elapsed time and every disagreement to
 * target/x509-limbo/ (speed is measured in bench/, not asserted here: the machine is shared).
 */
class LimboConformanceTest {

  /**
   * Features whose cases are counted as skipped: behaviour FleetTrust does not model (the public
   * suffix list) or where the case contradicts the web-PKI profile we follow (each such case has a
   * twin on the other side that we run). CRL cases run with revocation checked against the case's
   * CRLs; policy cases run with RFC 5280's default policy inputs.
   */
  static final Set<String> SKIPPED_FEATURES =
      Set.of(
          "pedantic-public-suffix-wildcard",
          "rfc5280-incompatible-with-webpki",
          "pedantic-webpki-eku");

  /** A fixed time for cases without one: their certificates are valid from 1970 to 2969. */
  static final Instant DEFAULT_TIME = Instant.parse("2026-01-01T00:00:00Z");

  record Outcome(
      String id,
      String namespace,
      String peerKind,
      String expected,
      String actual,
      boolean soft,
      String skipReason,
      String detail,
      long millis) {
    boolean skipped() {
      return skipReason != null;
    }

    boolean pass() {
      return !skipped() && (soft || expected.equals(actual));
    }
  }

  @Test
  void agreesWithX509LimboAtLeastAsOftenAsTheRecordedBaseline() throws Exception {
    Path limbo =
        ConformanceData.require("x509-limbo", "limbo.json.gz", ConformanceData.LIMBO_SOURCE);
    Path softCases =
        ConformanceData.require(
            "x509-limbo", "bettertls-soft-cases.txt", ConformanceData.LIMBO_SOURCE);
    Set<String> soft =
        new HashSet<>(
            Files.readAllLines(softCases).stream()
                .map(String::strip)
                .filter(s -> !s.isEmpty() && !s.startsWith("#"))
                .toList());
    PathValidator validator =
        new PathValidator(new PathValidator.Budget(Duration.ofSeconds(1), 64, 5_000));
    List<Outcome> outcomes = new ArrayList<>();
    long start = System.nanoTime();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(limbo))) {
      ObjectMapper mapper = new ObjectMapper();
      JsonParser p = mapper.getFactory().createParser(in);
      while (p.nextToken() != null) {
        if (p.currentToken() == JsonToken.FIELD_NAME && "testcases".equals(p.currentName())) {
          p.nextToken();
          while (p.nextToken() == JsonToken.START_OBJECT) {
            JsonNode tc = mapper.readTree(p);
            outcomes.add(run(tc, soft, validator));
          }
        }
      }
    }
    long elapsed = (System.nanoTime() - start) / 1_000_000;
    Summary s = Summary.of(outcomes);
    writeReport(outcomes, s, elapsed);

    Properties baseline = new Properties();
    try (InputStream b = getClass().getResourceAsStream("/x509/limbo-baseline.properties")) {
      baseline.load(b);
    }
    assertThat(s.dnsAgreement())
        .as("agreement on SERVER/DNS cases")
        .isGreaterThanOrEqualTo(Double.parseDouble(baseline.getProperty("server.dns.agreement")));
    assertThat(s.pass())
        .as("passes on the whole file")
        .isGreaterThanOrEqualTo(Integer.parseInt(baseline.getProperty("total.pass")));
  }

  static Outcome run(JsonNode tc, Set<String> soft, PathValidator validator) {
    long t0 = System.nanoTime();
    String id = tc.get("id").asText();
    String namespace = id.substring(0, id.indexOf("::"));
    String expected = tc.get("expected_result").asText();
    JsonNode peerName = tc.get("expected_peer_name");
    String peerKind =
        peerName == null || peerName.isNull() ? "NONE" : peerName.get("kind").asText();
    boolean isSoft = soft.contains(id);
    String skip = null;
    if (!"SERVER".equals(tc.get("validation_kind").asText())) {
      skip = "CLIENT validation";
    } else {
      for (JsonNode f : tc.path("features")) {
        if (SKIPPED_FEATURES.contains(f.asText())) {
          skip = "feature " + f.asText();
          break;
        }
      }
    }
    if (skip != null) {
      return new Outcome(id, namespace, peerKind, expected, "", isSoft, skip, "", 0);
    }
    String actual;
    String detail;
    try {
      Certificate peer = CertificateParser.parse(tc.get("peer_certificate").asText()).get(0);
      List<TrustAnchor> anchors = new ArrayList<>();
      for (JsonNode t : tc.path("trusted_certs")) {
        parseQuietly(t.asText()).ifPresent(c -> anchors.add(new TrustAnchor.OfCertificate(c)));
      }
      List<Certificate> presented = new ArrayList<>();
      presented.add(peer);
      for (JsonNode u : tc.path("untrusted_intermediates")) {
        parseQuietly(u.asText()).ifPresent(presented::add);
      }
      ClientProfile profile = ClientProfile.webPki();
      if (tc.hasNonNull("max_chain_depth")) {
        // limbo counts intermediates; the profile counts leaf and anchor as well.
        profile = profile.withMaxDepth(tc.get("max_chain_depth").asInt() + 2);
      }
      Instant at =
          tc.hasNonNull("validation_time")
              ? Instant.parse(tc.get("validation_time").asText())
              : DEFAULT_TIME;
      Optional<String> host =
          peerName == null || peerName.isNull()
              ? Optional.empty()
              : Optional.of(peerName.get("value").asText());
      ValidationRequest request =
          new ValidationRequest(presented, List.of(), anchors, host, at, profile);
      if (tc.hasNonNull("crls") && tc.get("crls").size() > 0) {
        List<Crl> crls = new ArrayList<>();
        for (JsonNode c : tc.get("crls")) {
          crls.addAll(CrlParser.parse(c.asText()));
        }
        request = request.withRevocation(RevocationInputs.checkWith(crls));
      }
      ValidationResult r = validator.validate(request);
      actual = r.valid() ? "SUCCESS" : "FAILURE";
      detail =
          r.valid()
              ? "valid via " + r.path().size() + " certificates"
              : r.findings().stream()
                  .filter(f -> f.severity() == Severity.ERROR)
                  .map(f -> f.rule() + ": " + f.message())
                  .reduce((a, b) -> a + " | " + b)
                  .orElse("");
    } catch (CertificateInputException e) {
      actual = "FAILURE";
      detail = "peer does not parse: " + e.reason() + ": " + e.getMessage();
    }
    return new Outcome(
        id,
        namespace,
        peerKind,
        expected,
        actual,
        isSoft,
        null,
        detail,
        (System.nanoTime() - t0) / 1_000_000);
  }

  private static Optional<Certificate> parseQuietly(String pem) {
    try {
      return Optional.of(CertificateParser.parse(pem).get(0));
    } catch (CertificateInputException e) {
      // limbo includes deliberately unparseable CAs; a client cannot use them either.
      return Optional.empty();
    }
  }

  record Summary(
      int pass, int fail, int skip, int dnsPass, int dnsFail, Map<String, int[]> byNamespace) {
    static Summary of(List<Outcome> outcomes) {
      int pass = 0;
      int fail = 0;
      int skip = 0;
      int dnsPass = 0;
      int dnsFail = 0;
      Map<String, int[]> ns = new TreeMap<>();
      for (Outcome o : outcomes) {
        int[] c = ns.computeIfAbsent(o.namespace(), k -> new int[3]);
        if (o.skipped()) {
          skip++;
          c[2]++;
        } else if (o.pass()) {
          pass++;
          c[0]++;
          if (o.peerKind().equals("DNS")) {
            dnsPass++;
          }
        } else {
          fail++;
          c[1]++;
          if (o.peerKind().equals("DNS")) {
            dnsFail++;
          }
        }
      }
      return new Summary(pass, fail, skip, dnsPass, dnsFail, ns);
    }

    double dnsAgreement() {
      return dnsPass + dnsFail == 0 ? 0 : 100.0 * dnsPass / (dnsPass + dnsFail);
    }
  }

  private static void uncheckedWrite(Writer w, String s) {
    try {
      w.write(s);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void writeReport(List<Outcome> outcomes, Summary s, long elapsed)
      throws IOException {
    Path out = Path.of("target", "x509-limbo");
    Files.createDirectories(out);
    try (Writer w = Files.newBufferedWriter(out.resolve("summary.txt"), StandardCharsets.UTF_8)) {
      w.write(
          String.format(
              "total pass=%d fail=%d skip=%d elapsedMs=%d%nserver/dns pass=%d fail=%d agreement=%.3f%%%n",
              s.pass(), s.fail(), s.skip(), elapsed, s.dnsPass(), s.dnsFail(), s.dnsAgreement()));
      for (var e : s.byNamespace().entrySet()) {
        w.write(
            String.format(
                "namespace %s pass=%d fail=%d skip=%d%n",
                e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]));
      }
      Map<String, Integer> skipReasons = new TreeMap<>();
      outcomes.stream()
          .filter(Outcome::skipped)
          .forEach(o -> skipReasons.merge(o.skipReason(), 1, Integer::sum));
      for (var e : skipReasons.entrySet()) {
        w.write("skipped " + e.getValue() + ": " + e.getKey() + "\n");
      }
      outcomes.stream()
          .sorted(java.util.Comparator.comparingLong(Outcome::millis).reversed())
          .limit(5)
          .forEach(o -> uncheckedWrite(w, "slow case " + o.id() + " ms=" + o.millis() + "\n"));
    }
    try (Writer w =
        Files.newBufferedWriter(out.resolve("disagreements.txt"), StandardCharsets.UTF_8)) {
      for (Outcome o : outcomes) {
        if (!o.skipped() && !o.pass()) {
          w.write(
              o.id()
                  + "\texpected="
                  + o.expected()
                  + "\tactual="
                  + o.actual()
                  + "\t"
                  + o.detail()
                  + "\n");
        }
      }
    }
    try (Writer w = Files.newBufferedWriter(out.resolve("soft.txt"), StandardCharsets.UTF_8)) {
      for (Outcome o : outcomes) {
        if (!o.skipped() && o.soft() && !o.expected().equals(o.actual())) {
          w.write(
              o.id()
                  + "\texpected="
                  + o.expected()
                  + "\tactual="
                  + o.actual()
                  + "\t"
                  + o.detail()
                  + "\n");
        }
      }
    }
  }
}
