package dev.fleettrust.x509;

import java.util.List;

/**
 * RFC 5280 section 6.1.4 (n): an intermediate whose keyUsage is present must assert keyCertSign.
 * The anchor's certificate is held to it with strict issuance checks.
 */
final class KeyUsageRule implements PathRule {
  @Override
  public void check(PathContext path, List<Finding> out) {
    List<Certificate> chain = path.chain();
    for (int i = 1; i < chain.size(); i++) {
      check(chain.get(i), Severity.ERROR, out);
    }
    path.anchorCert().ifPresent(a -> check(a, path.issuanceSeverity(), out));
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
