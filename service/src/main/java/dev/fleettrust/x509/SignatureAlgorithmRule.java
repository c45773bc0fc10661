package dev.fleettrust.x509;

import java.util.List;

/**
 * The client must support the algorithm each certificate of the path is signed with (trust-rules.md
 * SIGNATURE_ALGORITHM_UNSUPPORTED; contract.md "Rules, made precise"). The anchor's own
 * self-signature is never checked (RFC 5280 section 6.1.1 (d): an anchor is a name and a key).
 */
final class SignatureAlgorithmRule implements PathRule {
  @Override
  public void check(PathContext path, List<Finding> out) {
    for (Certificate c : path.chain()) {
      CertificateFacts f = c.facts();
      if (!path.profile().acceptedSignatureAlgorithms().contains(f.signatureAlgorithm())) {
        String name =
            f.signatureAlgorithm() == SignatureAlgorithm.OTHER
                ? f.signatureAlgorithmOid()
                : f.signatureAlgorithm().wireName()
                    + f.pssHash().map(h -> "(" + h + ")").orElse("");
        out.add(
            Finding.error(
                RuleId.SIGNATURE_ALGORITHM_UNSUPPORTED,
                "The certificate "
                    + f.subject().rfc4514()
                    + " is signed with "
                    + name
                    + ", which "
                    + path.profile().name()
                    + " does not support.",
                Evidence.of(c)
                    .put("signatureAlgorithm", f.signatureAlgorithm().wireName())
                    .put("signatureAlgorithmOid", f.signatureAlgorithmOid())
                    .map()));
      }
    }
  }
}
