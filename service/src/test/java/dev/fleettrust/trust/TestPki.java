package dev.fleettrust.trust;

import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.CertificateInputException;
import dev.fleettrust.x509.CertificateParser;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.RFC4519Style;
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
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test-only certificate factory: roots, intermediates and leaves built with Bouncy Castle inside
 * the test, so every scenario runs on certificates nobody else wrote. Keys are generated once per
 * JVM and handed out in order, so each CA of one {@code TestPki} has its own key.
 */
public final class TestPki {
  public static final Instant NOT_BEFORE = Instant.parse("2010-01-01T00:00:00Z");
  public static final Instant NOT_AFTER = Instant.parse("2040-01-01T00:00:00Z");

  private static final Map<Integer, List<KeyPair>> KEYS = new HashMap<>();
  private static final AtomicLong SERIAL = new AtomicLong(1000);
  private static final java.security.Provider BC =
      new org.bouncycastle.jce.provider.BouncyCastleProvider();

  private final Map<Integer, Integer> nextKey = new HashMap<>();

  /** A certificate with the key that signs what it issues. */
  public record Issued(Certificate cert, KeyPair key, X500Name name) {}

  private synchronized KeyPair key(int bits) {
    List<KeyPair> pool = KEYS.computeIfAbsent(bits, b -> new ArrayList<>());
    int i = nextKey.merge(bits, 1, Integer::sum) - 1;
    synchronized (KEYS) {
      while (pool.size() <= i) {
        try {
          KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
          g.initialize(bits, new SecureRandom());
          pool.add(g.generateKeyPair());
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return pool.get(i);
  }

  private static KeyPair ecKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public Builder root(String name) {
    return new Builder(name, null).ca();
  }

  public Builder ca(String name, Issued issuer) {
    return new Builder(name, issuer).ca();
  }

  public Builder leaf(String name, Issued issuer) {
    return new Builder(name, issuer);
  }

  /** Describes one certificate; {@link #build()} signs it. */
  public final class Builder {
    private final String name;
    private final Issued issuer;
    private boolean ca;
    private String algorithm = "SHA256withRSA";
    private int bits = 2048;
    private Instant notBefore = NOT_BEFORE;
    private Instant notAfter = NOT_AFTER;
    private final List<String> dnsNames = new ArrayList<>();
    private final List<String> aia = new ArrayList<>();
    private final List<String> cdp = new ArrayList<>();
    private boolean serverAuth = true;
    private KeyPair reuseKey;
    private boolean ec;

    private Builder(String name, Issued issuer) {
      this.name = name;
      this.issuer = issuer;
    }

    private Builder ca() {
      ca = true;
      serverAuth = false;
      return this;
    }

    /** The JCA signature name: SHA256withRSA, SHA1withRSA, MD5withRSA, SHA256withRSAandMGF1. */
    public Builder signedWith(String jcaAlgorithm) {
      this.algorithm = jcaAlgorithm;
      return this;
    }

    public Builder bits(int rsaBits) {
      this.bits = rsaBits;
      return this;
    }

    /** An EC P-256 key instead of RSA. */
    public Builder ec() {
      this.ec = true;
      return this;
    }

    public Builder valid(Instant from, Instant until) {
      this.notBefore = from;
      this.notAfter = until;
      return this;
    }

    public Builder sans(String... names) {
      dnsNames.addAll(List.of(names));
      return this;
    }

    public Builder aia(String url) {
      aia.add(url);
      return this;
    }

    public Builder cdp(String url) {
      cdp.add(url);
      return this;
    }

    /** Re-issue with the key of an existing certificate (a renewed root keeps its key). */
    public Builder keyOf(Issued other) {
      this.reuseKey = other.key();
      return this;
    }

    public Issued build() {
      try {
        KeyPair kp = reuseKey != null ? reuseKey : ec ? ecKey() : key(bits);
        // Names are written as RFC 4514 prints them (most specific first) and encoded in X.500
        // order, as real CAs do: "CN=IssuingCA,DC=custdom,DC=com" encodes DC=com first.
        X500Name subject = new X500Name(RFC4519Style.INSTANCE, name);
        X500Name issuerName = issuer == null ? subject : issuer.name();
        KeyPair signer = issuer == null ? kp : issuer.key();
        X509v3CertificateBuilder b =
            new JcaX509v3CertificateBuilder(
                issuerName,
                BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(notBefore),
                Date.from(notAfter),
                subject,
                kp.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(
            Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
        b.addExtension(
            Extension.authorityKeyIdentifier,
            false,
            ext.createAuthorityKeyIdentifier(signer.getPublic()));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        b.addExtension(
            Extension.keyUsage,
            true,
            new KeyUsage(
                ca
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        if (serverAuth) {
          b.addExtension(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(
                  new KeyPurposeId[] {
                    KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                  }));
        }
        if (!dnsNames.isEmpty()) {
          GeneralName[] names =
              dnsNames.stream()
                  .map(n -> new GeneralName(GeneralName.dNSName, n))
                  .toArray(GeneralName[]::new);
          b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        if (!aia.isEmpty()) {
          AccessDescription[] ads =
              aia.stream()
                  .map(
                      u ->
                          new AccessDescription(
                              AccessDescription.id_ad_caIssuers,
                              new GeneralName(GeneralName.uniformResourceIdentifier, u)))
                  .toArray(AccessDescription[]::new);
          b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(ads));
        }
        if (!cdp.isEmpty()) {
          DistributionPoint[] dps =
              cdp.stream()
                  .map(
                      u ->
                          new DistributionPoint(
                              new DistributionPointName(
                                  new GeneralNames(
                                      new GeneralName(GeneralName.uniformResourceIdentifier, u))),
                              null,
                              null))
                  .toArray(DistributionPoint[]::new);
          b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(dps));
        }
        String signing =
            signer.getPrivate().getAlgorithm().startsWith("EC") && algorithm.endsWith("RSA")
                ? "SHA256withECDSA"
                : algorithm;
        ContentSigner cs =
            new JcaContentSignerBuilder(signing).setProvider(BC).build(signer.getPrivate());
        byte[] der = b.build(cs).getEncoded();
        List<Certificate> parsed = CertificateParser.parse(der);
        return new Issued(parsed.get(0), kp, subject);
      } catch (CertificateInputException
          | java.io.IOException
          | NoSuchAlgorithmException
          | org.bouncycastle.operator.OperatorCreationException e) {
        throw new IllegalStateException("test certificate " + name + ": " + e.getMessage(), e);
      }
    }
  }

  /** The certificates of a chain, in the order given (what a server sends). */
  public static List<Certificate> chain(Issued... certs) {
    List<Certificate> out = new ArrayList<>();
    for (Issued i : certs) {
      out.add(i.cert());
    }
    return out;
  }
}
