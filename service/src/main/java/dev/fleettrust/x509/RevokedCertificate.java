package dev.fleettrust.x509;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a CRL's revokedCertificates (RFC 5280 section 5.1.2.6).
 *
 * @param serialHex the serial number as {@link CertificateFacts#serialHex()} spells it
 * @param reason the reasonCode entry extension; empty when absent (RFC 5280 5.3.1: treat as
 *     unspecified)
 * @param certificateIssuer for entries of an indirect CRL, the issuer of the revoked certificate
 *     (the certificateIssuer entry extension, carried forward to the entries after it)
 * @param invalidityDate when the key is known or suspected to have been compromised
 */
public record RevokedCertificate(
    String serialHex,
    Instant revocationDate,
    Optional<RevocationReason> reason,
    Optional<DistinguishedName> certificateIssuer,
    Optional<Instant> invalidityDate) {
  public RevokedCertificate {
    Objects.requireNonNull(serialHex, "serialHex");
    Objects.requireNonNull(revocationDate, "revocationDate");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(certificateIssuer, "certificateIssuer");
    Objects.requireNonNull(invalidityDate, "invalidityDate");
  }
}
