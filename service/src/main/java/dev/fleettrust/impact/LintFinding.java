package dev.fleettrust.impact;

import dev.fleettrust.x509.Finding;
import java.util.Objects;

/**
 * A pre-flight finding on a chain itself (x509 {@code ChainLinter}), before any device is
 * considered.
 *
 * @param chain which chain: {@code <pool> <USAGE>} or the EWS FQDN
 */
public record LintFinding(String chain, Finding finding) {
  public LintFinding {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(finding, "finding");
  }
}
