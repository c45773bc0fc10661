package dev.fleettrust.x509;

import java.util.List;

/**
 * RFC 5280 section 6.1.4 (l) and (m): a pathLenConstraint limits the number of non-self-issued
 * intermediates below a CA; the leaf never counts (section 4.2.1.9, note). The anchor certificate's
 * constraint applies too, as the web PKI applies it.
 */
final class PathLengthRule implements PathRule {
  @Override
  public void check(PathContext path, List<Finding> out) {
    long remaining = Long.MAX_VALUE;
    Certificate limitedBy = null;
    if (path.anchorCert().isPresent()) {
      Certificate a = path.anchorCert().get();
      var pl = a.facts().basicConstraints().pathLen();
      if (pl.isPresent()) {
        remaining = pl.get();
        limitedBy = a;
      }
    }
    List<Certificate> chain = path.chain();
    for (int i = chain.size() - 1; i >= 1; i--) {
      Certificate c = chain.get(i);
      if (!c.facts().selfIssued()) {
        if (remaining <= 0) {
          out.add(
              Finding.error(
                  RuleId.PATH_LENGTH_EXCEEDED,
                  "The CA certificate "
                      + c.facts().subject().rfc4514()
                      + " sits below "
                      + (limitedBy == null ? "a CA" : limitedBy.facts().subject().rfc4514())
                      + ", whose path length constraint allows no further intermediate here.",
                  Evidence.of(c)
                      .put(
                          "constrainedBy",
                          limitedBy == null ? "" : limitedBy.facts().subject().rfc4514())
                      .map()));
          return;
        }
        remaining--;
      }
      var pl = c.facts().basicConstraints().pathLen();
      if (pl.isPresent() && pl.get() < remaining) {
        remaining = pl.get();
        limitedBy = c;
      }
    }
  }
}
