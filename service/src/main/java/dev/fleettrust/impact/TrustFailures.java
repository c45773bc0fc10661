package dev.fleettrust.impact;

import dev.fleettrust.trust.Rule;
import java.util.EnumSet;
import java.util.Set;

/** The path failures that mean "no anchor the device holds": the ones more anchors would fix. */
final class TrustFailures {
  private TrustFailures() {}

  static final Set<Rule> RULES =
      EnumSet.of(Rule.UNTRUSTED_ROOT, Rule.MISSING_INTERMEDIATE, Rule.ANCHOR_EXPIRED);

  static boolean is(Finding f) {
    return RULES.contains(f.rule());
  }
}
