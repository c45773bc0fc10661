package dev.fleettrust.impact;

import dev.fleettrust.trust.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EWS_ISSUER_NOT_TRUSTED (seed 004): a build that trusts, beyond its built-in roots, only the CA
 * that issued the pool's DEFAULT certificate (plus TrustedCACerts) cannot reach an Exchange host
 * whose certificate comes from another CA, even one with a near-identical name ("Insecure server.
 * errorCode=12045"). Sign-in is intact; Exchange integration fails. The simulation validates the
 * EWS chain against exactly those anchors; this rule names the resulting trust failure.
 */
final class EwsIssuerRule implements LegRule {
  @Override
  public List<Finding> apply(Connection c, List<Finding> findings) {
    if (c.stage() != Stage.EXCHANGE
        || !c.firmware().capabilities().ewsTrustsOnlyPoolIssuer()
        || findings.stream().noneMatch(TrustFailures::is)) {
      return findings;
    }
    String poolIssuer =
        c.pool()
            .defaultIssuer()
            .map(x -> x.facts().subject().rfc4514())
            .orElse(
                c.pool()
                    .pool
                    .chain(Usage.DEFAULT)
                    .map(ch -> ch.get(0).facts().issuer().rfc4514())
                    .orElse("(none)"));
    String ewsIssuer = c.presented().get(0).facts().issuer().rfc4514();
    Map<String, String> evidence = new LinkedHashMap<>(c.context());
    evidence.put("poolIssuer", poolIssuer);
    evidence.put("ewsIssuer", ewsIssuer);
    evidence.put("certificate", c.presented().get(0).facts().subject().rfc4514());
    evidence.put("thumbprint", c.presented().get(0).facts().sha1Thumbprint());
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      if (!TrustFailures.is(f)) {
        out.add(f);
      }
    }
    out.add(
        new Finding(
            Rule.EWS_ISSUER_NOT_TRUSTED,
            c.failureEffect(),
            c.stage(),
            c.who()
                + " trusts for Exchange only its built-in roots, the pool's issuing CA ("
                + poolIssuer
                + ") and TrustedCACerts; "
                + c.endpoint()
                + " presents a certificate issued by "
                + ewsIssuer
                + ", so calendar, voicemail and call logs fail while sign-in works.",
            evidence,
            Advice.forRule(Rule.EWS_ISSUER_NOT_TRUSTED)));
    return out;
  }
}
