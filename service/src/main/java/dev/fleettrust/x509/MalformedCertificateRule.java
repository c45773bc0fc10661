package dev.fleettrust.x509;

import java.util.List;

/**
 * Certificates whose extensions do not decode (RFC 5280 section 4.2: "A certificate MUST NOT
 * include more than one instance of a particular extension", each extension's value is the DER of
 * its ASN.1 type) or whose inner and outer signature algorithms differ (section 4.1.1.2). Breaches
 * of issuance rules found while parsing (serial number form, IP SAN length) follow the profile's
 * strictness.
 */
final class MalformedCertificateRule implements PathRule {
  @Override
  public void check(PathContext path, List<Finding> out) {
    for (Certificate c : path.withAnchor()) {
      for (Defect d : c.data().defects()) {
        Severity severity = d.fatal() ? Severity.ERROR : path.issuanceSeverity();
        out.add(
            new Finding(
                d.rule(),
                severity,
                "The certificate "
                    + c.facts().subject().rfc4514()
                    + " is malformed: "
                    + d.detail()
                    + ".",
                Evidence.of(c).map()));
      }
    }
  }
}
