package dev.fleettrust.x509;

import java.time.Instant;
import java.util.List;

/**
 * RFC 5280 section 6.1.3 (a)(2): every certificate of the path must be within its validity period
 * at the evaluation time, both ends inclusive (section 4.1.2.5). An expired anchor gives
 * ANCHOR_EXPIRED (trust-rules.md: old firmware root stores rot).
 */
final class ValidityRule implements PathRule {
  @Override
  public void check(PathContext path, List<Finding> out) {
    Instant at = path.at();
    for (Certificate c : path.chain()) {
      CertificateFacts f = c.facts();
      if (at.isBefore(f.notBefore())) {
        out.add(
            Finding.error(
                RuleId.NOT_YET_VALID,
                "The certificate "
                    + f.subject().rfc4514()
                    + " is not valid until "
                    + f.notBefore()
                    + ".",
                Evidence.of(c).put("notBefore", f.notBefore().toString()).map()));
      } else if (at.isAfter(f.notAfter())) {
        out.add(
            Finding.error(
                RuleId.CERTIFICATE_EXPIRED,
                "The certificate " + f.subject().rfc4514() + " expired on " + f.notAfter() + ".",
                Evidence.of(c).put("notAfter", f.notAfter().toString()).map()));
      }
    }
    path.anchor()
        .ifPresent(
            anchor -> {
              Evidence ev = Evidence.empty().anchor(anchor);
              path.anchorCert().ifPresent(ev::certificate);
              var notAfter = path.anchorCert().map(c -> c.facts().notAfter()).or(anchor::notAfter);
              if (notAfter.isPresent() && at.isAfter(notAfter.get())) {
                out.add(
                    Finding.error(
                        RuleId.ANCHOR_EXPIRED,
                        "The trusted root "
                            + anchor.displayName()
                            + " the chain leads to expired on "
                            + notAfter.get()
                            + ".",
                        ev.put("notAfter", notAfter.get().toString()).map()));
              }
              path.anchorCert()
                  .filter(c -> at.isBefore(c.facts().notBefore()))
                  .ifPresent(
                      c ->
                          out.add(
                              Finding.error(
                                  RuleId.NOT_YET_VALID,
                                  "The trusted root "
                                      + anchor.displayName()
                                      + " is not valid until "
                                      + c.facts().notBefore()
                                      + ".",
                                  ev.put("notBefore", c.facts().notBefore().toString()).map())));
            });
  }
}
