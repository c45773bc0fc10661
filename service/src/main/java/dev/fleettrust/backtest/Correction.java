package dev.fleettrust.backtest;

import dev.fleettrust.trust.Capabilities;
import dev.fleettrust.trust.Capability;
import dev.fleettrust.trust.CapabilityOverrides;
import dev.fleettrust.trust.TlsVersion;
import dev.fleettrust.x509.KeyType;
import dev.fleettrust.x509.SignatureAlgorithm;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A catalog correction for one capability of one build: the value the catalog holds and the value
 * the failures suggest, both as {@link CapabilityOverrides#toMap()} writes them.
 */
record Correction(Capability capability, Object currentValue, Object proposedValue) {
  Correction {
    Objects.requireNonNull(capability, "capability");
    Objects.requireNonNull(currentValue, "currentValue");
    Objects.requireNonNull(proposedValue, "proposedValue");
  }

  /**
   * The correction that would make the catalog predict failure on what {@code exercise} asked of a
   * build with capabilities {@code current}; empty when the catalog already says the build lacks it
   * (the failure then has another cause) or the capability is not one the catalog can correct.
   */
  static Optional<Correction> of(Exercise exercise, Capabilities current) {
    if (exercise instanceof Exercise.WildcardNames) {
      return current.wildcardNames()
          ? Optional.of(new Correction(Capability.WILDCARD_NAMES, true, false))
          : Optional.empty();
    }
    if (exercise instanceof Exercise.SignatureAlgorithmUsed s) {
      if (!current.signatureAlgorithms().contains(s.algorithm())) {
        return Optional.empty();
      }
      Set<SignatureAlgorithm> less = EnumSet.copyOf(current.signatureAlgorithms());
      less.remove(s.algorithm());
      return Optional.of(
          new Correction(
              Capability.SIGNATURE_ALGORITHMS,
              algorithms(current.signatureAlgorithms()),
              algorithms(less)));
    }
    if (exercise instanceof Exercise.KeyTypeUsed k) {
      if (!current.keyTypes().contains(k.type())) {
        return Optional.empty();
      }
      Set<KeyType> less = EnumSet.copyOf(current.keyTypes());
      less.remove(k.type());
      return Optional.of(
          new Correction(Capability.KEY_TYPES, keyTypes(current.keyTypes()), keyTypes(less)));
    }
    if (exercise instanceof Exercise.TlsVersionsLimited t) {
      TlsVersion lowest = t.enabled().stream().min(Comparator.naturalOrder()).orElseThrow();
      boolean catalogSaysItSpeaksOne = t.enabled().stream().anyMatch(current::speaks);
      if (!catalogSaysItSpeaksOne || lowest.ordinal() == 0) {
        return Optional.empty();
      }
      TlsVersion below = TlsVersion.values()[lowest.ordinal() - 1];
      if (below.compareTo(current.minTlsVersion()) < 0) {
        return Optional.empty();
      }
      return Optional.of(
          new Correction(
              Capability.MAX_TLS_VERSION, current.maxTlsVersion().wireName(), below.wireName()));
    }
    // A changed root would be corrected in the built-in root store, which proposals do not edit.
    return Optional.empty();
  }

  /** {@code stated} with this correction laid over it. */
  CapabilityOverrides applyTo(CapabilityOverrides stated) {
    Map<String, Object> values = new LinkedHashMap<>(stated.toMap());
    values.put(capability.wireName(), proposedValue);
    CapabilityOverrides.Parsed parsed = CapabilityOverrides.fromMap(values);
    if (parsed instanceof CapabilityOverrides.Parsed.Ok ok) {
      return ok.overrides();
    }
    throw new IllegalStateException("A correction does not read back: " + parsed);
  }

  /** Algorithms as the catalog writes them: in declaration order, contract.md spellings. */
  private static List<String> algorithms(Set<SignatureAlgorithm> values) {
    return values.stream().sorted().map(SignatureAlgorithm::wireName).toList();
  }

  /** Key types as the catalog writes them: {@code RSA}, {@code EC}, {@code Ed25519}. */
  private static List<String> keyTypes(Set<KeyType> values) {
    return values.stream().sorted().map(t -> t == KeyType.ED25519 ? "Ed25519" : t.name()).toList();
  }
}
