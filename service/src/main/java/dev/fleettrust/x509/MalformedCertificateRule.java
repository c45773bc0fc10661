package dev.fleettrust.x509;

import java.util.List;

/**
 * Certificates whose extensions do not decode (RFC 5280 section 4.2: "A certificate MUST NOT
 * include more than one instance of a particular extension", each extension's value is the DER of
 * its ASN.1 type) or whose inner and outer signature algorithms differ (section 4.1.1.2). Breaches
 * of issuance rules found while parsing (serial number form, IP SAN length) follow the profile's
 * strictness, except on the anchor's certificate, which the client holds as it is.
 */
final class MalformedCertificateRule implements PathRule {
  @Override
  public void check(PathContext path, List<Finding> out) {
    for (Certificate c : path.withAnchor()) {
      boolean anchor = path.anchorCert().filter(c::equals).isPresent();
      for (Defect d : c.data().defects()) {
        if (anchor && !d.fatal()) {
          // A root in a trust store is taken as it is (e.g. the zero serial of Starfield G2).
          continue;
        }
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
