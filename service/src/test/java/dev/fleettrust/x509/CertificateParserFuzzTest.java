package dev.fleettrust.x509;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input never escapes as anything but {@link CertificateInputException}: whatever bytes
 * arrive, the parser returns certificates or a typed error, and whatever certificates it returns
 * can be validated and linted without an exception. Plain {@code mvn test} runs Jazzer in
 * regression mode and runs the seed corpus under x509/fuzz-seeds as ordinary cases; {@code
 * JAZZER_FUZZ=1 mvn test -Dtest=CertificateParserFuzzTest} fuzzes for real.
 */
class CertificateParserFuzzTest {
  private static final PathValidator VALIDATOR = new PathValidator();

  /**
   * In regression mode (no JAZZER_FUZZ) the parser needs no sanitizer hooks, and the hooks would
   * otherwise instrument every class the rest of the shared test JVM loads.
   */
  @BeforeAll
  static void noSanitizerHooksOutsideFuzzing() {
    String fuzz = System.getenv("JAZZER_FUZZ");
    if ((fuzz == null || fuzz.isEmpty()) && System.getProperty("jazzer.hooks") == null) {
      System.setProperty("jazzer.hooks", "false");
    }
  }

  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  @FuzzTest(maxDuration = "60s")
  void parsesAnythingOrSaysWhy(byte[] input) {
    List<Certificate> certs;
    try {
      certs = CertificateParser.parse(input);
    } catch (CertificateInputException expected) {
      assertThat(expected.reason()).isNotNull();
      assertThat(expected.getMessage()).isNotBlank();
      return;
    }
    assertThat(certs).isNotEmpty();
    for (Certificate c : certs) {
      assertThat(c.facts().sha256()).hasSize(64);
      c.facts().revocationHosts();
    }
    ValidationResult r =
        VALIDATOR.validate(
            new ValidationRequest(
                certs,
                List.of(),
                certs.stream().map(c -> (TrustAnchor) new TrustAnchor.OfCertificate(c)).toList(),
                Optional.of("example.com"),
                AT,
                ClientProfile.webPki()));
    assertThat(r.valid() || !r.errorRules().isEmpty()).isTrue();
    ChainLinter.lint(certs, AT);
    BundleOrderer.order(certs);
  }

  static Stream<String> seeds() {
    return Stream.of(
        "google-leaf.der",
        "google-chain.pem",
        "google-chain.p7b",
        "root.der",
        "explicit-curve.der",
        "malformed-san.der",
        "truncated.der",
        "bad-length.der",
        "huge-length.der",
        "deep-nesting.der");
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void seedCorpusNeverEscapesAsAnythingButATypedError(String seed) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/x509/fuzz-seeds/" + seed)) {
      assertThat(in).as(seed).isNotNull();
      parsesAnythingOrSaysWhy(in.readAllBytes());
    }
  }
}
