package dev.fleettrust.x509;

/** Host name verification per RFC 6125 (and RFC 2818 for IP addresses). */
public final class HostnameMatcher {
  private HostnameMatcher() {}

  /** How a certificate's names relate to a host name. */
  public enum Match {
    /** A SAN (or, with no SAN at all, the CN) names the host exactly. */
    EXACT,
    /** Only a wildcard SAN matches; clients without wildcard support refuse this. */
    WILDCARD_ONLY,
    /** Nothing matches. */
    NONE
  }

  /**
   * @param host a DNS name (any case, U-labels or A-labels, trailing dot allowed) or an IP literal
   */
  public static Match match(CertificateFacts certificate, String host) {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
