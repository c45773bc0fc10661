package dev.fleettrust.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.fleettrust.x509.TestPki.Issued;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * Deterministic mutation of real certificates (truncation at every length, corrupted length bytes,
 * random byte flips, deep nesting, huge integers): the parser must answer every one with
 * certificates or a {@link CertificateInputException}, never another exception, and whatever it
 * accepts must validate without throwing.
 */
class HostileDerTest {
  static final Issued ROOT = TestPki.root("Hostile Root");
  static final Issued RICH =
      TestPki.cert("CN=rich.example.net,O=Contoso")
          .dns("rich.example.net", "*.rich.example.net")
          .ip("192.0.2.7")
          .crl("http://crl.example.net/a.crl")
          .caIssuers("http://aia.example.net/a.crt")
          .issuer(ROOT)
          .build();
  static final Issued CONSTRAINED =
      TestPki.cert("CN=Constrained")
          .ca(1)
          .keys(TestPki.rsa("hostile-nc"))
          .permitDns("example.net")
          .issuer(ROOT)
          .signature("SHA256withRSAandMGF1")
          .build();
  static final PathValidator VALIDATOR = new PathValidator();

  int parsed;
  int refused;

  void feed(byte[] input) {
    List<Certificate> certs;
    try {
      certs = CertificateParser.parse(input);
      parsed++;
    } catch (CertificateInputException e) {
      refused++;
      assertThat(e.getMessage()).isNotBlank();
      return;
    } catch (Throwable t) {
      fail(
          "parser threw "
              + t
              + " for input "
              + HexFormat.of().formatHex(input, 0, Math.min(input.length, 64)),
          t);
      return;
    }
    try {
      VALIDATOR.validate(
          new ValidationRequest(
              certs,
              List.of(),
              List.of(new TrustAnchor.OfCertificate(ROOT.cert())),
              Optional.of("rich.example.net"),
              TestPki.NOW,
              ClientProfile.webPki()));
      ChainLinter.lint(certs, TestPki.NOW);
    } catch (Throwable t) {
      fail("validation threw " + t + " for a parsed mutant", t);
    }
  }

  @Test
  void survivesThousandsOfMutationsOfRealCertificates() {
    Random random = new Random(20260301L);
    List<byte[]> originals =
        List.of(ROOT.cert().encoded(), RICH.cert().encoded(), CONSTRAINED.cert().encoded());
    for (byte[] der : originals) {
      for (int len = 0; len < der.length; len++) {
        feed(java.util.Arrays.copyOf(der, len));
      }
      List<Integer> lengthBytes = lengthOffsets(der);
      for (int i = 0; i < 3_000; i++) {
        byte[] m = der.clone();
        int at = lengthBytes.get(random.nextInt(lengthBytes.size()));
        m[at] =
            (byte)
                switch (random.nextInt(5)) {
                  case 0 -> 0x80;
                  case 1 -> 0x84;
                  case 2 -> 0xff;
                  case 3 -> m[at] + 1;
                  default -> random.nextInt(256);
                };
        feed(m);
      }
      for (int i = 0; i < 3_000; i++) {
        byte[] m = der.clone();
        int flips = 1 + random.nextInt(4);
        for (int f = 0; f < flips; f++) {
          m[random.nextInt(m.length)] = (byte) random.nextInt(256);
        }
        feed(m);
      }
      for (int i = 0; i < 200; i++) {
        String pem =
            "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder()
                    .encodeToString(java.util.Arrays.copyOf(der, random.nextInt(der.length)))
                + "\n-----END CERTIFICATE-----\n";
        feed(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
    }
    assertThat(parsed + refused).isGreaterThan(20_000);
    assertThat(refused).isGreaterThan(parsed);
  }

  @Test
  void refusesDeepNestingWithoutExhaustingTheStack() {
    byte[] definite = nested(100_000);
    byte[] indefinite = new byte[200_000];
    for (int i = 0; i < indefinite.length; i += 2) {
      indefinite[i] = 0x30;
      indefinite[i + 1] = (byte) 0x80;
    }
    feed(definite);
    feed(indefinite);
    assertThat(refused).isEqualTo(2);
  }

  @Test
  void survivesDeepNestingInsideAnExtension() throws Exception {
    byte[] value = nested(20_000);
    Issued deep = TestPki.cert("CN=deep.example.net").dns("deep.example.net").issuer(ROOT).build();
    X509v3CertificateBuilder b =
        new X509v3CertificateBuilder(
            ROOT.name(),
            BigInteger.TEN,
            Date.from(TestPki.NOW.minusSeconds(60)),
            Date.from(TestPki.NOW.plusSeconds(3600)),
            new X500Name("CN=deep.example.net"),
            deep.cert().data().spki());
    b.addExtension(new Extension(Extension.subjectAlternativeName, false, value));
    byte[] der =
        b.build(
                new JcaContentSignerBuilder("SHA256withRSA")
                    .setProvider(TestPki.BC)
                    .build(ROOT.keys().getPrivate()))
            .getEncoded();

    Certificate c = CertificateParser.parse(der).get(0);
    ValidationResult r =
        VALIDATOR.validate(
            new ValidationRequest(
                List.of(c),
                List.of(),
                List.of(new TrustAnchor.OfCertificate(ROOT.cert())),
                Optional.of("deep.example.net"),
                TestPki.NOW,
                ClientProfile.webPki()));

    assertThat(r.errorRules()).contains(RuleId.MALFORMED_CERTIFICATE);
  }

  @Test
  void copesWithHugeSerialsAndModuli() throws Exception {
    BigInteger hugeSerial = BigInteger.ONE.shiftLeft(80_000).add(BigInteger.ONE);
    BigInteger hugeModulus = BigInteger.ONE.shiftLeft(100_000).add(BigInteger.valueOf(12345));
    SubjectPublicKeyInfo spki =
        new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
            new RSAPublicKey(hugeModulus, BigInteger.valueOf(65537)));
    X509v3CertificateBuilder b =
        new X509v3CertificateBuilder(
            ROOT.name(),
            hugeSerial,
            Date.from(TestPki.NOW.minusSeconds(60)),
            Date.from(TestPki.NOW.plusSeconds(3600)),
            new X500Name("CN=Huge CA"),
            spki);
    b.addExtension(
        Extension.basicConstraints, true, new org.bouncycastle.asn1.x509.BasicConstraints(true));
    byte[] der =
        b.build(
                new JcaContentSignerBuilder("SHA256withRSA")
                    .setProvider(TestPki.BC)
                    .build(ROOT.keys().getPrivate()))
            .getEncoded();

    Certificate huge = CertificateParser.parse(der).get(0);
    assertThat(huge.facts().key().bits()).isEqualTo(100_001);
    assertThat(huge.facts().serialHex()).hasSize(20_001);
    // A leaf that names the huge CA as issuer: checking its signature would mean a 100,000-bit
    // modular exponentiation, which the validator refuses to start.
    Issued claimsHugeIssuer =
        TestPki.cert("CN=victim.example.net")
            .dns("victim.example.net")
            .issuer(new Issued(huge, ROOT.keys(), new X500Name("CN=Huge CA")))
            .build();
    long start = System.nanoTime();
    ValidationResult asLeaf =
        VALIDATOR.validate(
            new ValidationRequest(
                List.of(huge),
                List.of(),
                List.of(new TrustAnchor.OfCertificate(ROOT.cert())),
                Optional.empty(),
                TestPki.NOW,
                ClientProfile.webPki()));
    ValidationResult below =
        VALIDATOR.validate(
            new ValidationRequest(
                List.of(claimsHugeIssuer.cert(), huge),
                List.of(),
                List.of(new TrustAnchor.OfCertificate(ROOT.cert())),
                Optional.empty(),
                TestPki.NOW,
                ClientProfile.webPki()));
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    assertThat(asLeaf.errorRules()).contains(RuleId.KEY_UNSUPPORTED);
    assertThat(below.valid()).isFalse();
    feed(new ASN1Integer(hugeModulus).getEncoded());
  }

  private static byte[] nested(int depth) {
    // SEQUENCE { SEQUENCE { ... } } built inside out with long-form lengths.
    byte[] out = new byte[depth * 6];
    int len = 0;
    int pos = out.length;
    for (int i = 0; i < depth; i++) {
      pos -= 6;
      out[pos] = 0x30;
      out[pos + 1] = (byte) 0x84;
      out[pos + 2] = (byte) (len >>> 24);
      out[pos + 3] = (byte) (len >>> 16);
      out[pos + 4] = (byte) (len >>> 8);
      out[pos + 5] = (byte) len;
      len += 6;
    }
    return out;
  }

  /** Offsets of the length octets of every TLV header in a DER structure. */
  private static List<Integer> lengthOffsets(byte[] der) {
    List<Integer> offsets = new ArrayList<>();
    walk(der, 0, der.length, offsets, 0);
    return offsets;
  }

  private static void walk(byte[] der, int from, int to, List<Integer> out, int depth) {
    int pos = from;
    while (pos < to && depth < 40) {
      int tag = der[pos] & 0xff;
      int lenAt = pos + 1;
      int first = der[lenAt] & 0xff;
      int len;
      int header;
      if (first < 0x80) {
        len = first;
        header = 2;
      } else {
        int n = first & 0x7f;
        len = 0;
        for (int i = 0; i < n; i++) {
          len = (len << 8) | (der[lenAt + 1 + i] & 0xff);
        }
        header = 2 + n;
      }
      out.add(lenAt);
      if ((tag & 0x20) != 0) {
        walk(der, pos + header, pos + header + len, out, depth + 1);
      } else if (tag == 0x04 || tag == 0x03) {
        int start = pos + header + (tag == 0x03 ? 1 : 0);
        if (start < pos + header + len && (der[start] & 0xff) == 0x30) {
          try {
            walk(der, start, pos + header + len, out, depth + 1);
          } catch (ArrayIndexOutOfBoundsException notDer) {
            // An octet string that only looked like DER: its bytes were recorded up to here.
          }
        }
      }
      pos += header + len;
    }
  }
}
