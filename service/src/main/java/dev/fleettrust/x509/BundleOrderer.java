package dev.fleettrust.x509;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Orders a bundle leaf to root by names, AKI/SKI and signatures, or says why it is not one chain:
 * two leaves, a gap (a missing link between the leaf's chain and other CAs of the bundle), or a
 * loop. Duplicates are dropped.
 */
public final class BundleOrderer {
  private BundleOrderer() {}

  public static BundleOrder order(List<Certificate> bundle) {
    Map<String, Certificate> unique = new LinkedHashMap<>();
    for (Certificate c : bundle) {
      unique.putIfAbsent(c.sha256(), c);
    }
    List<Certificate> certs = List.copyOf(unique.values());
    if (certs.isEmpty()) {
      return new BundleOrder.NotOneChain(
          BundleOrder.Problem.EMPTY, "The bundle holds no certificate.", List.of());
    }
    Map<Certificate, Certificate> parent = new LinkedHashMap<>();
    for (Certificate c : certs) {
      issuerIn(c, certs).ifPresent(p -> parent.put(c, p));
    }
    Set<Certificate> parents = new HashSet<>(parent.values());
    List<Certificate> leaves = certs.stream().filter(c -> !parents.contains(c)).toList();
    if (leaves.isEmpty()) {
      return new BundleOrder.NotOneChain(
          BundleOrder.Problem.LOOP,
          "The certificates issue one another in a circle; there is no leaf to start from.",
          certs);
    }
    if (leaves.size() > 1) {
      List<Certificate> endEntities = leaves.stream().filter(c -> !c.facts().isCa()).toList();
      if (endEntities.size() > 1) {
        return new BundleOrder.NotOneChain(
            BundleOrder.Problem.TWO_LEAVES,
            "The bundle holds "
                + endEntities.size()
                + " server certificates ("
                + names(endEntities)
                + "); a chain has exactly one.",
            endEntities);
      }
      Certificate start = endEntities.isEmpty() ? leaves.get(0) : endEntities.get(0);
      List<Certificate> chain = follow(start, parent);
      Certificate top = chain.get(chain.size() - 1);
      return new BundleOrder.NotOneChain(
          BundleOrder.Problem.GAP,
          "The chain from "
              + start.facts().subject().rfc4514()
              + " stops at "
              + top.facts().subject().rfc4514()
              + ", whose issuer "
              + top.facts().issuer().rfc4514()
              + " is not in the bundle, yet the bundle also holds "
              + names(leaves.stream().filter(l -> !chain.contains(l)).toList())
              + ".",
          leaves);
    }
    List<Certificate> chain = follow(leaves.get(0), parent);
    if (chain.size() < certs.size()) {
      List<Certificate> rest = certs.stream().filter(c -> !chain.contains(c)).toList();
      return new BundleOrder.NotOneChain(
          BundleOrder.Problem.LOOP,
          "The certificates "
              + names(rest)
              + " issue one another in a circle, apart from the chain.",
          rest);
    }
    return new BundleOrder.Ordered(chain);
  }

  private static List<Certificate> follow(Certificate start, Map<Certificate, Certificate> parent) {
    List<Certificate> chain = new ArrayList<>();
    Set<Certificate> seen = new HashSet<>();
    Certificate c = start;
    while (c != null && seen.add(c)) {
      chain.add(c);
      c = parent.get(c);
    }
    return chain;
  }

  /** The certificate of the bundle that issued {@code c}: AKI/SKI match first, then signature. */
  private static Optional<Certificate> issuerIn(Certificate c, List<Certificate> certs) {
    if (c.facts().selfIssued()) {
      return Optional.empty();
    }
    Optional<String> aki = c.facts().authorityKeyId();
    List<Certificate> named =
        certs.stream()
            .filter(p -> p != c)
            .filter(p -> p.facts().subject().canonical().equals(c.facts().issuer().canonical()))
            .sorted(
                java.util.Comparator.comparingInt(
                    p -> aki.isPresent() && aki.equals(p.facts().subjectKeyId()) ? 0 : 1))
            .toList();
    for (Certificate p : named) {
      if (Signatures.verify(c.data().holder(), p.data().spki())) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static String names(List<Certificate> certs) {
    return String.join("; ", certs.stream().map(c -> c.facts().subject().rfc4514()).toList());
  }
}
