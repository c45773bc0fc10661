package dev.fleettrust.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.trust.TestPki;
import dev.fleettrust.x509.ClientProfile;
import dev.fleettrust.x509.KeyType;
import dev.fleettrust.x509.PathValidator;
import dev.fleettrust.x509.ProfileLookup;
import dev.fleettrust.x509.RuleId;
import dev.fleettrust.x509.SignatureAlgorithm;
import dev.fleettrust.x509.TrustAnchor;
import dev.fleettrust.x509.ValidationRequest;
import dev.fleettrust.x509.ValidationResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * verify.sh's {@code --profile FAMILY:build} goes through {@link ProfileLookup#installed()}, which
 * finds {@link CatalogProfileLookup} through ServiceLoader.
 */
class CatalogProfileLookupTest {
  private final ProfileLookup installed = ProfileLookup.installed();

  @Test
  void resolvesTheJune2012LpeBuildToItsEffectiveProfileThroughServiceLoader() {
    ClientProfile profile = installed.find("LPE-AIRES:4.0.7577.4100").orElseThrow();

    assertThat(profile.name()).isEqualTo("LPE-AIRES:4.0.7577.4100");
    assertThat(profile.wildcardNames()).isTrue();
    assertThat(profile.acceptedSignatureAlgorithms())
        .containsExactlyInAnyOrder(
            SignatureAlgorithm.SHA1_WITH_RSA, SignatureAlgorithm.SHA256_WITH_RSA);
    assertThat(profile.acceptedKeyTypes()).containsExactly(KeyType.RSA);
    assertThat(profile.minRsaBits()).isEqualTo(1024);
    assertThat(profile.maxRsaBits()).isEqualTo(4096);
    assertThat(profile.maxDepth()).isEqualTo(6);
    assertThat(profile.requireServerAuthEku()).isTrue();
    assertThat(profile.fetchesAiaIntermediates()).isFalse();
    assertThat(profile.commonNameFallback()).isTrue();
    assertThat(profile.strictIssuanceChecks()).isFalse();
  }

  @Test
  void buildBeforeJune2012TakesItsOwnOverrideOfWildcardSupport() {
    assertThat(installed.find("LPE-AIRES:4.0.7577.107").orElseThrow().wildcardNames()).isFalse();
  }

  @Test
  void acceptsFamilyAliasesAndABareFamilyForItsDefaults() {
    assertThat(installed.find("lpe-aries:4.0.7577.4100")).isPresent();
    ClientProfile defaults = installed.find("LPE-AIRES").orElseThrow();
    assertThat(defaults.name()).isEqualTo("LPE-AIRES");
    assertThat(defaults.wildcardNames()).isTrue();
  }

  @Test
  void uncataloguedBuildOfACertifiedLineTakesTheFamilyDefaults() {
    ClientProfile vvx = installed.find("POLYCOM-VVX:6.4.0.1234").orElseThrow();
    assertThat(vvx.name()).isEqualTo("POLYCOM-VVX:6.4.0.1234");
  }

  @Test
  void unknownFamiliesAndUncataloguedLpeBuildsAreNotProfiles() {
    assertThat(installed.find("NO-SUCH-FAMILY:1.0")).isEmpty();
    assertThat(installed.find("LPE-AIRES:9.9.9")).isEmpty();
    assertThat(installed.find("LPE-AIRES:not-a-build")).isEmpty();
    assertThat(new CatalogProfileLookup().find("WEB_PKI")).isEmpty();
    assertThat(installed.find("web-pki")).contains(ClientProfile.webPki());
  }

  @Test
  void theProfileDecidesWhetherAWildcardOnlyNameValidates() {
    TestPki pki = new TestPki();
    TestPki.Issued root = pki.root("CN=Lookup Root,O=Test").build();
    TestPki.Issued leaf =
        pki.leaf("CN=pool.example.net,O=Test", root).sans("*.example.net").build();

    ValidationResult june2012 = validate(leaf, root, installed.find("LPE-AIRES:4.0.7577.4100"));
    ValidationResult cu1 = validate(leaf, root, installed.find("LPE-AIRES:4.0.7577.107"));

    assertThat(june2012.valid()).isTrue();
    assertThat(cu1.valid()).isFalse();
    assertThat(cu1.has(RuleId.WILDCARD_UNSUPPORTED)).isTrue();
  }

  private static ValidationResult validate(
      TestPki.Issued leaf, TestPki.Issued root, Optional<ClientProfile> profile) {
    return new PathValidator()
        .validate(
            new ValidationRequest(
                List.of(leaf.cert()),
                List.of(),
                List.of(new TrustAnchor.OfCertificate(root.cert())),
                Optional.of("sip.example.net"),
                Instant.parse("2026-03-01T00:00:00Z"),
                profile.orElseThrow()));
  }

  @Test
  void signatureAlgorithmsOfTheOcsEraBuildComeFromItsOverride() {
    Set<SignatureAlgorithm> tanjay =
        installed.find("LPE-TANJAY:1.0.522").orElseThrow().acceptedSignatureAlgorithms();
    assertThat(tanjay).doesNotContain(SignatureAlgorithm.SHA256_WITH_RSA);
  }
}
