package dev.fleettrust.impact;

import dev.fleettrust.x509.Finding;
import java.util.Objects;

/**
 * A pre-flight finding on a chain itself (x509 {@code ChainLinter}), before any device is
 * considered.
 *
 * @param field the JSONPath of the chain: {@code $.changes[0].chain} for a chain the change brings,
 *     {@code $.pools[0].certificates.DEFAULT} or {@code $.exchange[0].certificate} in the
 *     environment document when the change brings none
 */
public record LintFinding(String field, Finding finding) {
  public LintFinding {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(finding, "finding");
  }
}
