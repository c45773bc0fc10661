package dev.fleettrust.testing.contract;

import java.util.ArrayList;
import java.util.List;

/** Contract drift seen during the current test, collected across client threads. */
final class ContractViolations {
  private static final List<String> SEEN = new ArrayList<>();

  private ContractViolations() {}

  static synchronized void record(List<String> violations) {
    SEEN.addAll(violations);
  }

  static synchronized List<String> drain() {
    List<String> drained = List.copyOf(SEEN);
    SEEN.clear();
    return drained;
  }
}
