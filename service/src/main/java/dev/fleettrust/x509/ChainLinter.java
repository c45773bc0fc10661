package dev.fleettrust.x509;

import java.time.Instant;
import java.util.List;

/**
 * Pre-flight lints of a planned chain (issue 3, item 7), run before any device is considered. Each
 * lint gives a finding with one of the {@code LINT_} rule IDs of contract.md.
 */
public final class ChainLinter {
  private ChainLinter() {}

  /**
   * @param chain the planned chain as the server will send it, leaf first
   * @param plannedAt when the chain goes live (for LINT_EXPIRES_SOON)
   */
  public static List<Finding> lint(List<Certificate> chain, Instant plannedAt) {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
