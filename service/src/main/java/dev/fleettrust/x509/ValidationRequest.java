package dev.fleettrust.x509;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One question for {@link PathValidator}: would this client accept this chain for this host at this
 * time?
 *
 * @param presented what the server sends in its handshake, leaf first, intermediates in any order,
 *     with or without the root (contract.md, "Chains"); a self-signed certificate here is never
 *     trusted because it is here
 * @param heldIntermediates intermediates the client already holds (downloaded, cached)
 * @param anchors what the client trusts
 * @param hostName the name the client dials: a DNS name or an IP literal; empty skips the check
 * @param at the evaluation time
 * @param aiaFetchable intermediates the client could fetch through AIA caIssuers URLs; used only
 *     when {@link ClientProfile#fetchesAiaIntermediates()}
 * @param policy the certificate-policy inputs of RFC 5280 section 6.1.1
 * @param revocation whether revocation is checked, and with which CRLs
 */
public record ValidationRequest(
    List<Certificate> presented,
    List<Certificate> heldIntermediates,
    List<TrustAnchor> anchors,
    Optional<String> hostName,
    Instant at,
    ClientProfile profile,
    List<Certificate> aiaFetchable,
    PolicyInputs policy,
    RevocationInputs revocation) {

  public ValidationRequest {
    presented = List.copyOf(presented);
    if (presented.isEmpty()) {
      throw new IllegalArgumentException("a presented chain needs at least the leaf");
    }
    heldIntermediates = List.copyOf(heldIntermediates);
    anchors = List.copyOf(anchors);
    Objects.requireNonNull(hostName, "hostName");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(profile, "profile");
    aiaFetchable = List.copyOf(aiaFetchable);
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(revocation, "revocation");
  }

  /** A request with RFC 5280's default policy inputs and no revocation checking. */
  public ValidationRequest(
      List<Certificate> presented,
      List<Certificate> heldIntermediates,
      List<TrustAnchor> anchors,
      Optional<String> hostName,
      Instant at,
      ClientProfile profile,
      List<Certificate> aiaFetchable) {
    this(
        presented,
        heldIntermediates,
        anchors,
        hostName,
        at,
        profile,
        aiaFetchable,
        PolicyInputs.defaults(),
        RevocationInputs.none());
  }

  public ValidationRequest withPolicy(PolicyInputs newPolicy) {
    return new ValidationRequest(
        presented,
        heldIntermediates,
        anchors,
        hostName,
        at,
        profile,
        aiaFetchable,
        newPolicy,
        revocation);
  }

  public ValidationRequest withRevocation(RevocationInputs newRevocation) {
    return new ValidationRequest(
        presented,
        heldIntermediates,
        anchors,
        hostName,
        at,
        profile,
        aiaFetchable,
        policy,
        newRevocation);
  }

  /** A request without AIA-fetchable certificates. */
  public ValidationRequest(
      List<Certificate> presented,
      List<Certificate> heldIntermediates,
      List<TrustAnchor> anchors,
      Optional<String> hostName,
      Instant at,
      ClientProfile profile) {
    this(presented, heldIntermediates, anchors, hostName, at, profile, List.<Certificate>of());
  }

  /** The leaf: the first presented certificate. */
  public Certificate leaf() {
    return presented.get(0);
  }
}
