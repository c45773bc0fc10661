package dev.fleettrust.impact;

import dev.fleettrust.x509.SignatureAlgorithm;
import java.util.Optional;
import java.util.Set;

/**
 * A certificate the remediation plan would have reissued, described by what changes: the engine
 * cannot sign a certificate (no keys, no Bouncy Castle here), so a what-if run validates the
 * existing chain and applies these differences on top.
 *
 * @param addedNames exact SAN entries the reissued leaf carries (WILDCARD_UNSUPPORTED,
 *     HOSTNAME_MISMATCH)
 * @param signedWith the algorithm the reissued CA and leaf are signed with
 * @param renewed valid at the evaluation time
 * @param supportedKey an RSA 2048 key
 * @param fromPoolIssuer an Exchange certificate reissued from the CA that issued the pool's DEFAULT
 *     certificate (seed 004)
 */
record Reissue(
    Set<String> addedNames,
    Optional<SignatureAlgorithm> signedWith,
    boolean renewed,
    boolean supportedKey,
    boolean fromPoolIssuer) {

  Reissue {
    addedNames = Set.copyOf(addedNames);
  }

  static Reissue withNames(Set<String> names) {
    return new Reissue(names, Optional.empty(), false, false, false);
  }

  static Reissue signedWith(SignatureAlgorithm algorithm) {
    return new Reissue(Set.of(), Optional.of(algorithm), false, false, false);
  }

  static final Reissue RENEWED = new Reissue(Set.of(), Optional.empty(), true, false, false);
  static final Reissue SUPPORTED_KEY = new Reissue(Set.of(), Optional.empty(), false, true, false);
  static final Reissue FROM_POOL_ISSUER =
      new Reissue(Set.of(), Optional.empty(), false, false, true);

  /** Both reissues at once (a cumulative plan may reissue one chain for two reasons). */
  Reissue and(Reissue other) {
    Set<String> names = new java.util.HashSet<>(addedNames);
    names.addAll(other.addedNames);
    return new Reissue(
        names,
        other.signedWith.or(() -> signedWith),
        renewed || other.renewed,
        supportedKey || other.supportedKey,
        fromPoolIssuer || other.fromPoolIssuer);
  }

  /** A key naming the chain a reissue applies to. */
  static String poolChain(String poolFqdn, Usage usage) {
    return "pool:" + poolFqdn + ":" + usage;
  }

  static String exchangeChain(String ewsFqdn) {
    return "ews:" + ewsFqdn;
  }
}
