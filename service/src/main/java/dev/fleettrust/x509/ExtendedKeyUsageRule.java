package dev.fleettrust.x509;

import java.util.List;

/**
 * RFC 5280 section 4.2.1.12: a leaf with an EKU may be used only for the purposes listed (or any
 * purpose with anyExtendedKeyUsage); a TLS client needs serverAuth. As browsers and the web PKI do,
 * an EKU on an intermediate constrains the certificates below it as well, unless the profile says
 * otherwise ({@link ClientProfile#intermediateEkuConstrains()}).
 */
final class ExtendedKeyUsageRule implements PathRule {
  @Override
  public void check(PathContext path, List<Finding> out) {
    if (!path.profile().requireServerAuthEku()) {
      return;
    }
    List<Certificate> chain = path.chain();
    int checked = path.profile().intermediateEkuConstrains() ? chain.size() : 1;
    for (int i = 0; i < checked; i++) {
      Certificate c = chain.get(i);
      if (!c.facts().allowsServerAuth()) {
        String listed = c.facts().extendedKeyUsage().map(List::toString).orElse("[]");
        out.add(
            Finding.error(
                RuleId.EKU_SERVER_AUTH_MISSING,
                (i == 0 ? "The server certificate " : "The CA certificate ")
                    + c.facts().subject().rfc4514()
                    + " is not allowed for TLS server authentication (extended key usage "
                    + listed
                    + " lacks serverAuth).",
                Evidence.of(c).put("extendedKeyUsage", listed).map()));
      }
    }
  }
}
