package dev.fleettrust.x509;

import java.util.List;

/**
 * Whether and how {@link PathValidator} checks revocation (RFC 5280 section 6.3). FleetTrust never
 * fetches: the CRLs are the caller's (verify.sh {@code --crls}, each CA's current CRL in the
 * environment).
 *
 * @param check whether every certificate of the path below the anchor must be shown not revoked by
 *     a CRL in {@code crls}; a certificate whose status no CRL decides fails
 * @param crls complete and delta CRLs, in any order; CRLs of unrelated issuers are ignored
 */
public record RevocationInputs(boolean check, List<Crl> crls) {
  private static final RevocationInputs NONE = new RevocationInputs(false, List.of());

  public RevocationInputs {
    crls = List.copyOf(crls);
  }

  /** No revocation checking (what a client that does not check revocation does). */
  public static RevocationInputs none() {
    return NONE;
  }

  /** Check revocation against these CRLs. */
  public static RevocationInputs checkWith(List<Crl> crls) {
    return new RevocationInputs(true, crls);
  }
}
