package dev.fleettrust.impact;

import dev.fleettrust.trust.Rule;
import dev.fleettrust.x509.Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PROVISIONED_CHAIN_MISMATCH (seed 000): the device learns its anchors from the provisioning web
 * service, the service infers the chain from its own SSL certificate ({@code InferCertChainFromSSL
 * $True}), and that chain lacks a CA the DEFAULT certificate needs, as when only the Default
 * certificate moved to a new PKI. The trust failure this causes is reported as the mismatch, with
 * the TrustedCACerts remediation.
 */
final class ProvisionedChainMismatchRule implements LegRule {
  @Override
  public List<Finding> apply(Connection c, List<Finding> findings) {
    if (c.stage() != Stage.SIGN_IN
        || c.fromWebService().isEmpty()
        || !c.pool().pool.inferCertChainFromSsl()
        || findings.stream().noneMatch(TrustFailures::is)) {
      return findings;
    }
    Set<String> handedOut = c.fromWebService().get().shas();
    List<String> lacking = new ArrayList<>();
    for (Certificate ca : c.completed().subList(1, c.completed().size())) {
      if (!handedOut.contains(ca.sha256())) {
        lacking.add(ca.facts().subject().rfc4514());
      }
    }
    if (lacking.isEmpty() && c.completed().size() > 1) {
      return findings;
    }
    List<String> offered = new ArrayList<>();
    Download d = c.fromWebService().get();
    d.anchors().forEach(x -> offered.add(x.facts().subject().rfc4514()));
    d.intermediates().forEach(x -> offered.add(x.facts().subject().rfc4514()));
    Map<String, String> evidence = new LinkedHashMap<>(c.context());
    evidence.put("handedOut", String.join("; ", offered));
    evidence.put("needed", String.join("; ", lacking));
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      if (!TrustFailures.is(f)) {
        out.add(f);
      }
    }
    out.add(
        new Finding(
            Rule.PROVISIONED_CHAIN_MISMATCH,
            c.failureEffect(),
            c.stage(),
            c.who()
                + " downloads its CA chain from the web service of "
                + c.pool().pool.fqdn()
                + ", which infers it from its WEB_SERVICES_INTERNAL certificate ("
                + (offered.isEmpty() ? "nothing usable" : String.join("; ", offered))
                + "); the DEFAULT certificate needs "
                + (lacking.isEmpty() ? "its issuer" : String.join("; ", lacking))
                + ", so the phone stays at \"Connecting to Lync Server...\".",
            evidence,
            Advice.forRule(Rule.PROVISIONED_CHAIN_MISMATCH)));
    return out;
  }
}
