package dev.fleettrust.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.ReasonFlags;
import org.junit.jupiter.api.Test;

class CrlParserTest {
  private static final TestPki.Issued ROOT = TestPki.root("CRL Parser Root");

  @Test
  void readsIssuerTimesEntriesAndDigestOfADerCrl() throws Exception {
    TestPki.Issued leaf = TestPki.cert("CN=revoked.example").issuer(ROOT).build();
    Instant revokedAt = TestPki.NOW.minus(2, ChronoUnit.DAYS);
    byte[] der =
        TestPki.crl(ROOT).number(42).revoke(leaf.cert(), revokedAt, CRLReason.keyCompromise).der();

    List<Crl> crls = CrlParser.parse(der);

    assertThat(crls).hasSize(1);
    CrlFacts f = crls.get(0).facts();
    assertThat(f.issuer().rfc4514()).isEqualTo("CN=CRL Parser Root,O=FleetTrust Test");
    assertThat(f.thisUpdate()).isEqualTo(TestPki.NOW.minus(1, ChronoUnit.DAYS));
    assertThat(f.nextUpdate()).contains(TestPki.NOW.plus(7, ChronoUnit.DAYS));
    assertThat(f.crlNumber()).contains("42");
    assertThat(f.isDelta()).isFalse();
    assertThat(f.version()).isEqualTo(2);
    assertThat(f.signatureAlgorithm()).isEqualTo(SignatureAlgorithm.SHA256_WITH_RSA);
    assertThat(f.sha256()).hasSize(64).isEqualTo(crls.get(0).sha256());
    assertThat(f.authorityKeyId()).isEqualTo(ROOT.cert().facts().subjectKeyId());
    assertThat(f.revoked())
        .containsExactly(
            new RevokedCertificate(
                leaf.cert().facts().serialHex(),
                revokedAt,
                Optional.of(RevocationReason.KEY_COMPROMISE),
                Optional.empty(),
                Optional.empty()));
    assertThat(f.staleAt(TestPki.NOW)).isFalse();
    assertThat(f.staleAt(TestPki.NOW.plus(8, ChronoUnit.DAYS))).isTrue();
  }

  @Test
  void readsAPemBundleOfACompleteAndADeltaCrlWithTextBetweenBlocks() throws Exception {
    Crl complete = TestPki.crl(ROOT).number(7).build();
    Crl delta = TestPki.crl(ROOT).number(8).deltaOf(7).build();
    String bundle = "complete:\n" + complete.toPem() + "\r\ndelta:\r\n" + delta.toPem();

    List<Crl> crls = CrlParser.parse(bundle.getBytes(StandardCharsets.UTF_8));

    assertThat(crls).containsExactly(complete, delta);
    assertThat(crls.get(1).facts().isDelta()).isTrue();
    assertThat(crls.get(1).facts().deltaBaseCrlNumber()).contains("7");
    assertThat(crls.get(1).facts().criticalExtensionOids()).contains("2.5.29.27");
  }

  @Test
  void readsConcatenatedDerCrls() throws Exception {
    byte[] a = TestPki.crl(ROOT).number(1).der();
    byte[] b = TestPki.crl(ROOT).number(2).der();
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);

    assertThat(CrlParser.parse(both))
        .extracting(c -> c.facts().crlNumber().orElseThrow())
        .containsExactly("1", "2");
  }

  @Test
  void readsTheIssuingDistributionPoint() throws Exception {
    GeneralNames uri =
        new GeneralNames(
            new GeneralName(GeneralName.uniformResourceIdentifier, "http://crl.example/ca.crl"));
    IssuingDistributionPoint idp =
        new IssuingDistributionPoint(
            new DistributionPointName(uri),
            false,
            true,
            new ReasonFlags(ReasonFlags.keyCompromise | ReasonFlags.privilegeWithdrawn),
            false,
            false);

    CrlFacts f = TestPki.crl(ROOT).idp(idp).build().facts();

    assertThat(f.issuingDistributionPoint())
        .contains(
            new dev.fleettrust.x509.IssuingDistributionPoint(
                List.of("URI:http://crl.example/ca.crl"),
                false,
                true,
                Optional.of(
                    Set.of(RevocationReason.KEY_COMPROMISE, RevocationReason.PRIVILEGE_WITHDRAWN)),
                false,
                false));
  }

  @Test
  void refusesACertificateGivenAsACrlWithAReasonNotAStackTrace() {
    String pem = ROOT.cert().toPem();

    assertThatThrownBy(() -> CrlParser.parse(pem))
        .isInstanceOf(CertificateInputException.class)
        .hasMessageContaining("not a CRL");
    assertThatThrownBy(() -> CrlParser.parse(ROOT.cert().encoded()))
        .isInstanceOf(CertificateInputException.class)
        .hasMessageContaining("not an X.509 CRL");
  }

  @Test
  void refusesEmptyAndTruncatedInput() {
    byte[] der = TestPki.crl(ROOT).der();
    byte[] truncated = java.util.Arrays.copyOf(der, der.length - 5);

    assertThatThrownBy(() -> CrlParser.parse(" \n".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CertificateInputException.class)
        .extracting(e -> ((CertificateInputException) e).reason())
        .isEqualTo(CertificateInputException.Reason.EMPTY);
    assertThatThrownBy(() -> CrlParser.parse(truncated))
        .isInstanceOf(CertificateInputException.class)
        .extracting(e -> ((CertificateInputException) e).reason())
        .isEqualTo(CertificateInputException.Reason.MALFORMED_DER);
  }
}
