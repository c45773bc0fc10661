package dev.fleettrust.api;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemWriter;

/** CA certificates built with Bouncy Castle for the API tests. */
final class TestCertificates {
  private TestCertificates() {}

  /** A CA certificate, its key, its PEM and its SHA-256 fingerprint (lower-case hex). */
  record Ca(X509CertificateHolder holder, KeyPair keys, String pem, String sha256) {}

  static Ca root(String name) {
    KeyPair keys = keys();
    return sign(name, name, keys, keys);
  }

  static Ca issuedBy(Ca issuer, String name) {
    return sign(name, issuer.holder().getSubject().toString(), keys(), issuer.keys());
  }

  private static Ca sign(String subject, String issuer, KeyPair subjectKeys, KeyPair issuerKeys) {
    try {
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              new X500Name(issuer),
              new BigInteger(64, new SecureRandom()),
              Date.from(now.minus(1, ChronoUnit.DAYS)),
              Date.from(now.plus(3650, ChronoUnit.DAYS)),
              new X500Name(subject),
              subjectKeys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509CertificateHolder holder =
          builder.build(
              new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate()));
      StringWriter pem = new StringWriter();
      try (PemWriter writer = new PemWriter(pem)) {
        writer.writeObject(new JcaMiscPEMGenerator(holder));
      }
      String sha256 =
          HexFormat.of()
              .formatHex(MessageDigest.getInstance("SHA-256").digest(holder.getEncoded()));
      return new Ca(holder, subjectKeys, pem.toString(), sha256);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
