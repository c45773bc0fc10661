package dev.fleettrust.x509;

import java.util.Base64;
import java.util.Objects;

/**
 * One parsed X.509 certificate: its DER bytes and its {@link CertificateFacts}. Immutable; two
 * certificates are equal when their SHA-256 fingerprints are. Obtain instances from {@link
 * CertificateParser}.
 */
public final class Certificate {
  private final byte[] der;
  private final CertificateFacts facts;
  private final CertData data;

  Certificate(byte[] der, CertificateFacts facts, CertData data) {
    this.der = der.clone();
    this.facts = Objects.requireNonNull(facts, "facts");
    this.data = Objects.requireNonNull(data, "data");
  }

  public CertificateFacts facts() {
    return facts;
  }

  /** The DER encoding (a copy). */
  public byte[] encoded() {
    return der.clone();
  }

  /** A PEM block ({@code -----BEGIN CERTIFICATE-----}, 64-column base64, LF line ends). */
  public String toPem() {
    String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
  }

  /** The SHA-256 fingerprint, lower-case hex (the identity of this certificate). */
  public String sha256() {
    return facts.sha256();
  }

  CertData data() {
    return data;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Certificate other && facts.sha256().equals(other.facts.sha256());
  }

  @Override
  public int hashCode() {
    return facts.sha256().hashCode();
  }

  @Override
  public String toString() {
    return facts.subject().rfc4514() + " [" + facts.sha1Thumbprint() + "]";
  }
}
