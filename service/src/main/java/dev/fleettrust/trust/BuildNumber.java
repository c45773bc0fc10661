package dev.fleettrust.trust;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A firmware build number such as {@code 4.0.7577.4100}, {@code 5.4.0A} or {@code X.8.1.52}. Builds
 * compare numerically part by part (trust-rules.md, "firmware build"): {@code 4.0.7577.107} is
 * older than {@code 4.0.7577.4100}. A part is a number with an optional letter suffix ({@code 0A}
 * sorts after {@code 0}); {@code X} or {@code *} is a wildcard part, the way vendors write a
 * model-specific prefix (Yealink's {@code X.8.1.52}). A build is only meaningful within its family:
 * {@code 4.0.7577.x} numbers also belong to the desktop Lync 2010 client.
 *
 * @param text the build as written (trimmed)
 */
public record BuildNumber(String text, List<Part> parts) implements Comparable<BuildNumber> {

  public BuildNumber {
    Objects.requireNonNull(text, "text");
    parts = List.copyOf(parts);
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("a build number needs at least one part");
    }
  }

  /**
   * One dot-separated part: a number with a suffix, a word, or a wildcard.
   *
   * @param number the leading digits, or -1 when the part has none
   * @param suffix what follows the digits, upper-cased (empty for a plain number)
   */
  public record Part(BigInteger number, String suffix, boolean wildcard)
      implements Comparable<Part> {
    static final BigInteger NONE = BigInteger.ONE.negate();

    @Override
    public int compareTo(Part o) {
      if (wildcard || o.wildcard) {
        return 0;
      }
      int byNumber = number.compareTo(o.number);
      return byNumber != 0 ? byNumber : suffix.compareTo(o.suffix);
    }

    @Override
    public String toString() {
      return wildcard ? "X" : (number.signum() < 0 ? "" : number.toString()) + suffix;
    }
  }

  /**
   * Parses a build as devices and release notes write it. A product prefix such as {@code UC_} in
   * {@code UC_3.0.0.459.1} or {@code UCS } in {@code UCS 5.4.0A} is dropped.
   *
   * @throws IllegalArgumentException for blank text or text with no digit and no wildcard
   */
  public static BuildNumber parse(String text) {
    String trimmed = Objects.requireNonNull(text, "text").strip();
    String body = trimmed.replaceFirst("^[A-Za-z]+[_\\s-]*(?=\\d)", "");
    List<Part> parts = new ArrayList<>();
    boolean meaningful = false;
    for (String token : body.split("[.\\-_ ]+")) {
      if (token.isEmpty()) {
        continue;
      }
      if (token.equals("X") || token.equals("x") || token.equals("*")) {
        parts.add(new Part(Part.NONE, "", true));
        meaningful = true;
        continue;
      }
      int digits = 0;
      while (digits < token.length() && Character.isDigit(token.charAt(digits))) {
        digits++;
      }
      BigInteger number = digits == 0 ? Part.NONE : new BigInteger(token.substring(0, digits));
      meaningful |= digits > 0;
      parts.add(new Part(number, token.substring(digits).toUpperCase(Locale.ROOT), false));
    }
    if (!meaningful) {
      throw new IllegalArgumentException("not a build number: '" + trimmed + "'");
    }
    return new BuildNumber(trimmed, parts);
  }

  /** Part-by-part order; when one is a prefix of the other, the shorter is older. */
  @Override
  public int compareTo(BuildNumber o) {
    int n = Math.min(parts.size(), o.parts.size());
    for (int i = 0; i < n; i++) {
      int c = parts.get(i).compareTo(o.parts.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(parts.size(), o.parts.size());
  }

  /**
   * Same parts (wildcards match any part), e.g. {@code 4.0.7577.04100} and {@code 4.0.7577.4100}.
   */
  public boolean sameAs(BuildNumber o) {
    return parts.size() == o.parts.size() && covers(o);
  }

  /**
   * This catalogue entry names {@code device}'s build or a series it belongs to: every part of this
   * entry equals the device's part at the same place ({@code 5.9} covers {@code 5.9.0.9373}; {@code
   * X.8.1.52} covers {@code 66.8.1.52}).
   */
  public boolean covers(BuildNumber device) {
    if (parts.size() > device.parts.size()) {
      return false;
    }
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).compareTo(device.parts.get(i)) != 0) {
        return false;
      }
    }
    return true;
  }

  /** The normalised spelling used as a key: parts joined by dots, wildcards as {@code X}. */
  public String key() {
    StringBuilder sb = new StringBuilder();
    for (Part p : parts) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(p);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BuildNumber b && key().equals(b.key());
  }

  @Override
  public int hashCode() {
    return key().hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
