package dev.fleettrust.impact;

import dev.fleettrust.trust.Rule;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One reason for a device's verdict: a rule ID, the effect it has, a sentence a phone administrator
 * understands, the evidence (which certificate, which anchor, which build, which host) and the
 * remediation.
 *
 * @param effect the verdict this finding alone gives the device
 */
public record Finding(
    Rule rule,
    Verdict effect,
    Stage stage,
    String message,
    Map<String, String> evidence,
    String remediation) {
  public Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(message, "message");
    evidence = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    Objects.requireNonNull(remediation, "remediation");
  }

  Finding withEffect(Verdict newEffect, String newMessage) {
    return new Finding(rule, newEffect, stage, newMessage, evidence, remediation);
  }
}
