package dev.fleettrust.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleettrust.x509.CertificateInputException.Reason;
import dev.fleettrust.x509.TestPki.Issued;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.junit.jupiter.api.Test;

class CertificateParserTest {
  static final Issued ROOT = TestPki.root("Parser Root");
  static final Issued LEAF =
      TestPki.cert("CN=sip.example.net,O=Contoso")
          .dns("sip.example.net", "*.example.net")
          .ip("10.1.2.3")
          .crl("http://CRL.Contoso.example/root.crl")
          .caIssuers("http://aia.contoso.example/root.crt")
          .issuer(ROOT)
          .build();

  static byte[] p7b(Certificate... certs) throws Exception {
    List<X509CertificateHolder> holders = new ArrayList<>();
    for (Certificate c : certs) {
      holders.add(new X509CertificateHolder(c.encoded()));
    }
    CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
    gen.addCertificates(new JcaCertStore(holders));
    return gen.generate(new CMSAbsentContent()).getEncoded();
  }

  @Test
  void readsPemBundleWithCrlfAndTextBetweenBlocksAsOpensslShowcertsPrintsIt() throws Exception {
    String showcerts =
        "CONNECTED(00000003)\r\n---\r\nCertificate chain\r\n"
            + " 0 s:CN = sip.example.net\r\n   i:CN = Parser Root\r\n"
            + LEAF.cert().toPem().replace("\n", "\r\n")
            + " 1 s:CN = Parser Root\r\n   i:CN = Parser Root\r\n"
            + ROOT.cert().toPem().replace("\n", "\r\n")
            + "---\r\nServer certificate\r\nsubject=CN = sip.example.net\r\n";

    List<Certificate> certs = CertificateParser.parse(showcerts);

    assertThat(certs).containsExactly(LEAF.cert(), ROOT.cert());
  }

  @Test
  void readsCertutilStyleOutputInUtf16WithBom() throws Exception {
    String certutil =
        "Certificate:\r\n"
            + ROOT.cert().toPem().replace("\n", "\r\n")
            + "CertUtil: -encode command completed successfully.\r\n";
    byte[] utf16 = ("\uFEFF" + certutil).getBytes(StandardCharsets.UTF_16LE);

    assertThat(CertificateParser.parse(utf16)).containsExactly(ROOT.cert());
  }

  @Test
  void readsDerAndBareBase64() throws Exception {
    byte[] der = LEAF.cert().encoded();
    String base64 = Base64.getMimeEncoder().encodeToString(der);

    assertThat(CertificateParser.parse(der)).containsExactly(LEAF.cert());
    assertThat(CertificateParser.parse(base64)).containsExactly(LEAF.cert());
    assertThat(CertificateParser.parse(base64.getBytes(StandardCharsets.US_ASCII)))
        .containsExactly(LEAF.cert());
  }

  @Test
  void readsPkcs7CertsOnlyBundlesInDerAndPem() throws Exception {
    byte[] p7b = p7b(LEAF.cert(), ROOT.cert());
    String pem =
        "-----BEGIN PKCS7-----\n"
            + Base64.getMimeEncoder().encodeToString(p7b)
            + "\n-----END PKCS7-----\n";

    assertThat(CertificateParser.parse(p7b)).containsExactlyInAnyOrder(LEAF.cert(), ROOT.cert());
    assertThat(CertificateParser.parse(pem)).containsExactlyInAnyOrder(LEAF.cert(), ROOT.cert());
  }

  @Test
  void namesTheBlockThatFailsInAPemBundle() {
    String broken = "-----BEGIN CERTIFICATE-----\nMIIB!!notbase64\n-----END CERTIFICATE-----\n";
    String bundle = ROOT.cert().toPem() + "some text\n" + broken;

    assertThatThrownBy(() -> CertificateParser.parse(bundle))
        .isInstanceOfSatisfying(
            CertificateInputException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.MALFORMED_PEM);
              assertThat(e.block()).hasValue(2);
              assertThat(e.getMessage()).startsWith("Block 2");
            });
  }

  @Test
  void refusesPrivateKeysAndUnterminatedBlocks() {
    String withKey =
        ROOT.cert().toPem() + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    String unterminated = "-----BEGIN CERTIFICATE-----\nMIIB\n";

    assertThatThrownBy(() -> CertificateParser.parse(withKey))
        .isInstanceOfSatisfying(
            CertificateInputException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.NOT_A_CERTIFICATE);
              assertThat(e.block()).hasValue(2);
            });
    assertThatThrownBy(() -> CertificateParser.parse(unterminated))
        .isInstanceOfSatisfying(
            CertificateInputException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_PEM));
  }

  @Test
  void enforcesTheSizeAndCountLimits() {
    byte[] big = new byte[CertificateParser.MAX_INPUT_BYTES + 1];
    java.util.Arrays.fill(big, (byte) 'A');
    String fiftyOne = ROOT.cert().toPem().repeat(51);
    String fifty = ROOT.cert().toPem().repeat(50);

    assertThatThrownBy(() -> CertificateParser.parse(big))
        .isInstanceOfSatisfying(
            CertificateInputException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
    assertThatThrownBy(() -> CertificateParser.parse(new String(big, StandardCharsets.US_ASCII)))
        .isInstanceOfSatisfying(
            CertificateInputException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
    assertThatThrownBy(() -> CertificateParser.parse(fiftyOne))
        .isInstanceOfSatisfying(
            CertificateInputException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_CERTIFICATES));
    assertThat(catchList(fifty)).hasSize(50);
  }

  @Test
  void refusesEmptyAndUnrecognisedInput() {
    assertThatThrownBy(() -> CertificateParser.parse("  \r\n "))
        .isInstanceOfSatisfying(
            CertificateInputException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EMPTY));
    assertThatThrownBy(() -> CertificateParser.parse("this is not a certificate, sorry."))
        .isInstanceOfSatisfying(
            CertificateInputException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNRECOGNISED_FORMAT));
    assertThatThrownBy(() -> CertificateParser.parse(new byte[] {0x30, (byte) 0x82, 0x10}))
        .isInstanceOfSatisfying(
            CertificateInputException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_DER));
  }

  @Test
  void reportsTheFactsAdministratorsLookFor() throws Exception {
    CertificateFacts f = LEAF.cert().facts();

    assertThat(f.subject().rfc4514()).isEqualTo("CN=sip.example.net,O=Contoso");
    assertThat(f.issuer().canonical()).isEqualTo(ROOT.cert().facts().subject().canonical());
    assertThat(f.commonName()).contains("sip.example.net");
    assertThat(f.sha1Thumbprint()).matches("[0-9A-F]{40}");
    assertThat(f.sha256()).matches("[0-9a-f]{64}");
    assertThat(f.sha256())
        .isEqualTo(
            java.util.HexFormat.of()
                .formatHex(
                    java.security.MessageDigest.getInstance("SHA-256")
                        .digest(LEAF.cert().encoded())));
    assertThat(f.signatureAlgorithm().wireName()).isEqualTo("sha256WithRSAEncryption");
    assertThat(f.key().type()).isEqualTo(KeyType.EC);
    assertThat(f.key().curve()).contains("P-256");
    assertThat(f.authorityKeyId()).isEqualTo(ROOT.cert().facts().subjectKeyId());
    assertThat(f.subjectAltNames())
        .containsExactly(
            new SubjectAltName(GeneralNameType.DNS, "sip.example.net", false),
            new SubjectAltName(GeneralNameType.DNS, "*.example.net", true),
            new SubjectAltName(GeneralNameType.IP, "10.1.2.3", false));
    assertThat(f.assertsServerAuth()).isTrue();
    assertThat(f.crlDistributionPointUrls()).containsExactly("http://CRL.Contoso.example/root.crl");
    assertThat(f.caIssuersUrls()).containsExactly("http://aia.contoso.example/root.crt");
    assertThat(f.revocationHosts()).containsExactly("aia.contoso.example", "crl.contoso.example");
    assertThat(f.selfSigned()).isFalse();
    assertThat(f.basicConstraints().ca()).isFalse();
    assertThat(ROOT.cert().facts().selfSigned()).isTrue();
    assertThat(ROOT.cert().facts().key().describe()).isEqualTo("RSA 2048");
    assertThat(DistinguishedName.fromRfc4514(f.subject().rfc4514()).canonical())
        .isEqualTo(f.subject().canonical());
    assertThat(DistinguishedName.fromRfc4514("cn=SIP.example.net,  o=contoso").canonical())
        .isEqualTo(f.subject().canonical());
  }

  @Test
  void namesSignatureAlgorithmsAsTheContractSpellsThem() {
    Issued pss = TestPki.cert("CN=pss").issuer(ROOT).signature("SHA384withRSAandMGF1").build();
    Issued md5 = TestPki.cert("CN=md5").issuer(ROOT).signature("MD5withRSA").build();
    Issued sha1 = TestPki.cert("CN=sha1").issuer(ROOT).signature("SHA1withRSA").build();
    Issued ecdsa =
        TestPki.cert("CN=ec")
            .keys(TestPki.ec("x"))
            .issuer(new Issued(ROOT.cert(), TestPki.ec("ca"), ROOT.name()))
            .build();

    assertThat(pss.cert().facts().signatureAlgorithm().wireName()).isEqualTo("RSASSA-PSS");
    assertThat(pss.cert().facts().pssHash()).contains("SHA-384");
    assertThat(md5.cert().facts().signatureAlgorithm().wireName())
        .isEqualTo("md5WithRSAEncryption");
    assertThat(sha1.cert().facts().signatureAlgorithm().wireName())
        .isEqualTo("sha1WithRSAEncryption");
    assertThat(ecdsa.cert().facts().signatureAlgorithm().wireName()).isEqualTo("ecdsa-with-SHA256");
    assertThat(SignatureAlgorithm.fromWireName("Ed25519")).contains(SignatureAlgorithm.ED25519);
  }

  @Test
  void equalityFollowsTheSha256Fingerprint() throws Exception {
    Certificate again = CertificateParser.parse(LEAF.cert().encoded()).get(0);

    assertThat(again).isEqualTo(LEAF.cert()).hasSameHashCodeAs(LEAF.cert());
    assertThat(again).isNotEqualTo(ROOT.cert());
  }

  private static List<Certificate> catchList(String s) {
    try {
      return CertificateParser.parse(s);
    } catch (CertificateInputException e) {
      throw new AssertionError(e);
    }
  }
}
