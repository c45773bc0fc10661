package dev.fleettrust.x509;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of {@link PathValidator}.
 *
 * @param valid true when some path to an anchor passes every rule
 * @param path the chosen path, leaf first, ending with the anchor's certificate when the anchor is
 *     a certificate (or one found in the pool for an identity anchor); for a failure, the best
 *     failing path
 * @param anchor the anchor the path ends at, if it reached one
 * @param findings for a valid result, INFO/WARNING notes only; for a failure at least one ERROR.
 *     INFO and WARNING findings reuse the rule they relate to (an intermediate fetched through AIA
 *     is an INFO MISSING_INTERMEDIATE; an identity anchor matched by name only is an INFO
 *     UNTRUSTED_ROOT), so decide on {@link #errorRules()} or {@link #has(RuleId)}, never on the
 *     rule alone
 */
public record ValidationResult(
    boolean valid, List<Certificate> path, Optional<TrustAnchor> anchor, List<Finding> findings) {
  public ValidationResult {
    path = List.copyOf(path);
    Objects.requireNonNull(anchor, "anchor");
    findings = List.copyOf(findings);
  }

  /** The rule IDs of the ERROR findings, in order. */
  public List<RuleId> errorRules() {
    return findings.stream()
        .filter(f -> f.severity() == Severity.ERROR)
        .map(Finding::rule)
        .distinct()
        .toList();
  }

  /** Whether an ERROR finding carries {@code rule}. */
  public boolean has(RuleId rule) {
    return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR && f.rule() == rule);
  }
}
