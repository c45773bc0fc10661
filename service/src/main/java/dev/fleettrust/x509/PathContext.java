package dev.fleettrust.x509;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One candidate path under evaluation.
 *
 * @param chain the certificates below the anchor, leaf first (the leaf at index 0)
 * @param anchor the anchor the path ends at; empty for a path that dead-ended
 * @param anchorCert the anchor's certificate, when the anchor is (or was matched to) one
 * @param at the evaluation time, truncated to whole seconds as RFC 5280 times are
 * @param pool every other certificate of the request (candidate CRL signers); filled only when
 *     revocation is checked
 */
record PathContext(
    List<Certificate> chain,
    Optional<TrustAnchor> anchor,
    Optional<Certificate> anchorCert,
    ClientProfile profile,
    Instant at,
    Optional<String> host,
    PolicyInputs policy,
    RevocationInputs revocation,
    List<Certificate> pool) {

  Certificate leaf() {
    return chain.get(0);
  }

  boolean complete() {
    return anchor.isPresent();
  }

  /** The chain followed by the anchor's certificate if there is one: leaf first. */
  List<Certificate> withAnchor() {
    if (anchorCert.isEmpty()) {
      return chain;
    }
    List<Certificate> all = new ArrayList<>(chain);
    all.add(anchorCert.get());
    return all;
  }

  /** Error when the profile is strict about issuance rules, warning otherwise. */
  Severity issuanceSeverity() {
    return profile.strictIssuanceChecks() ? Severity.ERROR : Severity.WARNING;
  }
}
