package dev.fleettrust.impact;

import dev.fleettrust.trust.DeviceProfile;
import dev.fleettrust.trust.ProvisioningMethod;
import dev.fleettrust.trust.ResolvedFirmware;
import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.ValidationResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One TLS connection of a simulated sign-in, as the rules see it: who connects (profile, firmware,
 * how it provisioned this time and what it downloaded), where to (pool, endpoint, host), what the
 * server presents, and what path validation said.
 *
 * @param method the provisioning method taken at this sign-in; empty when the device re-provisions
 *     nothing and keeps what it holds
 * @param fromWebService what the device downloaded from the pool's web service at this sign-in,
 *     when it took PIN authentication
 * @param usage the pool certificate usage, empty for an Exchange host
 * @param completed the presented chain completed upward from known CA certificates
 */
record Connection(
    Stage stage,
    DeviceProfile profile,
    ResolvedFirmware firmware,
    Optional<ProvisioningMethod> method,
    Optional<Download> fromWebService,
    World.PoolView pool,
    Optional<Usage> usage,
    String endpoint,
    Optional<String> host,
    List<Certificate> presented,
    List<Certificate> completed,
    ValidationResult result,
    World world) {

  /** The effect a failure of this connection has on the device. */
  Verdict failureEffect() {
    return stage == Stage.EXCHANGE ? Verdict.DEGRADED : Verdict.BREAKS;
  }

  /** Evidence every finding of this connection carries. */
  Map<String, String> context() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("model", profile.model());
    m.put("family", firmware.family().id());
    m.put("build", firmware.build().text());
    m.put("pool", pool.pool.fqdn());
    m.put("endpoint", endpoint);
    usage.ifPresent(u -> m.put("usage", u.name()));
    if (stage == Stage.EXCHANGE) {
      m.put("ewsFqdn", endpoint);
    }
    host.ifPresent(h -> m.put("host", h));
    m.put("provisioning", method.map(Enum::name).orElse("none (keeps what it holds)"));
    return m;
  }

  /** The sentence that opens a finding's message. */
  String who() {
    return profile.model() + " on " + firmware.profileName();
  }
}
