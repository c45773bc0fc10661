package dev.fleettrust.impact;

import dev.fleettrust.trust.Rule;
import dev.fleettrust.x509.Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * REVOCATION_UNREACHABLE (seed 000): a device whose build checks AIA/CDP reachability marks the
 * root untrusted when an AIA or CRL distribution point host named in any certificate of the path it
 * validates, the CAs' own included, is in the environment's unresolvable hosts (contract.md,
 * "Rules, made precise"). Seed 000: {@code RootCA.custdom.com} in the issuing CA's AIA was missing
 * from internal DNS; VVX phones failed until a CNAME published it.
 */
final class RevocationReachabilityRule implements LegRule {
  @Override
  public List<Finding> apply(Connection c, List<Finding> findings) {
    if (!c.firmware().capabilities().checksRevocationReachability() || !c.result().valid()) {
      return findings;
    }
    TreeSet<String> hosts = new TreeSet<>();
    Map<String, String> namedIn = new LinkedHashMap<>();
    for (Certificate cert : c.result().path()) {
      for (String host : cert.facts().revocationHosts()) {
        if (!c.world().env.resolvable(host)) {
          hosts.add(host);
          namedIn.putIfAbsent(cert.facts().subject().rfc4514(), host);
        }
      }
    }
    if (hosts.isEmpty()) {
      return findings;
    }
    Map<String, String> evidence = new LinkedHashMap<>(c.context());
    evidence.put("unreachableHosts", String.join(" ", hosts));
    evidence.put("certificate", String.join("; ", namedIn.keySet()));
    List<Finding> out = new ArrayList<>(findings);
    out.add(
        new Finding(
            Rule.REVOCATION_UNREACHABLE,
            c.failureEffect(),
            c.stage(),
            c.who()
                + " checks the AIA/CDP hosts of the chain and cannot resolve "
                + String.join(", ", hosts)
                + " (named in "
                + String.join("; ", namedIn.keySet())
                + "), so it marks the root untrusted, "
                + PathTrustRule.phrase(c)
                + ".",
            evidence,
            Advice.forRule(Rule.REVOCATION_UNREACHABLE)));
    return out;
  }
}
