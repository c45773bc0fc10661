package dev.fleettrust.x509;

import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.cert.X509CRLHolder;

/**
 * One parsed certificate revocation list: its DER bytes and its {@link CrlFacts}. Immutable; two
 * CRLs are equal when their SHA-256 digests are. Obtain instances from {@link CrlParser}.
 */
public final class Crl {
  private final byte[] der;
  private final CrlFacts facts;
  private final X509CRLHolder holder;
  private final Set<String> scopeNames;
  private final Map<String, RevokedCertificate> revokedByIssuerAndSerial;
  private final Optional<String> unusable;
  private final java.util.concurrent.ConcurrentHashMap<String, Boolean> signatureChecks =
      new java.util.concurrent.ConcurrentHashMap<>();

  Crl(
      byte[] der,
      CrlFacts facts,
      X509CRLHolder holder,
      Set<String> scopeNames,
      Map<String, RevokedCertificate> revokedByIssuerAndSerial,
      Optional<String> unusable) {
    this.der = der.clone();
    this.facts = Objects.requireNonNull(facts, "facts");
    this.holder = Objects.requireNonNull(holder, "holder");
    this.scopeNames = Set.copyOf(scopeNames);
    this.revokedByIssuerAndSerial = Map.copyOf(revokedByIssuerAndSerial);
    this.unusable = Objects.requireNonNull(unusable, "unusable");
  }

  public CrlFacts facts() {
    return facts;
  }

  /** The DER encoding (a copy). */
  public byte[] encoded() {
    return der.clone();
  }

  /** A PEM block ({@code -----BEGIN X509 CRL-----}). */
  public String toPem() {
    String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN X509 CRL-----\n" + b64 + "\n-----END X509 CRL-----\n";
  }

  /** SHA-256 over the DER, lower-case hex. */
  public String sha256() {
    return facts.sha256();
  }

  X509CRLHolder holder() {
    return holder;
  }

  /** The issuing distribution point's names in matching form; empty without a named IDP. */
  Set<String> scopeNames() {
    return scopeNames;
  }

  /** The entry for the certificate {@code serialHex} issued by {@code issuerCanonical}. */
  Optional<RevokedCertificate> entryFor(String issuerCanonical, String serialHex) {
    return Optional.ofNullable(revokedByIssuerAndSerial.get(key(issuerCanonical, serialHex)));
  }

  /**
   * Why no status may be taken from this CRL (RFC 5280 5.2 and 5.3: a critical CRL or entry
   * extension that is not understood), if so.
   */
  Optional<String> unusable() {
    return unusable;
  }

  /**
   * Whether {@code signer}'s key verifies this CRL's signature; memoized per signer key. A DSA key
   * without parameters inherits them from {@code signerIssuer} (RFC 3279 section 2.3.2).
   */
  boolean signedBy(Certificate signer, java.util.Optional<Certificate> signerIssuer) {
    return signatureChecks.computeIfAbsent(
        signer.facts().spkiSha256(),
        k -> {
          var key = signer.data().spki();
          if (Signatures.lacksDsaParameters(key) && signerIssuer.isPresent()) {
            key =
                Signatures.inheritDsaParameters(key, signerIssuer.get().data().spki()).orElse(key);
          }
          return Signatures.verify(holder, key);
        });
  }

  static String key(String issuerCanonical, String serialHex) {
    return issuerCanonical + '|' + serialHex;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Crl other && facts.sha256().equals(other.facts.sha256());
  }

  @Override
  public int hashCode() {
    return facts.sha256().hashCode();
  }

  @Override
  public String toString() {
    return "CRL of " + facts.issuer().rfc4514() + " (thisUpdate " + facts.thisUpdate() + ")";
  }
}
