package dev.fleettrust.impact;

import dev.fleettrust.trust.Capabilities;
import dev.fleettrust.trust.Capability;
import dev.fleettrust.trust.ResolvedFirmware;
import dev.fleettrust.trust.Rule;
import dev.fleettrust.trust.TlsVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * TLS_VERSION_UNSUPPORTED (Microsoft's SfB guidance on disabling TLS 1.0/1.1; contract.md, "TLS
 * range"): a build speaks every version from {@code minTlsVersion} to {@code maxTlsVersion}
 * inclusive, and fails when the pool's enabled versions and that range do not intersect (LPE's
 * Windows CE base stops at TLS 1.0, so a pool that disables it stops every LPE device).
 *
 * <p>Either bound may be unknown. The known bound alone decides when the pool offers it (the range
 * holds both bounds) or offers nothing on the range's side of it; otherwise the outcome depends on
 * the unknown bound, and the device is AT_RISK with that capability named.
 */
final class TlsVersionRule {
  /** The facts this rule needs. */
  static final Set<Capability> NEEDS =
      Set.of(Capability.MIN_TLS_VERSION, Capability.MAX_TLS_VERSION);

  private TlsVersionRule() {}

  static Optional<Finding> check(ResolvedFirmware fw, Pool pool, String model) {
    Capabilities caps = fw.capabilities();
    TreeSet<TlsVersion> offered = new TreeSet<>(pool.effectiveTlsVersions());
    boolean minKnown = caps.knows(Capability.MIN_TLS_VERSION);
    boolean maxKnown = caps.knows(Capability.MAX_TLS_VERSION);
    Optional<TlsVersion> min = minKnown ? Optional.of(caps.minTlsVersion()) : Optional.empty();
    Optional<TlsVersion> max = maxKnown ? Optional.of(caps.maxTlsVersion()) : Optional.empty();
    boolean surely = false;
    boolean possibly = false;
    for (TlsVersion v : offered) {
      boolean aboveMin = min.map(m -> v.compareTo(m) >= 0).orElse(true);
      boolean belowMax = max.map(m -> v.compareTo(m) <= 0).orElse(true);
      if (aboveMin && belowMax) {
        possibly = true;
        // In the range for every value the unknown bound may take: it is the known bound itself.
        surely |=
            (minKnown && maxKnown)
                || (minKnown && v.equals(min.get()))
                || (maxKnown && v.equals(max.get()));
      }
    }
    if (surely) {
      return Optional.empty();
    }
    Map<String, String> evidence = new LinkedHashMap<>();
    evidence.put("model", model);
    evidence.put("family", fw.family().id());
    evidence.put("build", fw.build().text());
    evidence.put("pool", pool.fqdn());
    evidence.put(
        "tlsVersions", String.join(" ", offered.stream().map(TlsVersion::wireName).toList()));
    max.ifPresent(v -> evidence.put("maxTlsVersion", v.wireName()));
    min.ifPresent(v -> evidence.put("minTlsVersion", v.wireName()));
    String range =
        min.map(TlsVersion::wireName).orElse("an unknown version")
            + " to "
            + max.map(TlsVersion::wireName).orElse("an unknown version");
    String keep =
        "Keep "
            + max.or(() -> min).map(TlsVersion::wireName).orElse("the versions these devices speak")
            + " enabled on "
            + pool.fqdn()
            + " for these devices, or retire the devices.";
    if (!possibly) {
      return Optional.of(
          new Finding(
              Rule.TLS_VERSION_UNSUPPORTED,
              Verdict.BREAKS,
              Stage.POOL,
              model
                  + " on "
                  + fw.profileName()
                  + " speaks "
                  + range
                  + ", but "
                  + pool.fqdn()
                  + " accepts only "
                  + evidence.get("tlsVersions")
                  + ".",
              evidence,
              keep));
    }
    List<String> unknown =
        NEEDS.stream().filter(c -> !caps.knows(c)).map(Capability::wireName).sorted().toList();
    evidence.put("capability", String.join(" ", unknown));
    evidence.put(
        "dependsOn",
        "the catalog does not state " + String.join(" and ", unknown) + " for " + fw.profileName());
    return Optional.of(
        new Finding(
            Rule.TLS_VERSION_UNSUPPORTED,
            Verdict.AT_RISK,
            Stage.POOL,
            model
                + " on "
                + fw.profileName()
                + " speaks "
                + range
                + " and "
                + pool.fqdn()
                + " accepts only "
                + evidence.get("tlsVersions")
                + ": whether they meet depends on "
                + String.join(" and ", unknown)
                + ", which the catalog does not state.",
            evidence,
            "Add "
                + String.join(" and ", unknown)
                + " for "
                + fw.profileName()
                + " to the catalog, or "
                + keep.substring(0, 1).toLowerCase()
                + keep.substring(1)));
  }
}
