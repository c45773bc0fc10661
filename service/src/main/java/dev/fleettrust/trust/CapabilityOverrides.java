package dev.fleettrust.trust;

import dev.fleettrust.x509.KeyType;
import dev.fleettrust.x509.SignatureAlgorithm;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A partial set of capabilities: what a family states as its defaults, or what a build changes. An
 * absent component falls back to the family default (issue 6: "a missing capability falls back to
 * the family default"); what neither states stays unknown ({@link Capabilities#unknown()}), and the
 * engine never reads a pass from it (contract.md, "Unknown is never OK").
 */
public record CapabilityOverrides(
    Optional<Boolean> wildcardNames,
    Optional<Set<SignatureAlgorithm>> signatureAlgorithms,
    Optional<Boolean> usbTetherSkipsIntermediates,
    Optional<Boolean> checksRevocationReachability,
    Optional<TlsVersion> maxTlsVersion,
    Optional<TlsVersion> minTlsVersion,
    Optional<Boolean> ewsTrustsOnlyPoolIssuer,
    Optional<Boolean> requireServerAuthEku,
    Optional<Set<KeyType>> keyTypes,
    Optional<Integer> minRsaBits,
    Optional<Integer> maxRsaBits,
    Optional<Integer> maxDepth,
    Optional<Boolean> fetchesAiaIntermediates,
    Optional<Boolean> osManagedTrust,
    Optional<Set<ProvisioningMethod>> provisioningMethods) {

  public static final CapabilityOverrides NONE =
      new CapabilityOverrides(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  public CapabilityOverrides {
    signatureAlgorithms = signatureAlgorithms.map(Set::copyOf);
    keyTypes = keyTypes.map(Set::copyOf);
    provisioningMethods = provisioningMethods.map(Set::copyOf);
    Objects.requireNonNull(wildcardNames);
    Objects.requireNonNull(usbTetherSkipsIntermediates);
    Objects.requireNonNull(checksRevocationReachability);
    Objects.requireNonNull(maxTlsVersion);
    Objects.requireNonNull(minTlsVersion);
    Objects.requireNonNull(ewsTrustsOnlyPoolIssuer);
    Objects.requireNonNull(requireServerAuthEku);
    Objects.requireNonNull(minRsaBits);
    Objects.requireNonNull(maxRsaBits);
    Objects.requireNonNull(maxDepth);
    Objects.requireNonNull(fetchesAiaIntermediates);
    Objects.requireNonNull(osManagedTrust);
  }

  /** The capabilities this states, in declaration order. */
  public Set<Capability> stated() {
    Set<Capability> s = EnumSet.noneOf(Capability.class);
    toMap().keySet().forEach(k -> s.add(Capability.fromWireName(k).orElseThrow()));
    return s;
  }

  /** These overrides laid over {@code base}: what this states wins. */
  public Capabilities resolveOn(Capabilities base) {
    return new Capabilities(
        wildcardNames.orElse(base.wildcardNames()),
        signatureAlgorithms.orElse(base.signatureAlgorithms()),
        usbTetherSkipsIntermediates.orElse(base.usbTetherSkipsIntermediates()),
        checksRevocationReachability.orElse(base.checksRevocationReachability()),
        maxTlsVersion.orElse(base.maxTlsVersion()),
        minTlsVersion.orElse(base.minTlsVersion()),
        ewsTrustsOnlyPoolIssuer.orElse(base.ewsTrustsOnlyPoolIssuer()),
        requireServerAuthEku.orElse(base.requireServerAuthEku()),
        keyTypes.orElse(base.keyTypes()),
        minRsaBits.orElse(base.minRsaBits()),
        maxRsaBits.orElse(base.maxRsaBits()),
        maxDepth.orElse(base.maxDepth()),
        fetchesAiaIntermediates.orElse(base.fetchesAiaIntermediates()),
        osManagedTrust.orElse(base.osManagedTrust()),
        provisioningMethods.orElse(base.provisioningMethods()),
        unstatedAfter(base.unstated()));
  }

  private Set<Capability> unstatedAfter(Set<Capability> before) {
    Set<Capability> out = EnumSet.noneOf(Capability.class);
    out.addAll(before);
    out.removeAll(stated());
    return out;
  }

  /** The outcome of reading capabilities from a JSON-shaped map. */
  public sealed interface Parsed {
    record Ok(CapabilityOverrides overrides) implements Parsed {}

    /**
     * @param field the capability name at fault, e.g. {@code signatureAlgorithms}
     */
    record Invalid(String field, String reason) implements Parsed {}
  }

  /**
   * Reads capabilities as the catalog files and the API write them: booleans, integers, a TLS
   * version name, lists of signature algorithm names (contract.md spellings), key type names and
   * provisioning method names. A JSON null counts as absent. Unknown names are refused, so a typo
   * cannot silently fall back to a default.
   */
  public static Parsed fromMap(Map<String, ?> map) {
    Builder b = new Builder();
    for (Map.Entry<String, ?> e : map.entrySet()) {
      Object v = e.getValue();
      if (v == null) {
        continue;
      }
      Optional<Capability> cap = Capability.fromWireName(e.getKey());
      if (cap.isEmpty()) {
        return new Parsed.Invalid(e.getKey(), "unknown capability");
      }
      String problem =
          switch (cap.get()) {
            case WILDCARD_NAMES -> bool(v, x -> b.wildcardNames = x);
            case USB_TETHER_SKIPS_INTERMEDIATES -> bool(v, x -> b.usbTetherSkipsIntermediates = x);
            case CHECKS_REVOCATION_REACHABILITY -> bool(v, x -> b.checksRevocationReachability = x);
            case EWS_TRUSTS_ONLY_POOL_ISSUER -> bool(v, x -> b.ewsTrustsOnlyPoolIssuer = x);
            case REQUIRES_SERVER_AUTH_EKU -> bool(v, x -> b.requireServerAuthEku = x);
            case FETCHES_INTERMEDIATES_FROM_AIA -> bool(v, x -> b.fetchesAiaIntermediates = x);
            case OS_MANAGED_TRUST -> bool(v, x -> b.osManagedTrust = x);
            case MIN_RSA_KEY_BITS -> integer(v, x -> b.minRsaBits = x);
            case MAX_RSA_KEY_BITS -> integer(v, x -> b.maxRsaBits = x);
            case MAX_CHAIN_DEPTH -> integer(v, x -> b.maxDepth = x);
            case MAX_TLS_VERSION -> tls(v, x -> b.maxTlsVersion = x);
            case MIN_TLS_VERSION -> tls(v, x -> b.minTlsVersion = x);
            case SIGNATURE_ALGORITHMS -> {
              Set<SignatureAlgorithm> algs = EnumSet.noneOf(SignatureAlgorithm.class);
              String bad = names(v, n -> SignatureAlgorithm.fromWireName(n).map(algs::add));
              b.signatureAlgorithms = algs;
              yield bad;
            }
            case KEY_TYPES -> {
              Set<KeyType> types = EnumSet.noneOf(KeyType.class);
              String bad = names(v, n -> keyType(n).map(types::add));
              b.keyTypes = types;
              yield bad;
            }
            case PROVISIONING_METHODS -> {
              Set<ProvisioningMethod> methods = EnumSet.noneOf(ProvisioningMethod.class);
              String bad = names(v, n -> enumValue(ProvisioningMethod.class, n).map(methods::add));
              b.provisioningMethods = methods;
              yield bad;
            }
          };
      if (problem != null) {
        return new Parsed.Invalid(e.getKey(), problem);
      }
    }
    if (b.minRsaBits != null && b.maxRsaBits != null && b.minRsaBits > b.maxRsaBits) {
      return new Parsed.Invalid(
          Capability.MIN_RSA_KEY_BITS.wireName(), "larger than maxRsaKeyBits");
    }
    if (b.minTlsVersion != null
        && b.maxTlsVersion != null
        && b.minTlsVersion.compareTo(b.maxTlsVersion) > 0) {
      return new Parsed.Invalid(Capability.MIN_TLS_VERSION.wireName(), "later than maxTlsVersion");
    }
    return new Parsed.Ok(b.build());
  }

  /** The stated capabilities as the catalog files and the API write them, in declaration order. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    wildcardNames.ifPresent(v -> m.put(Capability.WILDCARD_NAMES.wireName(), v));
    signatureAlgorithms.ifPresent(
        v ->
            m.put(
                Capability.SIGNATURE_ALGORITHMS.wireName(),
                sorted(v).stream().map(SignatureAlgorithm::wireName).toList()));
    usbTetherSkipsIntermediates.ifPresent(
        v -> m.put(Capability.USB_TETHER_SKIPS_INTERMEDIATES.wireName(), v));
    checksRevocationReachability.ifPresent(
        v -> m.put(Capability.CHECKS_REVOCATION_REACHABILITY.wireName(), v));
    maxTlsVersion.ifPresent(v -> m.put(Capability.MAX_TLS_VERSION.wireName(), v.wireName()));
    minTlsVersion.ifPresent(v -> m.put(Capability.MIN_TLS_VERSION.wireName(), v.wireName()));
    ewsTrustsOnlyPoolIssuer.ifPresent(
        v -> m.put(Capability.EWS_TRUSTS_ONLY_POOL_ISSUER.wireName(), v));
    requireServerAuthEku.ifPresent(v -> m.put(Capability.REQUIRES_SERVER_AUTH_EKU.wireName(), v));
    keyTypes.ifPresent(
        v ->
            m.put(
                Capability.KEY_TYPES.wireName(),
                sorted(v).stream().map(CapabilityOverrides::keyTypeName).toList()));
    minRsaBits.ifPresent(v -> m.put(Capability.MIN_RSA_KEY_BITS.wireName(), v));
    maxRsaBits.ifPresent(v -> m.put(Capability.MAX_RSA_KEY_BITS.wireName(), v));
    maxDepth.ifPresent(v -> m.put(Capability.MAX_CHAIN_DEPTH.wireName(), v));
    fetchesAiaIntermediates.ifPresent(
        v -> m.put(Capability.FETCHES_INTERMEDIATES_FROM_AIA.wireName(), v));
    osManagedTrust.ifPresent(v -> m.put(Capability.OS_MANAGED_TRUST.wireName(), v));
    provisioningMethods.ifPresent(
        v ->
            m.put(
                Capability.PROVISIONING_METHODS.wireName(),
                sorted(v).stream().map(Enum::name).toList()));
    return m;
  }

  private static <E extends Enum<E>> List<E> sorted(Collection<E> values) {
    return new ArrayList<>(new TreeSet<>(values));
  }

  /** Key type names as the API spells them: {@code RSA}, {@code EC}, {@code Ed25519}. */
  static String keyTypeName(KeyType t) {
    return t == KeyType.ED25519 ? "Ed25519" : t.name();
  }

  private static Optional<KeyType> keyType(String name) {
    return name.equals("Ed25519") ? Optional.of(KeyType.ED25519) : enumValue(KeyType.class, name);
  }

  private static String tls(Object v, java.util.function.Consumer<TlsVersion> sink) {
    Optional<TlsVersion> t = v instanceof String s ? TlsVersion.fromWireName(s) : Optional.empty();
    if (t.isEmpty()) {
      return "expected one of TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3";
    }
    sink.accept(t.get());
    return null;
  }

  private static String bool(Object v, java.util.function.Consumer<Boolean> sink) {
    if (!(v instanceof Boolean b)) {
      return "expected true or false";
    }
    sink.accept(b);
    return null;
  }

  private static String integer(Object v, java.util.function.Consumer<Integer> sink) {
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      return "expected an integer";
    }
    if (n.longValue() < 0 || n.longValue() > 1_000_000) {
      return "out of range";
    }
    sink.accept(n.intValue());
    return null;
  }

  private static String names(
      Object v, java.util.function.Function<String, Optional<Boolean>> add) {
    if (!(v instanceof List<?> list)) {
      return "expected a list of names";
    }
    for (Object item : list) {
      if (!(item instanceof String s) || add.apply(s).isEmpty()) {
        return "unknown name: " + item;
      }
    }
    return null;
  }

  private static <E extends Enum<E>> Optional<E> enumValue(Class<E> type, String name) {
    try {
      return Optional.of(Enum.valueOf(type, name));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Builds overrides piece by piece; unset components stay absent. */
  public static final class Builder {
    Boolean wildcardNames;
    Set<SignatureAlgorithm> signatureAlgorithms;
    Boolean usbTetherSkipsIntermediates;
    Boolean checksRevocationReachability;
    TlsVersion maxTlsVersion;
    TlsVersion minTlsVersion;
    Boolean ewsTrustsOnlyPoolIssuer;
    Boolean requireServerAuthEku;
    Set<KeyType> keyTypes;
    Integer minRsaBits;
    Integer maxRsaBits;
    Integer maxDepth;
    Boolean fetchesAiaIntermediates;
    Boolean osManagedTrust;
    Set<ProvisioningMethod> provisioningMethods;

    public Builder wildcardNames(boolean v) {
      wildcardNames = v;
      return this;
    }

    public Builder signatureAlgorithms(Set<SignatureAlgorithm> v) {
      signatureAlgorithms = v;
      return this;
    }

    public Builder usbTetherSkipsIntermediates(boolean v) {
      usbTetherSkipsIntermediates = v;
      return this;
    }

    public Builder checksRevocationReachability(boolean v) {
      checksRevocationReachability = v;
      return this;
    }

    public Builder maxTlsVersion(TlsVersion v) {
      maxTlsVersion = v;
      return this;
    }

    public Builder ewsTrustsOnlyPoolIssuer(boolean v) {
      ewsTrustsOnlyPoolIssuer = v;
      return this;
    }

    public Builder osManagedTrust(boolean v) {
      osManagedTrust = v;
      return this;
    }

    public Builder provisioningMethods(Set<ProvisioningMethod> v) {
      provisioningMethods = v;
      return this;
    }

    public Builder maxRsaBits(int v) {
      maxRsaBits = v;
      return this;
    }

    public CapabilityOverrides build() {
      return new CapabilityOverrides(
          Optional.ofNullable(wildcardNames),
          Optional.ofNullable(signatureAlgorithms),
          Optional.ofNullable(usbTetherSkipsIntermediates),
          Optional.ofNullable(checksRevocationReachability),
          Optional.ofNullable(maxTlsVersion),
          Optional.ofNullable(minTlsVersion),
          Optional.ofNullable(ewsTrustsOnlyPoolIssuer),
          Optional.ofNullable(requireServerAuthEku),
          Optional.ofNullable(keyTypes),
          Optional.ofNullable(minRsaBits),
          Optional.ofNullable(maxRsaBits),
          Optional.ofNullable(maxDepth),
          Optional.ofNullable(fetchesAiaIntermediates),
          Optional.ofNullable(osManagedTrust),
          Optional.ofNullable(provisioningMethods));
    }
  }

  public static Builder builder() {
    return new Builder();
  }
}
