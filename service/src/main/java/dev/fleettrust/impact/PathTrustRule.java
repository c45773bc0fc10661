package dev.fleettrust.impact;

import dev.fleettrust.trust.Rule;
import dev.fleettrust.x509.Severity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the x509 core says about the chain under the device's client profile (built from its
 * firmware capabilities): UNTRUSTED_ROOT, MISSING_INTERMEDIATE, WILDCARD_UNSUPPORTED,
 * HOSTNAME_MISMATCH, SIGNATURE_ALGORITHM_UNSUPPORTED, CERTIFICATE_EXPIRED, NOT_YET_VALID,
 * ANCHOR_EXPIRED, KEY_UNSUPPORTED and the RFC 5280 failures (trust-rules.md; seeds 000 to 003).
 */
final class PathTrustRule implements LegRule {
  @Override
  public List<Finding> apply(Connection c, List<Finding> findings) {
    List<Finding> out = new ArrayList<>(findings);
    Set<String> seen = new HashSet<>();
    for (dev.fleettrust.x509.Finding f : c.result().findings()) {
      if (f.severity() != Severity.ERROR) {
        continue;
      }
      Rule rule = Rule.of(f.rule());
      String message = f.message();
      Map<String, String> evidence = new LinkedHashMap<>(c.context());
      evidence.putAll(f.evidence());
      if (rule == Rule.MISSING_INTERMEDIATE && missingIsRoot(c, f)) {
        rule = Rule.UNTRUSTED_ROOT;
        message =
            "the chain leads to "
                + f.evidence().getOrDefault("missingIssuer", "a root")
                + ", a root the device does not hold.";
        evidence.put("root", f.evidence().getOrDefault("missingIssuer", ""));
      }
      if (!seen.add(rule + "|" + f.evidence().getOrDefault("thumbprint", ""))) {
        continue;
      }
      out.add(
          new Finding(
              rule,
              c.failureEffect(),
              c.stage(),
              c.who() + ", " + phrase(c) + ": " + message,
              evidence,
              Advice.forRule(rule)));
    }
    return out;
  }

  /**
   * The x509 core reports MISSING_INTERMEDIATE when the issuer of the last certificate it reached
   * is nowhere in the request. When that issuer is a root, the device lacks a root, not an
   * intermediate (seed 001: the public root unknown to old firmware): FleetTrust knows it is a root
   * when it holds a self-signed copy, and otherwise takes an unsent issuer of a CA certificate the
   * server does send to be the root, since servers send intermediates and leave the root out.
   */
  private static boolean missingIsRoot(Connection c, dev.fleettrust.x509.Finding f) {
    String thumbprint = f.evidence().getOrDefault("thumbprint", "");
    List<dev.fleettrust.x509.Certificate> chain = c.completed();
    for (int i = 0; i < chain.size(); i++) {
      dev.fleettrust.x509.Certificate cert = chain.get(i);
      if (cert.facts().sha1Thumbprint().equals(thumbprint)) {
        if (i + 1 < chain.size()) {
          return chain.get(i + 1).facts().selfSigned();
        }
        return cert.facts().isCa();
      }
    }
    return false;
  }

  static String phrase(Connection c) {
    return switch (c.stage()) {
      case PROVISIONING ->
          "authenticating by PIN against the web services of " + c.pool().pool.fqdn();
      case SIGN_IN ->
          "signing in to " + c.host().map(h -> h + " (" + c.endpoint() + ")").orElse(c.endpoint());
      case EXCHANGE -> "reaching Exchange at " + c.endpoint();
      default -> "connecting to " + c.endpoint();
    };
  }
}
