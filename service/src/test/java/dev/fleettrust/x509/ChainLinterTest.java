package dev.fleettrust.x509;

import static dev.fleettrust.x509.TestPki.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.x509.TestPki.Issued;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

class ChainLinterTest {
  static final String CRL = "http://pki.contoso.example/issuing.crl";
  static final Issued ROOT = TestPki.root("Lint Root");
  static final Issued INT =
      TestPki.cert("CN=Lint Issuing").ca(0).keys(TestPki.rsa("lint-int")).issuer(ROOT).build();

  static TestPki.Builder leaf() {
    return TestPki.cert("CN=pool.contoso.example").dns("pool.contoso.example").crl(CRL).issuer(INT);
  }

  static List<RuleId> rules(List<Finding> findings) {
    return findings.stream().map(Finding::rule).toList();
  }

  @Test
  void passesAChainLyncAccepts() {
    List<Finding> findings =
        ChainLinter.lint(List.of(leaf().build().cert(), INT.cert(), ROOT.cert()), NOW);

    assertThat(findings).isEmpty();
  }

  @Test
  void flagsMd5AnywhereInTheChain() {
    Issued md5 = leaf().signature("MD5withRSA").build();

    assertThat(rules(ChainLinter.lint(List.of(md5.cert(), INT.cert(), ROOT.cert()), NOW)))
        .containsExactly(RuleId.LINT_MD5_SIGNATURE);
  }

  @Test
  void flagsRsassaPssFromAlternateSignatureAlgorithm() {
    Issued pssInt =
        TestPki.cert("CN=Lint PSS Issuing")
            .ca(0)
            .keys(TestPki.rsa("lint-pss"))
            .issuer(ROOT)
            .signature("SHA256withRSAandMGF1")
            .build();
    Issued l =
        TestPki.cert("CN=pool.contoso.example")
            .dns("pool.contoso.example")
            .crl(CRL)
            .issuer(pssInt)
            .build();

    List<Finding> findings = ChainLinter.lint(List.of(l.cert(), pssInt.cert(), ROOT.cert()), NOW);

    assertThat(rules(findings)).containsExactly(RuleId.LINT_RSASSA_PSS);
    assertThat(findings.get(0).message()).contains("SHA-256");
  }

  @Test
  void flagsAWildcardCommonName() {
    Issued wildcard =
        TestPki.cert("CN=*.contoso.example").dns("*.contoso.example").crl(CRL).issuer(INT).build();

    assertThat(rules(ChainLinter.lint(List.of(wildcard.cert(), INT.cert(), ROOT.cert()), NOW)))
        .containsExactly(RuleId.LINT_WILDCARD_CN);
  }

  @Test
  void flagsMissingServerAuthAndCrlDistributionPoint() {
    Issued bare =
        TestPki.cert("CN=pool.contoso.example")
            .dns("pool.contoso.example")
            .noServerAuth()
            .eku(KeyPurposeId.id_kp_clientAuth)
            .issuer(INT)
            .build();

    assertThat(rules(ChainLinter.lint(List.of(bare.cert(), INT.cert(), ROOT.cert()), NOW)))
        .containsExactlyInAnyOrder(
            RuleId.LINT_NO_SERVER_AUTH_EKU, RuleId.LINT_NO_CRL_DISTRIBUTION_POINT);
  }

  @Test
  void flagsRsaKeysUnder2048Bits() {
    Issued weak = leaf().keys(TestPki.rsa(1024)).build();

    assertThat(rules(ChainLinter.lint(List.of(weak.cert(), INT.cert(), ROOT.cert()), NOW)))
        .containsExactly(RuleId.LINT_WEAK_RSA_KEY);
  }

  @Test
  void flagsAChainThatStopsBelowASelfSignedRoot() {
    assertThat(rules(ChainLinter.lint(List.of(leaf().build().cert(), INT.cert()), NOW)))
        .containsExactly(RuleId.LINT_NO_SELF_SIGNED_ROOT);
  }

  @Test
  void flagsExpiryWithinThirtyDaysOfThePlannedDate() {
    Issued soon =
        leaf().validity(NOW.minus(300, ChronoUnit.DAYS), NOW.plus(20, ChronoUnit.DAYS)).build();
    List<Finding> planned = ChainLinter.lint(List.of(soon.cert(), INT.cert(), ROOT.cert()), NOW);
    List<Finding> tooLate =
        ChainLinter.lint(
            List.of(soon.cert(), INT.cert(), ROOT.cert()), NOW.plus(60, ChronoUnit.DAYS));

    assertThat(planned)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo(RuleId.LINT_EXPIRES_SOON);
              assertThat(f.severity()).isEqualTo(Severity.WARNING);
            });
    assertThat(tooLate)
        .singleElement()
        .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.ERROR));
  }

  @Test
  void flagsABundleThatIsNotOneChain() {
    Issued other =
        TestPki.cert("CN=other.contoso.example")
            .dns("other.contoso.example")
            .crl(CRL)
            .keys(TestPki.ec("other"))
            .issuer(INT)
            .build();

    assertThat(
            rules(
                ChainLinter.lint(
                    List.of(leaf().build().cert(), other.cert(), INT.cert(), ROOT.cert()), NOW)))
        .containsExactly(RuleId.LINT_NOT_ONE_CHAIN);
  }

  @Test
  void reportsARevokedLeafAndALapsedCaCrlForThePlannedDate() {
    Issued leaf = leaf().build();
    List<Certificate> chain = List.of(leaf.cert(), INT.cert(), ROOT.cert());
    Crl rootCrl =
        TestPki.crl(ROOT).times(NOW.minusSeconds(86_400), NOW.plusSeconds(10 * 86_400)).build();
    Crl intCrl = TestPki.crl(INT).build();
    Crl revoking = TestPki.crl(INT).revoke(leaf.cert(), NOW.minusSeconds(60), 4).build();

    assertThat(ChainLinter.revocation(chain, NOW, List.of(rootCrl, intCrl))).isEmpty();
    assertThat(rules(ChainLinter.revocation(chain, NOW, List.of(rootCrl, revoking))))
        .containsExactly(RuleId.CERTIFICATE_REVOKED);
    assertThat(
            rules(
                ChainLinter.revocation(
                    chain, NOW.plusSeconds(9 * 86_400), List.of(rootCrl, intCrl))))
        .containsExactly(RuleId.REVOCATION_STALE);
  }
}
