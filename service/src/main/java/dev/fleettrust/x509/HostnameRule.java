package dev.fleettrust.x509;

import java.util.List;

/**
 * RFC 6125 section 6: the leaf must name the host the client dialled. A name matched only by a
 * wildcard, on a client without wildcard support, gives WILDCARD_UNSUPPORTED (trust-rules.md, seed
 * 003: LPE before 4.0.7577.4100).
 */
final class HostnameRule implements PathRule {
  @Override
  public void check(PathContext path, List<Finding> out) {
    if (path.host().isEmpty()) {
      return;
    }
    String host = path.host().get();
    Certificate leaf = path.leaf();
    HostnameMatcher.Match m =
        HostnameMatcher.match(leaf.facts(), host, path.profile().commonNameFallback());
    String names =
        String.join(
            ", ", leaf.facts().subjectAltNames().stream().map(SubjectAltName::value).toList());
    if (m == HostnameMatcher.Match.WILDCARD_ONLY && !path.profile().wildcardNames()) {
      out.add(
          Finding.error(
              RuleId.WILDCARD_UNSUPPORTED,
              host
                  + " is covered only by a wildcard name in the certificate, and "
                  + path.profile().name()
                  + " does not accept wildcards; add "
                  + host
                  + " itself as a subject alternative name.",
              Evidence.of(leaf).put("host", host).put("names", names).map()));
    } else if (m == HostnameMatcher.Match.NONE) {
      out.add(
          Finding.error(
              RuleId.HOSTNAME_MISMATCH,
              "The certificate does not name "
                  + host
                  + " (it names: "
                  + (names.isEmpty() ? "no subject alternative name" : names)
                  + ").",
              Evidence.of(leaf).put("host", host).put("names", names).map()));
    }
  }
}
