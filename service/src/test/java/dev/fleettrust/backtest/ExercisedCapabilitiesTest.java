package dev.fleettrust.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.impact.Change;
import dev.fleettrust.impact.Environment;
import dev.fleettrust.impact.Pool;
import dev.fleettrust.impact.Usage;
import dev.fleettrust.trust.Capabilities;
import dev.fleettrust.trust.Capability;
import dev.fleettrust.trust.TestPki;
import dev.fleettrust.trust.TlsVersion;
import dev.fleettrust.x509.SignatureAlgorithm;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a change asks of the firmware that the chain it replaces did not, and its correction. */
class ExercisedCapabilitiesTest {
  private static final String POOL = "pool01.contoso.com";
  private final TestPki pki = new TestPki();
  private final TestPki.Issued root = pki.root("CN=Exercise Root,O=FleetTrust Test").build();
  private final TestPki.Issued issuing =
      pki.ca("CN=Exercise Issuing,O=FleetTrust Test", root).build();
  private final TestPki.Issued exact =
      pki.leaf("CN=" + POOL, issuing).sans(POOL, "sip.contoso.com").build();

  private Environment before() {
    return new Environment(
        List.of(
            new Pool(
                POOL,
                List.of("sip.contoso.com"),
                Map.of(Usage.DEFAULT, TestPki.chain(exact, issuing)),
                List.of(),
                true,
                Set.of())),
        List.of(),
        List.of(),
        List.of(),
        Set.of());
  }

  private Set<Exercise> replacingWith(TestPki.Issued... chain) {
    return ExercisedCapabilities.of(
        List.of(new Change.ReplaceCertificate(POOL, Usage.DEFAULT, TestPki.chain(chain))),
        before());
  }

  @Test
  void aWildcardFromTheSameIssuerExercisesWildcardNamesOnly() {
    TestPki.Issued wildcard = pki.leaf("CN=" + POOL, issuing).sans(POOL, "*.contoso.com").build();
    assertThat(replacingWith(wildcard, issuing)).containsExactly(new Exercise.WildcardNames());
  }

  @Test
  void aWildcardUnderANewRootExercisesTwoThingsSoNoCapabilityIsBlamed() {
    TestPki.Issued otherRoot = pki.root("CN=Other Root,O=FleetTrust Test").build();
    TestPki.Issued wildcard = pki.leaf("CN=" + POOL, otherRoot).sans("*.contoso.com").build();
    assertThat(replacingWith(wildcard)).hasSize(2).contains(new Exercise.WildcardNames());
  }

  @Test
  @SuppressWarnings("unchecked")
  void aSha384ReissueExercisesThatAlgorithmAndTheCorrectionDropsIt() {
    TestPki.Issued sha384 =
        pki.leaf("CN=" + POOL, issuing).sans(POOL).signedWith("SHA384withRSA").build();
    Set<Exercise> exercised = replacingWith(sha384, issuing);
    assertThat(exercised)
        .containsExactly(new Exercise.SignatureAlgorithmUsed(SignatureAlgorithm.SHA384_WITH_RSA));
    Correction correction =
        Correction.of(exercised.iterator().next(), Capabilities.BASELINE).orElseThrow();
    assertThat(correction.capability()).isEqualTo(Capability.SIGNATURE_ALGORITHMS);
    assertThat((List<Object>) correction.currentValue()).contains("sha384WithRSAEncryption");
    assertThat((List<Object>) correction.proposedValue())
        .doesNotContain("sha384WithRSAEncryption")
        .contains("sha256WithRSAEncryption");
  }

  @Test
  void droppingTls10ProposesTheHighestVersionBelowWhatIsLeft() {
    Set<Exercise> exercised =
        ExercisedCapabilities.of(
            List.of(new Change.SetTlsVersions(POOL, Set.of(TlsVersion.TLS_1_2))), before());
    assertThat(exercised)
        .containsExactly(new Exercise.TlsVersionsLimited(Set.of(TlsVersion.TLS_1_2)));
    Correction correction =
        Correction.of(exercised.iterator().next(), Capabilities.BASELINE).orElseThrow();
    assertThat(correction.capability()).isEqualTo(Capability.MAX_TLS_VERSION);
    assertThat(correction.proposedValue()).isEqualTo("TLSv1.1");
  }

  @Test
  void noCorrectionWhenTheCatalogAlreadySaysTheBuildLacksIt() {
    Capabilities noWildcards =
        dev.fleettrust.trust.CapabilityOverrides.builder()
            .wildcardNames(false)
            .build()
            .resolveOn(Capabilities.BASELINE);
    assertThat(Correction.of(new Exercise.WildcardNames(), noWildcards)).isEmpty();
  }
}
