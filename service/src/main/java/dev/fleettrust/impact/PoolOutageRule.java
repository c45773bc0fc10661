package dev.fleettrust.impact;

import dev.fleettrust.trust.Rule;
import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.SignatureAlgorithm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MD5 anywhere in a pool's chain (seed 002): Lync/SfB services do not start ("Skype for Business
 * Services won't start", the root/issuing CA signing with MD5; a root's own self-signature is not
 * verified and does not count), so every device dialling the pool is BREAKS, Windows clients
 * included (contract.md, "Rules, made precise"). RSASSA-PSS is not a pool outage; it is checked per
 * device.
 */
final class PoolOutageRule {
  private PoolOutageRule() {}

  static Optional<Finding> check(World.PoolView view, World world) {
    for (Map.Entry<Usage, List<Certificate>> e : view.completed.entrySet()) {
      Optional<Reissue> reissue = world.reissue(Reissue.poolChain(view.pool.fqdn(), e.getKey()));
      for (Certificate c : e.getValue()) {
        if (c.facts().selfSigned()) {
          // A root's self-signature is never verified; MD5 matters where a CA signs with it.
          continue;
        }
        SignatureAlgorithm alg =
            reissue.flatMap(Reissue::signedWith).orElse(c.facts().signatureAlgorithm());
        if (alg == SignatureAlgorithm.MD5_WITH_RSA) {
          Map<String, String> evidence = new LinkedHashMap<>();
          evidence.put("pool", view.pool.fqdn());
          evidence.put("endpoint", view.pool.fqdn() + " " + e.getKey());
          evidence.put("certificate", c.facts().subject().rfc4514());
          evidence.put("thumbprint", c.facts().sha1Thumbprint());
          evidence.put("signatureAlgorithm", alg.wireName());
          return Optional.of(
              new Finding(
                  Rule.SIGNATURE_ALGORITHM_UNSUPPORTED,
                  Verdict.BREAKS,
                  Stage.POOL,
                  "The "
                      + e.getKey()
                      + " chain of "
                      + view.pool.fqdn()
                      + " contains "
                      + c.facts().subject().rfc4514()
                      + ", signed with md5WithRSAEncryption: Lync/SfB services do not start, so"
                      + " every device dialling the pool fails.",
                  evidence,
                  "Reissue the CA certificate and the pool certificates with SHA256 (change the"
                      + " CA's signing hash, renew the root, reissue the Front End and OAuth"
                      + " certificates)."));
        }
      }
    }
    return Optional.empty();
  }
}
