package dev.fleettrust.x509;

import java.util.List;
import java.util.Objects;

/** The outcome of {@link BundleOrderer#order}: one chain leaf to root, or why it is not one. */
public sealed interface BundleOrder {

  /** The bundle is one chain; {@code chain} runs leaf first, root (or top) last. */
  record Ordered(List<Certificate> chain) implements BundleOrder {
    public Ordered {
      chain = List.copyOf(chain);
    }
  }

  /** The bundle is not one chain. */
  record NotOneChain(Problem problem, String message, List<Certificate> involved)
      implements BundleOrder {
    public NotOneChain {
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(message, "message");
      involved = List.copyOf(involved);
    }
  }

  enum Problem {
    /** Nothing to order. */
    EMPTY,
    /** More than one certificate issues nothing else in the bundle. */
    TWO_LEAVES,
    /** Some certificate's issuer is missing while a later one in the bundle is above it. */
    GAP,
    /** The issuer links go round in a circle with no leaf to start from. */
    LOOP
  }
}
