package dev.fleettrust.inventory;

import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Profiles by hash, remembered between batches. A hash always names the same profile, so entries
 * never go stale; whether the row exists is only told after a commit ({@link #markPersisted}), and
 * profile rows are never deleted. Bounded: a full cache is simply emptied (a fleet has a few
 * thousand profiles).
 */
@Singleton
final class TrustProfileCache {
  private static final int MAX_ENTRIES = 200_000;

  private final Map<String, TrustProfile> byHash = new ConcurrentHashMap<>();
  private final Set<String> persisted = ConcurrentHashMap.newKeySet();

  Optional<TrustProfile> find(String hash) {
    return Optional.ofNullable(byHash.get(hash));
  }

  void remember(String hash, TrustProfile profile) {
    if (byHash.size() >= MAX_ENTRIES) {
      byHash.clear();
    }
    byHash.put(hash, profile);
  }

  boolean persisted(String hash) {
    return persisted.contains(hash);
  }

  void markPersisted(Set<String> hashes) {
    if (persisted.size() + hashes.size() >= MAX_ENTRIES) {
      persisted.clear();
    }
    persisted.addAll(hashes);
  }
}
