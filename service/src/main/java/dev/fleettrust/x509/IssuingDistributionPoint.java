package dev.fleettrust.x509;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A CRL's issuingDistributionPoint extension (RFC 5280 section 5.2.5): which certificates and
 * reasons the CRL covers.
 *
 * @param names the distribution point's names as people read them ({@code URI:http://...}, {@code
 *     DN:CN=...}); a nameRelativeToIssuer is given as the full name it forms with the CRL issuer
 * @param onlySomeReasons empty when the CRL covers every reason
 */
public record IssuingDistributionPoint(
    List<String> names,
    boolean onlyContainsUserCerts,
    boolean onlyContainsCaCerts,
    Optional<Set<RevocationReason>> onlySomeReasons,
    boolean indirectCrl,
    boolean onlyContainsAttributeCerts) {
  public IssuingDistributionPoint {
    names = List.copyOf(names);
    onlySomeReasons = Objects.requireNonNull(onlySomeReasons, "onlySomeReasons").map(Set::copyOf);
  }
}
