package dev.fleettrust.impact;

import java.util.List;
import java.util.Map;

/**
 * What a what-if run assumes beyond a change set: certificates reissued (see {@link Reissue}) and
 * roots published in AD that FleetTrust knows only by name, because the server does not send its
 * root and no document carries it (seed 001: the administrator exports the root from the server's
 * certificate path before publishing it).
 *
 * @param reissues by the chain key of {@link Reissue#poolChain} or {@link Reissue#exchangeChain}
 * @param assumedAdRoots canonical names of roots assumed published in AD
 */
record Overlay(Map<String, Reissue> reissues, List<String> assumedAdRoots) {
  static final Overlay NONE = new Overlay(Map.of(), List.of());

  Overlay {
    reissues = Map.copyOf(reissues);
    assumedAdRoots = List.copyOf(assumedAdRoots);
  }

  static Overlay reissuing(Map<String, Reissue> reissues) {
    return new Overlay(reissues, List.of());
  }

  boolean isEmpty() {
    return reissues.isEmpty() && assumedAdRoots.isEmpty();
  }
}
