package dev.fleettrust.x509;

import java.util.Map;
import java.util.Objects;

/**
 * One reason a path or a planned chain fails or deserves attention.
 *
 * @param message a sentence a phone administrator understands
 * @param evidence what it is about: {@code certificate} (subject), {@code thumbprint} (SHA-1,
 *     upper-case), {@code anchor}, {@code missingIssuer}, {@code authorityKeyId}, ...; insertion
 *     order kept
 */
public record Finding(
    RuleId rule, Severity severity, String message, Map<String, String> evidence) {
  public Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
    evidence = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evidence));
  }

  public static Finding error(RuleId rule, String message, Map<String, String> evidence) {
    return new Finding(rule, Severity.ERROR, message, evidence);
  }

  public static Finding warning(RuleId rule, String message, Map<String, String> evidence) {
    return new Finding(rule, Severity.WARNING, message, evidence);
  }

  public static Finding info(RuleId rule, String message, Map<String, String> evidence) {
    return new Finding(rule, Severity.INFO, message, evidence);
  }
}
