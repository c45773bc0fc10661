package dev.fleettrust.x509;

import java.util.List;

/**
 * RFC 5280 section 6.1.4 (n): an intermediate whose keyUsage is present must assert keyCertSign.
 * The anchor's certificate is held to it with strict issuance checks. For a TLS server (the profile
 * requires serverAuth) the leaf's keyUsage, when present, must allow a TLS key exchange: RFC 5280
 * section 4.2.1.3 and RFC 5246 section 7.4.2 (digitalSignature for signed key exchange,
 * keyEncipherment for RSA key transport, keyAgreement for static (EC)DH); an end-entity leaf that
 * may only sign CRLs cannot be a server's. A CA certificate in leaf position is left to section
 * 4.2.1.9's reading of its key usage (x509-limbo rfc5280::ca-as-leaf expects it to validate).
 */
final class KeyUsageRule implements PathRule {
  @Override
  public void check(PathContext path, List<Finding> out) {
    List<Certificate> chain = path.chain();
    for (int i = 1; i < chain.size(); i++) {
      check(chain.get(i), Severity.ERROR, out);
    }
    path.anchorCert().ifPresent(a -> check(a, path.issuanceSeverity(), out));
    if (path.profile().requireServerAuthEku() && !path.leaf().facts().isCa()) {
      checkServerLeaf(path.leaf(), out);
    }
  }

  private static final java.util.Set<KeyUsage> TLS_SERVER_USAGES =
      java.util.EnumSet.of(
          KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_ENCIPHERMENT, KeyUsage.KEY_AGREEMENT);

  private static void checkServerLeaf(Certificate leaf, List<Finding> out) {
    var ku = leaf.facts().keyUsage();
    if (ku.isPresent() && java.util.Collections.disjoint(ku.get(), TLS_SERVER_USAGES)) {
      out.add(
          Finding.error(
              RuleId.KEY_USAGE_INVALID,
              "The server certificate "
                  + leaf.facts().subject().rfc4514()
                  + " has a key usage ("
                  + ku.get()
                  + ") that allows no TLS key exchange (digitalSignature, keyEncipherment or"
                  + " keyAgreement).",
              Evidence.of(leaf).put("keyUsage", ku.get().toString()).map()));
    }
  }

  private static void check(Certificate c, Severity severity, List<Finding> out) {
    var ku = c.facts().keyUsage();
    if (ku.isPresent() && !ku.get().contains(KeyUsage.KEY_CERT_SIGN)) {
      out.add(
          new Finding(
              RuleId.KEY_USAGE_INVALID,
              severity,
              "The CA certificate "
                  + c.facts().subject().rfc4514()
                  + " signs certificates but its key usage does not allow certificate signing.",
              Evidence.of(c).put("keyUsage", ku.get().toString()).map()));
    }
  }
}
