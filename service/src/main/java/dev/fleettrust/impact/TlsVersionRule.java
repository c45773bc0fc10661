package dev.fleettrust.impact;

import dev.fleettrust.trust.ResolvedFirmware;
import dev.fleettrust.trust.Rule;
import dev.fleettrust.trust.TlsVersion;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * TLS_VERSION_UNSUPPORTED (Microsoft's SfB guidance on disabling TLS 1.0/1.1): when the pool's
 * endpoints accept none of the versions the build speaks (LPE's Windows CE base stops at TLS 1.0),
 * every device of the family fails to sign in.
 */
final class TlsVersionRule {
  private TlsVersionRule() {}

  static Optional<Finding> check(ResolvedFirmware fw, Pool pool, String model) {
    TreeSet<TlsVersion> offered = new TreeSet<>(pool.effectiveTlsVersions());
    for (TlsVersion v : offered) {
      if (fw.capabilities().speaks(v)) {
        return Optional.empty();
      }
    }
    Map<String, String> evidence = new LinkedHashMap<>();
    evidence.put("model", model);
    evidence.put("family", fw.family().id());
    evidence.put("build", fw.build().text());
    evidence.put("pool", pool.fqdn());
    evidence.put(
        "tlsVersions", String.join(" ", offered.stream().map(TlsVersion::wireName).toList()));
    evidence.put("maxTlsVersion", fw.capabilities().maxTlsVersion().wireName());
    evidence.put("minTlsVersion", fw.capabilities().minTlsVersion().wireName());
    return Optional.of(
        new Finding(
            Rule.TLS_VERSION_UNSUPPORTED,
            Verdict.BREAKS,
            Stage.POOL,
            model
                + " on "
                + fw.profileName()
                + " speaks "
                + fw.capabilities().minTlsVersion().wireName()
                + " to "
                + fw.capabilities().maxTlsVersion().wireName()
                + ", but "
                + pool.fqdn()
                + " accepts only "
                + evidence.get("tlsVersions")
                + ".",
            evidence,
            "Keep "
                + fw.capabilities().maxTlsVersion().wireName()
                + " enabled on "
                + pool.fqdn()
                + " for these devices, or retire the devices."));
  }
}
