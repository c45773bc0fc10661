package dev.fleettrust.impact;

import dev.fleettrust.x509.Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every CA certificate FleetTrust has seen in the environment and the fleet, indexed by subject: a
 * server's own store holds the chain of its certificate even when it does not send all of it, so
 * this is where the engine looks for what a web service "infers" and what an administrator can add
 * to TrustedCACerts or publish in AD.
 */
final class KnownCas {
  private final Map<String, Certificate> bySha = new LinkedHashMap<>();
  private final Map<String, List<Certificate>> bySubject = new HashMap<>();

  KnownCas(Collection<Certificate> certificates) {
    for (Certificate c : certificates) {
      if ((c.facts().isCa() || c.facts().selfSigned())
          && bySha.putIfAbsent(c.sha256(), c) == null) {
        bySubject.computeIfAbsent(c.facts().subject().canonical(), k -> new ArrayList<>()).add(c);
      }
    }
  }

  List<Certificate> all() {
    return List.copyOf(bySha.values());
  }

  /**
   * The presented chain completed upward, leaf first, each next certificate the issuer of the one
   * before (matched by name and key identifier), from the presented certificates first and then the
   * known ones; it ends at a self-signed root or where no issuer is known.
   */
  List<Certificate> complete(List<Certificate> presented) {
    List<Certificate> chain = new ArrayList<>();
    chain.add(presented.get(0));
    List<Certificate> sent = presented.subList(1, presented.size());
    Certificate cur = presented.get(0);
    while (!cur.facts().selfSigned() && chain.size() < 10) {
      Optional<Certificate> next = issuerOf(cur, sent, chain);
      if (next.isEmpty()) {
        break;
      }
      chain.add(next.get());
      cur = next.get();
    }
    return List.copyOf(chain);
  }

  private Optional<Certificate> issuerOf(
      Certificate c, List<Certificate> sent, List<Certificate> exclude) {
    String issuer = c.facts().issuer().canonical();
    List<Certificate> candidates = new ArrayList<>();
    for (Certificate s : sent) {
      if (s.facts().subject().canonical().equals(issuer)) {
        candidates.add(s);
      }
    }
    candidates.addAll(bySubject.getOrDefault(issuer, List.of()));
    Optional<String> aki = c.facts().authorityKeyId();
    Certificate fallback = null;
    for (Certificate cand : candidates) {
      if (exclude.contains(cand)) {
        continue;
      }
      Optional<String> ski = cand.facts().subjectKeyId();
      if (aki.isPresent() && ski.isPresent()) {
        if (aki.equals(ski)) {
          return Optional.of(cand);
        }
      } else if (fallback == null) {
        fallback = cand;
      }
    }
    return Optional.ofNullable(fallback);
  }
}
