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
 */
public record ValidationRequest(
    List<Certificate> presented,
    List<Certificate> heldIntermediates,
    List<TrustAnchor> anchors,
    Optional<String> hostName,
    Instant at,
    ClientProfile profile,
    List<Certificate> aiaFetchable) {

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
  }

  /** A request without AIA-fetchable certificates. */
  public ValidationRequest(
      List<Certificate> presented,
      List<Certificate> heldIntermediates,
      List<TrustAnchor> anchors,
      Optional<String> hostName,
      Instant at,
      ClientProfile profile) {
    this(presented, heldIntermediates, anchors, hostName, at, profile, List.of());
  }

  /** The leaf: the first presented certificate. */
  public Certificate leaf() {
    return presented.get(0);
  }
}
