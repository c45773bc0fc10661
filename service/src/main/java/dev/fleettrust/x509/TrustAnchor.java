package dev.fleettrust.x509;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A certificate authority a client trusts. Firmware root lists are often known only by name and
 * key, so an anchor is either a full certificate or an identity (canonical subject plus SPKI
 * SHA-256). An identity anchor is matched by a certificate in the pool with that subject and key,
 * or, when the issuing key is nowhere to be had, by the issuer name alone (the validator then says
 * so in an INFO finding).
 */
public sealed interface TrustAnchor {

  /** {@link DistinguishedName#canonical()} of the anchor's subject. */
  String subjectCanonical();

  /** SHA-256 of the anchor's SubjectPublicKeyInfo, lower-case hex. */
  String spkiSha256();

  /** The anchor's expiry, when known. */
  Optional<Instant> notAfter();

  /** How to name the anchor to an administrator. */
  String displayName();

  /** An anchor held as a full certificate. */
  record OfCertificate(Certificate certificate) implements TrustAnchor {
    public OfCertificate {
      Objects.requireNonNull(certificate, "certificate");
    }

    @Override
    public String subjectCanonical() {
      return certificate.facts().subject().canonical();
    }

    @Override
    public String spkiSha256() {
      return certificate.facts().spkiSha256();
    }

    @Override
    public Optional<Instant> notAfter() {
      return Optional.of(certificate.facts().notAfter());
    }

    @Override
    public String displayName() {
      return certificate.facts().subject().rfc4514();
    }
  }

  /** An anchor known only by name and key, as firmware root lists often are. */
  record OfIdentity(String subjectCanonical, String spkiSha256, Optional<Instant> notAfter)
      implements TrustAnchor {
    public OfIdentity {
      Objects.requireNonNull(subjectCanonical, "subjectCanonical");
      Objects.requireNonNull(spkiSha256, "spkiSha256");
      Objects.requireNonNull(notAfter, "notAfter");
      spkiSha256 = spkiSha256.toLowerCase(java.util.Locale.ROOT);
    }

    /** The identity of a certificate, e.g. to describe a firmware root by name and key only. */
    public static OfIdentity of(Certificate certificate) {
      CertificateFacts f = certificate.facts();
      return new OfIdentity(f.subject().canonical(), f.spkiSha256(), Optional.of(f.notAfter()));
    }

    @Override
    public String displayName() {
      return subjectCanonical;
    }
  }
}
