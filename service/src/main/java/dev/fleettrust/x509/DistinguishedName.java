package dev.fleettrust.x509;

import java.util.Objects;

/**
 * A subject or issuer name.
 *
 * @param rfc4514 the name as people read it, RFC 4514 order (most specific RDN first), e.g. {@code
 *     CN=sip.example.net,O=Example,C=US}
 * @param canonical the form used for matching (RFC 5280 section 7.1: case-folded, whitespace
 *     collapsed, multi-valued RDNs sorted, attribute types as OIDs); compare names with this only
 */
public record DistinguishedName(String rfc4514, String canonical) {
  public DistinguishedName {
    Objects.requireNonNull(rfc4514, "rfc4514");
    Objects.requireNonNull(canonical, "canonical");
  }

  /** An empty name (no RDNs), as some end-entity certificates with only SANs carry. */
  public boolean isEmpty() {
    return canonical.isEmpty();
  }

  /**
   * Parses an RFC 4514 name as firmware root lists and administrators write it (most specific RDN
   * first, e.g. {@code CN=Baltimore CyberTrust Root,OU=CyberTrust,O=Baltimore,C=IE}), giving the
   * same canonical form as the certificate with that subject.
   *
   * @throws IllegalArgumentException when the text is not a distinguished name
   */
  public static DistinguishedName fromRfc4514(String rfc4514) {
    try {
      return Names.of(Names.parseRfc4514(rfc4514));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not an RFC 4514 distinguished name: " + rfc4514, e);
    }
  }

  @Override
  public String toString() {
    return rfc4514;
  }
}
