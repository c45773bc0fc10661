package dev.fleettrust.x509;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything FleetTrust needs to know about one certificate revocation list (RFC 5280 section 5),
 * with no Bouncy Castle type in sight. Built only by {@link CrlParser}.
 *
 * @param crlNumber the cRLNumber extension, decimal
 * @param deltaBaseCrlNumber for a delta CRL, the deltaCRLIndicator: the cRLNumber of the complete
 *     CRL it updates (decimal); empty for a complete CRL
 * @param authorityKeyId AKI keyIdentifier, lower-case hex
 * @param freshestCrlUrls the freshestCRL extension's URLs: where the delta CRLs are published
 * @param sha256 SHA-256 over the DER, lower-case hex (the identity of this CRL)
 * @param criticalExtensionOids OIDs of every CRL extension marked critical
 */
public record CrlFacts(
    int version,
    DistinguishedName issuer,
    Instant thisUpdate,
    Optional<Instant> nextUpdate,
    List<RevokedCertificate> revoked,
    Optional<String> crlNumber,
    Optional<String> deltaBaseCrlNumber,
    Optional<IssuingDistributionPoint> issuingDistributionPoint,
    Optional<String> authorityKeyId,
    List<String> freshestCrlUrls,
    SignatureAlgorithm signatureAlgorithm,
    String signatureAlgorithmOid,
    String sha256,
    Set<String> criticalExtensionOids) {
  public CrlFacts {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(thisUpdate, "thisUpdate");
    Objects.requireNonNull(nextUpdate, "nextUpdate");
    revoked = List.copyOf(revoked);
    Objects.requireNonNull(crlNumber, "crlNumber");
    Objects.requireNonNull(deltaBaseCrlNumber, "deltaBaseCrlNumber");
    Objects.requireNonNull(issuingDistributionPoint, "issuingDistributionPoint");
    Objects.requireNonNull(authorityKeyId, "authorityKeyId");
    freshestCrlUrls = List.copyOf(freshestCrlUrls);
    Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
    Objects.requireNonNull(signatureAlgorithmOid, "signatureAlgorithmOid");
    Objects.requireNonNull(sha256, "sha256");
    criticalExtensionOids = Set.copyOf(criticalExtensionOids);
  }

  /** A delta CRL (RFC 5280 section 5.2.4) rather than a complete one. */
  public boolean isDelta() {
    return deltaBaseCrlNumber.isPresent();
  }

  /** Whether the CRL is past its nextUpdate at {@code at} (a CRL without nextUpdate never is). */
  public boolean staleAt(Instant at) {
    return nextUpdate.map(at::isAfter).orElse(false);
  }
}
