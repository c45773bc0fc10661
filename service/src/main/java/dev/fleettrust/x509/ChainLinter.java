package dev.fleettrust.x509;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Pre-flight lints of a planned chain (issue 3, item 7), run before any device is considered. Each
 * lint gives a finding with one of the {@code LINT_} rule IDs of contract.md:
 *
 * <ul>
 *   <li>LINT_MD5_SIGNATURE (error): Lync/SfB services do not start with MD5 anywhere in the chain
 *       (trust-rules.md, seed 002);
 *   <li>LINT_RSASSA_PSS (warning): PSS, set by a CA's AlternateSignatureAlgorithm=1, is not
 *       supported by Lync/SfB or LPE; a per-device check decides who breaks (contract.md);
 *   <li>LINT_WILDCARD_CN (error): a wildcard is never the CN of a Lync/SfB certificate;
 *   <li>LINT_NO_SERVER_AUTH_EKU (error) and LINT_NO_CRL_DISTRIBUTION_POINT (error): both are
 *       required of Lync/SfB server certificates;
 *   <li>LINT_WEAK_RSA_KEY (warning): RSA under 2048 bits;
 *   <li>LINT_NO_SELF_SIGNED_ROOT (warning): the chain stops below a root, so every device must
 *       already hold the top certificate's issuer;
 *   <li>LINT_EXPIRES_SOON: a certificate expires within 30 days of the planned date (warning), or
 *       is already expired or not yet valid then (error);
 *   <li>LINT_NOT_ONE_CHAIN (error): two leaves, a gap or a loop.
 * </ul>
 */
public final class ChainLinter {
  static final Duration EXPIRY_WINDOW = Duration.ofDays(30);
  static final int MIN_RSA_BITS = 2048;

  private ChainLinter() {}

  /**
   * Revocation of a planned chain against the CRLs its CAs currently publish (RFC 5280 6.3, as
   * {@link RevocationInputs}): CERTIFICATE_REVOKED when a CRL lists one of its certificates,
   * REVOCATION_STALE when the CRL that covers one is past its nextUpdate at {@code plannedAt} (a
   * device that checks revocation then refuses the chain), REVOCATION_STATUS_UNKNOWN when no CRL
   * given decides. The top certificate of the chain is taken as the anchor: its own status needs
   * its issuer's CRL, which a chain that ends there cannot show. A chain that is not one chain
   * gives no revocation findings ({@link #lint} already reports it).
   */
  public static List<Finding> revocation(
      List<Certificate> chain, Instant plannedAt, List<Crl> crls) {
    if (!(BundleOrderer.order(chain) instanceof BundleOrder.Ordered o) || o.chain().size() < 2) {
      return List.of();
    }
    List<Certificate> ordered = o.chain();
    Certificate top = ordered.get(ordered.size() - 1);
    PathContext path =
        new PathContext(
            ordered.subList(0, ordered.size() - 1),
            java.util.Optional.of(new TrustAnchor.OfCertificate(top)),
            java.util.Optional.of(top),
            ClientProfile.rfc5280(),
            plannedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
            java.util.Optional.empty(),
            PolicyInputs.defaults(),
            RevocationInputs.checkWith(crls),
            List.of());
    List<Finding> out = new ArrayList<>();
    new RevocationRule().check(path, out);
    return out;
  }

  /**
   * @param chain the planned chain as the server will send it, leaf first
   * @param plannedAt when the chain goes live (for LINT_EXPIRES_SOON)
   */
  public static List<Finding> lint(List<Certificate> chain, Instant plannedAt) {
    List<Finding> out = new ArrayList<>();
    if (chain.isEmpty()) {
      out.add(
          Finding.error(
              RuleId.LINT_NOT_ONE_CHAIN,
              "The planned chain holds no certificate.",
              java.util.Map.of()));
      return out;
    }
    List<Certificate> ordered = chain;
    BundleOrder order = BundleOrderer.order(chain);
    if (order instanceof BundleOrder.Ordered o) {
      ordered = o.chain();
    } else if (order instanceof BundleOrder.NotOneChain n) {
      out.add(
          Finding.error(
              RuleId.LINT_NOT_ONE_CHAIN,
              n.message(),
              Evidence.empty()
                  .put("problem", n.problem().name())
                  .put(
                      "certificates",
                      String.join("; ", n.involved().stream().map(Certificate::toString).toList()))
                  .map()));
    }
    Certificate leaf = ordered.get(0);
    CertificateFacts lf = leaf.facts();

    for (Certificate c : ordered) {
      CertificateFacts f = c.facts();
      if (f.signatureAlgorithm() == SignatureAlgorithm.MD5_WITH_RSA) {
        out.add(
            Finding.error(
                RuleId.LINT_MD5_SIGNATURE,
                "The certificate "
                    + f.subject().rfc4514()
                    + " is signed with MD5; Lync/Skype for Business services will not start with it.",
                Evidence.of(c).put("signatureAlgorithm", f.signatureAlgorithm().wireName()).map()));
      }
      if (f.signatureAlgorithm() == SignatureAlgorithm.RSASSA_PSS) {
        out.add(
            Finding.warning(
                RuleId.LINT_RSASSA_PSS,
                "The certificate "
                    + f.subject().rfc4514()
                    + " is signed with RSASSA-PSS"
                    + f.pssHash().map(h -> " (" + h + ")").orElse("")
                    + " (CA setting AlternateSignatureAlgorithm=1), which Lync/Skype for Business and"
                    + " Lync Phone Edition do not support.",
                Evidence.of(c).put("signatureAlgorithm", f.signatureAlgorithm().wireName()).map()));
      }
      if (f.key().type() == KeyType.RSA && f.key().bits() < MIN_RSA_BITS) {
        out.add(
            Finding.warning(
                RuleId.LINT_WEAK_RSA_KEY,
                "The certificate "
                    + f.subject().rfc4514()
                    + " has a "
                    + f.key().bits()
                    + "-bit RSA key; use at least 2048 bits.",
                Evidence.of(c).put("key", f.key().describe()).map()));
      }
      if (plannedAt.isAfter(f.notAfter()) || plannedAt.isBefore(f.notBefore())) {
        out.add(
            Finding.error(
                RuleId.LINT_EXPIRES_SOON,
                "The certificate "
                    + f.subject().rfc4514()
                    + " is not valid on the planned date "
                    + plannedAt
                    + " (valid "
                    + f.notBefore()
                    + " to "
                    + f.notAfter()
                    + ").",
                Evidence.of(c).put("notAfter", f.notAfter().toString()).map()));
      } else if (!plannedAt.plus(EXPIRY_WINDOW).isBefore(f.notAfter())) {
        out.add(
            Finding.warning(
                RuleId.LINT_EXPIRES_SOON,
                "The certificate "
                    + f.subject().rfc4514()
                    + " expires on "
                    + f.notAfter()
                    + ", within 30 days of the planned date.",
                Evidence.of(c).put("notAfter", f.notAfter().toString()).map()));
      }
    }

    if (lf.commonName().map(cn -> cn.contains("*")).orElse(false)) {
      out.add(
          Finding.error(
              RuleId.LINT_WILDCARD_CN,
              "The server certificate's common name is the wildcard "
                  + lf.commonName().get()
                  + "; Lync/Skype for Business needs the pool FQDN as CN and wildcards only as SANs.",
              Evidence.of(leaf).map()));
    }
    if (!lf.assertsServerAuth()) {
      out.add(
          Finding.error(
              RuleId.LINT_NO_SERVER_AUTH_EKU,
              "The server certificate lacks the Server Authentication extended key usage, which"
                  + " Lync/Skype for Business requires.",
              Evidence.of(leaf)
                  .put(
                      "extendedKeyUsage",
                      lf.extendedKeyUsage().map(List::toString).orElse("absent"))
                  .map()));
    }
    if (lf.crlDistributionPointUrls().isEmpty()) {
      out.add(
          Finding.error(
              RuleId.LINT_NO_CRL_DISTRIBUTION_POINT,
              "The server certificate has no CRL distribution point, which Lync/Skype for Business"
                  + " requires.",
              Evidence.of(leaf).map()));
    }
    Certificate top = ordered.get(ordered.size() - 1);
    if (!top.facts().selfSigned()) {
      out.add(
          Finding.warning(
              RuleId.LINT_NO_SELF_SIGNED_ROOT,
              "The chain ends at "
                  + top.facts().subject().rfc4514()
                  + ", not at a self-signed root; every device must already trust its issuer "
                  + top.facts().issuer().rfc4514()
                  + ".",
              Evidence.of(top).put("issuer", top.facts().issuer().rfc4514()).map()));
    }
    return out;
  }
}
