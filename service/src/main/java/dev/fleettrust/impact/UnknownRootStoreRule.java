package dev.fleettrust.impact;

import dev.fleettrust.trust.Rule;
import dev.fleettrust.x509.Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Where the catalog does not know a build's built-in roots ({@code builtInRoots: null}), a trust
 * failure may be cured by a root the firmware carries: the finding becomes AT_RISK and names the
 * deciding fact instead of guessing (contract.md, "Rules, made precise"; issue 4). A missing
 * intermediate that FleetTrust knows to be an intermediate stays a failure: no root store supplies
 * an intermediate.
 */
final class UnknownRootStoreRule implements LegRule {
  private static final Set<Rule> DECIDED_BY_ROOTS =
      EnumSet.of(
          Rule.UNTRUSTED_ROOT,
          Rule.MISSING_INTERMEDIATE,
          Rule.ANCHOR_EXPIRED,
          Rule.PROVISIONED_CHAIN_MISMATCH,
          Rule.EWS_ISSUER_NOT_TRUSTED);

  @Override
  public List<Finding> apply(Connection c, List<Finding> findings) {
    if (c.firmware().builtInRoots().isKnown()
        || c.firmware().capabilities().osManagedTrust()
        || SignInSimulator.reported(c.profile())) {
      return findings;
    }
    Certificate top = c.completed().get(c.completed().size() - 1);
    String root =
        top.facts().selfSigned() ? top.facts().subject().rfc4514() : top.facts().issuer().rfc4514();
    List<Finding> out = new ArrayList<>();
    boolean undecided = false;
    for (Finding f : findings) {
      if (DECIDED_BY_ROOTS.contains(f.rule()) && !knownIntermediateMissing(c, f)) {
        undecided = true;
        out.add(
            f.withEffect(
                Verdict.AT_RISK,
                f.message()
                    + " The catalog does not know the built-in roots of "
                    + c.firmware().profileName()
                    + ": the outcome depends on whether they include "
                    + root
                    + "."));
      } else {
        out.add(f);
      }
    }
    if (undecided) {
      out.add(
          0,
          new Finding(
              Rule.BUILT_IN_ROOTS_UNKNOWN,
              Verdict.AT_RISK,
              Stage.CATALOG,
              "The catalog does not know the built-in roots of "
                  + c.firmware().profileName()
                  + "; whether "
                  + c.profile().model()
                  + " trusts the chain depends on them.",
              java.util.Map.of(
                  "model", c.profile().model(),
                  "family", c.firmware().family().id(),
                  "build", c.firmware().build().text()),
              Advice.forRule(Rule.BUILT_IN_ROOTS_UNKNOWN)));
    }
    return out;
  }

  private static boolean knownIntermediateMissing(Connection c, Finding f) {
    if (f.rule() != Rule.MISSING_INTERMEDIATE) {
      return false;
    }
    String missing = f.evidence().getOrDefault("missingIssuer", "");
    return c.completed().stream()
        .anyMatch(x -> !x.facts().selfSigned() && x.facts().subject().rfc4514().equals(missing));
  }
}
