package dev.fleettrust.x509;

import java.util.List;
import java.util.Set;

/**
 * The client must handle every public key of the path, the anchor's included since it verifies the
 * top signature (trust-rules.md KEY_UNSUPPORTED; CA/B Forum BR 6.1.5 and 7.1.3.1: RSA of at least
 * 2048 bits and a multiple of 8, ECDSA on P-256, P-384 or P-521 named curves only).
 */
final class KeyRule implements PathRule {
  private static final Set<String> CURVES = Set.of("P-256", "P-384", "P-521");

  @Override
  public void check(PathContext path, List<Finding> out) {
    ClientProfile profile = path.profile();
    for (Certificate c : path.withAnchor()) {
      PublicKeyInfo key = c.facts().key();
      String problem = null;
      if (!profile.acceptedKeyTypes().contains(key.type())) {
        problem = "a " + key.describe() + " key, a key type " + profile.name() + " does not handle";
      } else if (key.type() == KeyType.RSA
          && (key.bits() < profile.minRsaBits() || key.bits() > profile.maxRsaBits())) {
        problem =
            "an RSA key of "
                + key.bits()
                + " bits, outside the "
                + profile.minRsaBits()
                + " to "
                + profile.maxRsaBits()
                + " bits "
                + profile.name()
                + " handles";
      } else if (key.type() == KeyType.RSA
          && key.bits() % 8 != 0
          && profile.strictIssuanceChecks()) {
        problem = "an RSA key of " + key.bits() + " bits, not a multiple of 8";
      } else if (key.type() == KeyType.EC && !CURVES.contains(key.curve().orElse(""))) {
        problem =
            "an EC key on "
                + key.curve()
                    .map(n -> n.equals("explicit") ? "explicit curve parameters" : n)
                    .orElse("an unknown curve")
                + " (only P-256, P-384 and P-521 are supported)";
      }
      if (problem != null) {
        out.add(
            Finding.error(
                RuleId.KEY_UNSUPPORTED,
                "The certificate " + c.facts().subject().rfc4514() + " has " + problem + ".",
                Evidence.of(c).put("key", key.describe()).map()));
      }
    }
  }
}
