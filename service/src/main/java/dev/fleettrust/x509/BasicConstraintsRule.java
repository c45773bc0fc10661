package dev.fleettrust.x509;

import java.util.List;

/**
 * RFC 5280 section 6.1.4 (k): every intermediate must be a version 3 certificate whose
 * basicConstraints asserts cA. With strict issuance checks the anchor's certificate must do so too.
 * A CA whose extension is not marked critical breaks an issuance rule (section 4.2.1.9: "Conforming
 * CAs MUST include this extension in all CA certificates ... and MUST mark it as critical") but not
 * path validation, which asks only that cA be asserted (PKITS 4.6.4 expects such a path to
 * validate, as do the JDK, OpenSSL and BoringSSL): a warning for intermediates in every profile.
 * The anchor's certificate is the client's own choice and is held to the issuance rule under strict
 * issuance checks (x509-limbo rfc5280::root-non-critical-basic-constraints).
 */
final class BasicConstraintsRule implements PathRule {
  @Override
  public void check(PathContext path, List<Finding> out) {
    List<Certificate> chain = path.chain();
    for (int i = 1; i < chain.size(); i++) {
      checkIssuer(chain.get(i), Severity.ERROR, Severity.WARNING, out);
    }
    path.anchorCert()
        .ifPresent(a -> checkIssuer(a, path.issuanceSeverity(), path.issuanceSeverity(), out));
  }

  private static void checkIssuer(
      Certificate c, Severity missingSeverity, Severity notCriticalSeverity, List<Finding> out) {
    BasicConstraints bc = c.facts().basicConstraints();
    String subject = c.facts().subject().rfc4514();
    if (!bc.present() || !bc.ca()) {
      out.add(
          new Finding(
              RuleId.BASIC_CONSTRAINTS_VIOLATION,
              missingSeverity,
              "The certificate "
                  + subject
                  + " issues other certificates but is not marked as a CA (basic constraints"
                  + (bc.present() ? " say cA=false" : " missing")
                  + ").",
              Evidence.of(c).map()));
    } else if (!bc.critical()) {
      out.add(
          new Finding(
              RuleId.BASIC_CONSTRAINTS_VIOLATION,
              notCriticalSeverity,
              "The CA certificate "
                  + subject
                  + " does not mark its basic constraints critical (RFC 5280 4.2.1.9); clients"
                  + " accept it.",
              Evidence.of(c).map()));
    }
  }
}
