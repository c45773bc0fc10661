package dev.fleettrust.impact;

import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.TrustAnchor;
import java.util.List;

/**
 * What a device trusts and holds when it connects: its anchors (built-in roots and held roots) and
 * the intermediates it can build a path through. {@code key} names the content for memoisation.
 */
record Holdings(List<TrustAnchor> anchors, List<Certificate> intermediates, String key) {
  Holdings {
    anchors = List.copyOf(anchors);
    intermediates = List.copyOf(intermediates);
  }
}
