package dev.fleettrust.x509;

import java.net.IDN;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Host name verification per RFC 6125 section 6 (and RFC 2818 section 3.1 for IP addresses).
 *
 * <ul>
 *   <li>DNS names compare case-insensitively, with U-labels turned into A-labels and a trailing dot
 *       ignored;
 *   <li>a wildcard is honoured only as the whole left-most label ({@code *.example.net}) of a name
 *       with at least three labels, and matches exactly one label; {@code *}, {@code *.com}, {@code
 *       f*.example.net}, {@code foo.*.example.net} and {@code xn--*} never match (RFC 6125 6.4.3,
 *       CA/B Forum BR 3.2.2.6);
 *   <li>SAN entries that are not valid LDH host names (underscores, non-ASCII, empty labels) never
 *       match (RFC 5280 4.2.1.6);
 *   <li>an IP host matches IP SANs only, compared as bytes;
 *   <li>the subject CN is consulted only when asked to and the certificate has no DNS SAN.
 * </ul>
 */
public final class HostnameMatcher {
  private HostnameMatcher() {}

  /** How a certificate's names relate to a host name. */
  public enum Match {
    /** A SAN (or, with CN fallback and no DNS SAN, the CN) names the host exactly. */
    EXACT,
    /** Only a wildcard matches; clients without wildcard support refuse this. */
    WILDCARD_ONLY,
    /** Nothing matches. */
    NONE
  }

  /**
   * Matches without CN fallback, as the web PKI does (CA/B Forum BR 7.1.4.3; x509-limbo {@code
   * webpki::san::no-san}).
   *
   * @param host a DNS name (any case, U-labels or A-labels, trailing dot allowed) or an IP literal
   */
  public static Match match(CertificateFacts certificate, String host) {
    return match(certificate, host, false);
  }

  /**
   * @param commonNameFallback consult the most specific CN when the certificate has no DNS SAN, as
   *     older TLS stacks (and RFC 2818's deprecated rule) do
   */
  public static Match match(CertificateFacts certificate, String host, boolean commonNameFallback) {
    Optional<byte[]> ip = parseIp(host);
    if (ip.isPresent()) {
      for (SubjectAltName san : certificate.subjectAltNames()) {
        if (san.type() == GeneralNameType.IP) {
          Optional<byte[]> sanIp = parseIp(san.value());
          if (sanIp.isPresent() && Arrays.equals(sanIp.get(), ip.get())) {
            return Match.EXACT;
          }
        }
      }
      return Match.NONE;
    }
    Optional<String> reference = normaliseHost(host);
    if (reference.isEmpty()) {
      return Match.NONE;
    }
    boolean anyDns = false;
    boolean wildcard = false;
    for (SubjectAltName san : certificate.subjectAltNames()) {
      if (san.type() != GeneralNameType.DNS) {
        continue;
      }
      anyDns = true;
      Match m = matchPattern(san.value(), reference.get());
      if (m == Match.EXACT) {
        return Match.EXACT;
      }
      wildcard |= m == Match.WILDCARD_ONLY;
    }
    if (!anyDns && commonNameFallback && certificate.commonName().isPresent()) {
      Match m = matchPattern(certificate.commonName().get(), reference.get());
      if (m == Match.EXACT) {
        return Match.EXACT;
      }
      wildcard |= m == Match.WILDCARD_ONLY;
    }
    return wildcard ? Match.WILDCARD_ONLY : Match.NONE;
  }

  /** One presented identifier against a normalised reference name. */
  static Match matchPattern(String presented, String reference) {
    Optional<String> pattern = normalisePattern(presented);
    if (pattern.isEmpty()) {
      return Match.NONE;
    }
    String p = pattern.get();
    if (!p.startsWith("*.")) {
      return p.equals(reference) ? Match.EXACT : Match.NONE;
    }
    String suffix = p.substring(1); // ".example.net"
    if (!reference.endsWith(suffix)) {
      return Match.NONE;
    }
    String first = reference.substring(0, reference.length() - suffix.length());
    return !first.isEmpty() && first.indexOf('.') < 0 ? Match.WILDCARD_ONLY : Match.NONE;
  }

  /** The reference identifier: A-labels, lower case, no trailing dot; empty if not a host name. */
  static Optional<String> normaliseHost(String host) {
    String h = host.strip();
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.isEmpty() || h.length() > 253) {
      return Optional.empty();
    }
    try {
      h = IDN.toASCII(h, IDN.ALLOW_UNASSIGNED);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    h = h.toLowerCase(Locale.ROOT);
    for (String label : h.split("\\.", -1)) {
      if (!isLdhLabel(label)) {
        return Optional.empty();
      }
    }
    return Optional.of(h);
  }

  /**
   * A DNS SAN (or CN) as a pattern: ASCII LDH labels, optionally a whole-label {@code *} on the
   * left with at least two labels after it; empty when it can never match.
   */
  static Optional<String> normalisePattern(String presented) {
    String p = presented;
    if (p.endsWith(".")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.isEmpty() || p.length() > 253) {
      return Optional.empty();
    }
    for (int i = 0; i < p.length(); i++) {
      if (p.charAt(i) > 0x7e) {
        return Optional.empty();
      }
    }
    p = p.toLowerCase(Locale.ROOT);
    String[] labels = p.split("\\.", -1);
    for (int i = 0; i < labels.length; i++) {
      if (i == 0 && labels[0].equals("*")) {
        continue;
      }
      if (!isLdhLabel(labels[i])) {
        return Optional.empty();
      }
    }
    if (labels[0].equals("*") && labels.length < 3) {
      return Optional.empty();
    }
    return Optional.of(p);
  }

  static boolean isLdhLabel(String label) {
    if (label.isEmpty() || label.length() > 63) {
      return false;
    }
    if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
      return false;
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Strict IP literal parsing (no DNS look-up): dotted-quad IPv4 or RFC 4291 IPv6. */
  static Optional<byte[]> parseIp(String text) {
    String t = text.strip();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    if (t.indexOf(':') >= 0) {
      return parseIpv6(t);
    }
    return parseIpv4(t);
  }

  static Optional<byte[]> parseIpv4(String t) {
    String[] parts = t.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.length() > 3 || part.length() > 1 && part.charAt(0) == '0') {
        return Optional.empty();
      }
      int v = 0;
      for (char c : part.toCharArray()) {
        if (c < '0' || c > '9') {
          return Optional.empty();
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        return Optional.empty();
      }
      out[i] = (byte) v;
    }
    return Optional.of(out);
  }

  static Optional<byte[]> parseIpv6(String t) {
    int zone = t.indexOf('%');
    if (zone >= 0) {
      return Optional.empty();
    }
    int dbl = t.indexOf("::");
    if (dbl >= 0 && t.indexOf("::", dbl + 1) >= 0) {
      return Optional.empty();
    }
    String head = dbl >= 0 ? t.substring(0, dbl) : t;
    String tail = dbl >= 0 ? t.substring(dbl + 2) : "";
    int[] h = groups(head);
    int[] tl = groups(tail);
    if (h == null || tl == null) {
      return Optional.empty();
    }
    int total = h.length + tl.length;
    if (dbl < 0 ? total != 8 : total > 7) {
      return Optional.empty();
    }
    byte[] out = new byte[16];
    for (int i = 0; i < h.length; i++) {
      out[2 * i] = (byte) (h[i] >> 8);
      out[2 * i + 1] = (byte) h[i];
    }
    int offset = 8 - tl.length;
    for (int i = 0; i < tl.length; i++) {
      out[2 * (offset + i)] = (byte) (tl[i] >> 8);
      out[2 * (offset + i) + 1] = (byte) tl[i];
    }
    return Optional.of(out);
  }

  /** Hex groups separated by ':' (an embedded IPv4 tail counts as two groups). */
  private static int[] groups(String s) {
    if (s.isEmpty()) {
      return new int[0];
    }
    String[] parts = s.split(":", -1);
    int extra = parts[parts.length - 1].indexOf('.') >= 0 ? 1 : 0;
    int[] out = new int[parts.length + extra];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (i == parts.length - 1 && extra == 1) {
        Optional<byte[]> v4 = parseIpv4(p);
        if (v4.isEmpty()) {
          return null;
        }
        byte[] b = v4.get();
        out[i] = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        out[i + 1] = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        continue;
      }
      if (p.isEmpty() || p.length() > 4) {
        return null;
      }
      int v = 0;
      for (char c : p.toCharArray()) {
        int d = Character.digit(c, 16);
        if (d < 0) {
          return null;
        }
        v = v * 16 + d;
      }
      out[i] = v;
    }
    return out;
  }
}
