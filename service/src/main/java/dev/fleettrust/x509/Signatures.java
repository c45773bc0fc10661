package dev.fleettrust.x509;

import java.security.Provider;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/** Signature checks through Bouncy Castle's ContentVerifierProvider. */
final class Signatures {
  /** A private provider instance: nothing is registered with the JVM's security providers. */
  private static final Provider BC = new BouncyCastleProvider();

  /** RSA moduli beyond this are refused before any modular exponentiation (a cheap DoS). */
  static final int MAX_RSA_BITS_VERIFIED = 16384;

  private Signatures() {}

  /**
   * Whether {@code certificate}'s signature verifies with {@code issuerKey}. Also false when the
   * signature algorithm fields inside and outside the TBS differ (RFC 5280 section 4.1.1.2) or the
   * key cannot be used at all.
   */
  static boolean verify(X509CertificateHolder certificate, SubjectPublicKeyInfo issuerKey) {
    try {
      ContentVerifierProvider provider =
          new JcaContentVerifierProviderBuilder().setProvider(BC).build(issuerKey);
      return certificate.isSignatureValid(provider);
    } catch (Exception | StackOverflowError e) {
      // Unusable keys, unknown algorithms and malformed signatures all mean "does not verify".
      return false;
    }
  }

  /** Whether {@code crl}'s signature verifies with {@code issuerKey}. */
  static boolean verify(org.bouncycastle.cert.X509CRLHolder crl, SubjectPublicKeyInfo issuerKey) {
    try {
      ContentVerifierProvider provider =
          new JcaContentVerifierProviderBuilder().setProvider(BC).build(issuerKey);
      return crl.isSignatureValid(provider);
    } catch (Exception | StackOverflowError e) {
      return false;
    }
  }

  /** A DSA key without domain parameters (RFC 3279 section 2.3.2: they are inherited). */
  static boolean lacksDsaParameters(SubjectPublicKeyInfo key) {
    return key.getAlgorithm().getAlgorithm().getId().equals(FactsReader.OID_DSA)
        && key.getAlgorithm().getParameters() == null;
  }

  /** {@code key} with the DSA domain parameters of {@code issuerKey}, if it has them. */
  static java.util.Optional<SubjectPublicKeyInfo> inheritDsaParameters(
      SubjectPublicKeyInfo key, SubjectPublicKeyInfo issuerKey) {
    if (!issuerKey.getAlgorithm().getAlgorithm().getId().equals(FactsReader.OID_DSA)
        || issuerKey.getAlgorithm().getParameters() == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new SubjectPublicKeyInfo(issuerKey.getAlgorithm(), key.getPublicKeyData().getBytes()));
  }
}
