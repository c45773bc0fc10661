package dev.fleettrust.x509;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test-only certificate factory built on Bouncy Castle: roots, intermediates and leaves with
 * exactly the extensions a test needs. Keys are generated once per kind and reused, so tests stay
 * fast; {@link #freshRsa()} gives a new key when a test needs a distinct one.
 */
final class TestPki {
  static final Provider BC = new BouncyCastleProvider();
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Map<String, KeyPair> KEYS = new ConcurrentHashMap<>();
  private static final AtomicLong SERIAL = new AtomicLong(1000);

  /** A certificate with the key that signed it, ready to issue others. */
  record Issued(Certificate cert, KeyPair keys, X500Name name) {}

  private TestPki() {}

  static KeyPair rsa(String slot) {
    return KEYS.computeIfAbsent("rsa2048-" + slot, k -> generateRsa(2048));
  }

  static KeyPair rsa(int bits) {
    return KEYS.computeIfAbsent("rsa" + bits, k -> generateRsa(bits));
  }

  static KeyPair freshRsa() {
    return generateRsa(2048);
  }

  static KeyPair ec(String slot) {
    return KEYS.computeIfAbsent("ec-" + slot, k -> generateEc("secp256r1"));
  }

  static KeyPair ecCurve(String curve) {
    return KEYS.computeIfAbsent("curve-" + curve, k -> generateEc(curve));
  }

  private static KeyPair generateRsa(int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair generateEc(String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
      g.initialize(new ECGenParameterSpec(curve));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Builder cert(String subject) {
    return new Builder(subject);
  }

  /** A self-signed root CA with a fresh-ish RSA key from the given slot. */
  static Issued root(String cn) {
    return cert("CN=" + cn + ",O=FleetTrust Test").ca(null).keys(rsa(cn)).selfSigned().build();
  }

  static final class Builder {
    private final X500Name subject;
    private Issued issuer;
    private boolean selfSigned;
    private KeyPair keys;
    private Instant notBefore = NOW.minus(30, ChronoUnit.DAYS);
    private Instant notAfter = NOW.plus(365, ChronoUnit.DAYS);
    private boolean ca;
    private Integer pathLen;
    private boolean basicConstraints = true;
    private boolean basicConstraintsCritical = true;
    private String signatureAlgorithm;
    private final List<GeneralName> sans = new ArrayList<>();
    private final List<KeyPurposeId> ekus = new ArrayList<>();
    private boolean serverAuth = true;
    private Integer keyUsage;
    private String crlUrl;
    private String caIssuersUrl;
    private NameConstraints nameConstraints;
    private final List<Extension> extra = new ArrayList<>();

    /** {@code subject} in RFC 4514 order: most specific RDN first, as administrators read it. */
    Builder(String subject) {
      this.subject = new X500Name(org.bouncycastle.asn1.x500.style.RFC4519Style.INSTANCE, subject);
    }

    Builder issuer(Issued issuer) {
      this.issuer = issuer;
      return this;
    }

    Builder selfSigned() {
      this.selfSigned = true;
      return this;
    }

    Builder keys(KeyPair keys) {
      this.keys = keys;
      return this;
    }

    Builder validity(Instant from, Instant to) {
      this.notBefore = from;
      this.notAfter = to;
      return this;
    }

    /** A CA certificate; {@code pathLen} null for no constraint. */
    Builder ca(Integer pathLen) {
      this.ca = true;
      this.pathLen = pathLen;
      this.serverAuth = false;
      return this;
    }

    Builder basicConstraintsNotCritical() {
      this.basicConstraintsCritical = false;
      return this;
    }

    Builder noBasicConstraints() {
      this.basicConstraints = false;
      return this;
    }

    Builder signature(String jcaName) {
      this.signatureAlgorithm = jcaName;
      return this;
    }

    Builder dns(String... names) {
      for (String n : names) {
        sans.add(new GeneralName(GeneralName.dNSName, n));
      }
      return this;
    }

    Builder ip(String address) {
      sans.add(new GeneralName(GeneralName.iPAddress, address));
      return this;
    }

    Builder noServerAuth() {
      this.serverAuth = false;
      return this;
    }

    Builder eku(KeyPurposeId purpose) {
      ekus.add(purpose);
      return this;
    }

    Builder keyUsage(int bits) {
      this.keyUsage = bits;
      return this;
    }

    Builder crl(String url) {
      this.crlUrl = url;
      return this;
    }

    Builder caIssuers(String url) {
      this.caIssuersUrl = url;
      return this;
    }

    Builder permitDns(String... domains) {
      List<GeneralSubtree> trees = new ArrayList<>();
      for (String d : domains) {
        trees.add(new GeneralSubtree(new GeneralName(GeneralName.dNSName, d)));
      }
      this.nameConstraints = new NameConstraints(trees.toArray(GeneralSubtree[]::new), null);
      return this;
    }

    Builder excludeDns(String... domains) {
      List<GeneralSubtree> trees = new ArrayList<>();
      for (String d : domains) {
        trees.add(new GeneralSubtree(new GeneralName(GeneralName.dNSName, d)));
      }
      this.nameConstraints = new NameConstraints(null, trees.toArray(GeneralSubtree[]::new));
      return this;
    }

    Builder extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
      try {
        extra.add(new Extension(oid, critical, value.toASN1Primitive().getEncoded()));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      return this;
    }

    Issued build() {
      try {
        KeyPair own = keys != null ? keys : (ca ? rsa(subject.toString()) : ec("leaf"));
        KeyPair signing = selfSigned ? own : issuer.keys();
        X500Name issuerName = selfSigned ? subject : issuer.name();
        X509v3CertificateBuilder b =
            new JcaX509v3CertificateBuilder(
                issuerName,
                BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(notBefore),
                Date.from(notAfter),
                subject,
                own.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        if (basicConstraints) {
          BasicConstraints bc =
              !ca
                  ? new BasicConstraints(false)
                  : pathLen == null ? new BasicConstraints(true) : new BasicConstraints(pathLen);
          b.addExtension(Extension.basicConstraints, basicConstraintsCritical, bc);
        }
        int ku =
            keyUsage != null
                ? keyUsage
                : ca
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment;
        b.addExtension(Extension.keyUsage, true, new KeyUsage(ku));
        b.addExtension(
            Extension.subjectKeyIdentifier,
            false,
            utils.createSubjectKeyIdentifier(own.getPublic()));
        if (!selfSigned) {
          b.addExtension(
              Extension.authorityKeyIdentifier,
              false,
              utils.createAuthorityKeyIdentifier(signing.getPublic()));
        }
        List<KeyPurposeId> purposes = new ArrayList<>(ekus);
        if (serverAuth && !purposes.contains(KeyPurposeId.id_kp_serverAuth)) {
          purposes.add(0, KeyPurposeId.id_kp_serverAuth);
        }
        if (!purposes.isEmpty()) {
          b.addExtension(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
        }
        if (!sans.isEmpty()) {
          b.addExtension(
              Extension.subjectAlternativeName,
              false,
              new GeneralNames(sans.toArray(GeneralName[]::new)));
        }
        if (crlUrl != null) {
          GeneralNames gn =
              new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl));
          b.addExtension(
              Extension.cRLDistributionPoints,
              false,
              new CRLDistPoint(
                  new DistributionPoint[] {
                    new DistributionPoint(new DistributionPointName(gn), null, null)
                  }));
        }
        if (caIssuersUrl != null) {
          b.addExtension(
              Extension.authorityInfoAccess,
              false,
              new AuthorityInformationAccess(
                  new AccessDescription(
                      AccessDescription.id_ad_caIssuers,
                      new GeneralName(GeneralName.uniformResourceIdentifier, caIssuersUrl))));
        }
        if (nameConstraints != null) {
          b.addExtension(Extension.nameConstraints, true, nameConstraints);
        }
        for (Extension e : extra) {
          b.addExtension(e);
        }
        String alg = signatureAlgorithm != null ? signatureAlgorithm : defaultAlgorithm(signing);
        ContentSigner signer =
            new JcaContentSignerBuilder(alg).setProvider(BC).build(signing.getPrivate());
        byte[] der = b.build(signer).getEncoded();
        return new Issued(CertificateParser.parse(der).get(0), own, subject);
      } catch (Exception e) {
        throw new IllegalStateException("cannot build test certificate " + subject, e);
      }
    }

    static String defaultAlgorithm(KeyPair k) {
      return k.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    }
  }

  static DERSequence sequence(ASN1Encodable... items) {
    return new DERSequence(items);
  }

  /** A CRL signed by {@code issuer}, valid from a day before {@link #NOW} for a week. */
  static CrlBuilder crl(Issued issuer) {
    return new CrlBuilder(issuer);
  }

  static final class CrlBuilder {
    private final Issued issuer;
    private Instant thisUpdate = NOW.minus(1, ChronoUnit.DAYS);
    private Instant nextUpdate = NOW.plus(7, ChronoUnit.DAYS);
    private long number = 1;
    private Long deltaBase;
    private org.bouncycastle.asn1.x509.IssuingDistributionPoint idp;
    private final List<Object[]> entries = new ArrayList<>();

    CrlBuilder(Issued issuer) {
      this.issuer = issuer;
    }

    CrlBuilder times(Instant thisUpdate, Instant nextUpdate) {
      this.thisUpdate = thisUpdate;
      this.nextUpdate = nextUpdate;
      return this;
    }

    CrlBuilder number(long number) {
      this.number = number;
      return this;
    }

    /** Makes this a delta CRL of the complete CRL numbered {@code base}. */
    CrlBuilder deltaOf(long base) {
      this.deltaBase = base;
      return this;
    }

    CrlBuilder idp(org.bouncycastle.asn1.x509.IssuingDistributionPoint idp) {
      this.idp = idp;
      return this;
    }

    /** Revokes {@code cert}; {@code reason} a CRLReason code, 0 for no reasonCode extension. */
    CrlBuilder revoke(Certificate cert, Instant when, int reason) {
      entries.add(new Object[] {new BigInteger(cert.facts().serialHex(), 16), when, reason});
      return this;
    }

    byte[] der() {
      try {
        org.bouncycastle.cert.X509v2CRLBuilder b =
            new org.bouncycastle.cert.X509v2CRLBuilder(issuer.name(), Date.from(thisUpdate));
        if (nextUpdate != null) {
          b.setNextUpdate(Date.from(nextUpdate));
        }
        for (Object[] e : entries) {
          b.addCRLEntry((BigInteger) e[0], Date.from((Instant) e[1]), (Integer) e[2]);
        }
        b.addExtension(Extension.cRLNumber, false, new org.bouncycastle.asn1.ASN1Integer(number));
        if (deltaBase != null) {
          b.addExtension(
              Extension.deltaCRLIndicator, true, new org.bouncycastle.asn1.ASN1Integer(deltaBase));
        }
        if (idp != null) {
          b.addExtension(Extension.issuingDistributionPoint, true, idp);
        }
        b.addExtension(
            Extension.authorityKeyIdentifier,
            false,
            new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.keys().getPublic()));
        String alg = Builder.defaultAlgorithm(issuer.keys());
        ContentSigner signer =
            new JcaContentSignerBuilder(alg).setProvider(BC).build(issuer.keys().getPrivate());
        return b.build(signer).getEncoded();
      } catch (Exception e) {
        throw new IllegalStateException("cannot build test CRL", e);
      }
    }

    Crl build() {
      try {
        return CrlParser.parse(der()).get(0);
      } catch (CertificateInputException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
