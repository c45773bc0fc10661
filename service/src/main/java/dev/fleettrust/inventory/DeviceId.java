package dev.fleettrust.inventory;

import java.util.Objects;
import java.util.Optional;

/**
 * A device's identity: its MAC address in lower case with colons ({@code 00:04:f2:aa:bb:cc}), as
 * contract.md ("Events") fixes it. {@link #parse} accepts the spellings registrars, switches and
 * management tools print.
 *
 * <p>Parsing and the invariant check are hand-written scans rather than regular expressions: they
 * run for every ingested event (twice, with the constructor), and a {@code Matcher} per call was a
 * measurable share of the consumer's CPU. DeviceIdParsingTest holds the former expressions as the
 * specification and checks the scans against them.
 */
public record DeviceId(String value) implements Comparable<DeviceId> {
  private static final int NORMALISED_LENGTH = 17;

  public DeviceId {
    Objects.requireNonNull(value, "value");
    if (!isNormalised(value)) {
      throw new IllegalArgumentException("Not a normalised MAC address: " + value);
    }
  }

  /**
   * Normalises {@code 00:04:F2:AA:BB:CC}, {@code 00-04-f2-aa-bb-cc}, {@code 0004.f2aa.bbcc}, {@code
   * 0004f2aabbcc}, {@code 0004f2-aabbcc}, {@code 00 04 f2 aa bb cc} and single-digit octets such as
   * {@code 0:4:f2:aa:bb:cc}; anything else is not a device ID.
   */
  public static Optional<DeviceId> parse(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String text = raw.strip();
    if (isNormalised(text)) {
      return Optional.of(new DeviceId(text));
    }
    String value = octets(text);
    if (value == null) {
      value = grouped(text);
    }
    return value == null ? Optional.empty() : Optional.of(new DeviceId(value));
  }

  /**
   * Six octets of one or two hex digits with one separator, the same throughout: colons, hyphens or
   * spaces. A greedy scan is exact here: a separator is never a hex digit, so no octet can end
   * earlier than its digits do.
   */
  private static String octets(String text) {
    int length = text.length();
    char[] value = new char[NORMALISED_LENGTH];
    char separator = 0;
    int at = 0;
    for (int octet = 0; octet < 6; octet++) {
      if (octet > 0) {
        if (at == length) {
          return null;
        }
        char c = text.charAt(at++);
        if (octet == 1) {
          if (c != ':' && c != '-' && c != ' ') {
            return null;
          }
          separator = c;
        } else if (c != separator) {
          return null;
        }
        value[octet * 3 - 1] = ':';
      }
      int start = at;
      while (at < length && at - start < 2 && isHex(text.charAt(at))) {
        at++;
      }
      if (at == start) {
        return null;
      }
      value[octet * 3] = at - start == 1 ? '0' : lower(text.charAt(start));
      value[octet * 3 + 1] = lower(text.charAt(at - 1));
    }
    return at == length ? new String(value) : null;
  }

  /** Cisco's three dotted groups, twelve bare digits, or two halves of six (HP, some CSVs). */
  private static String grouped(String text) {
    int length = text.length();
    boolean separatorsFit =
        switch (length) {
          case 12 -> true;
          case 13 -> text.charAt(6) == '-';
          case 14 -> text.charAt(4) == '.' && text.charAt(9) == '.';
          default -> false;
        };
    if (!separatorsFit) {
      return null;
    }
    char[] value = new char[NORMALISED_LENGTH];
    int digits = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      boolean separator = (length == 13 && i == 6) || (length == 14 && (i == 4 || i == 9));
      if (separator) {
        continue;
      }
      if (!isHex(c)) {
        return null;
      }
      int at = digits / 2 * 3 + digits % 2;
      if (digits > 0 && digits % 2 == 0) {
        value[at - 1] = ':';
      }
      value[at] = lower(c);
      digits++;
    }
    return new String(value);
  }

  /** {@code [0-9a-f]{2}(:[0-9a-f]{2}){5}}. */
  private static boolean isNormalised(String value) {
    if (value.length() != NORMALISED_LENGTH) {
      return false;
    }
    for (int i = 0; i < NORMALISED_LENGTH; i++) {
      char c = value.charAt(i);
      boolean fits = i % 3 == 2 ? c == ':' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      if (!fits) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static char lower(char hexDigit) {
    return hexDigit >= 'A' && hexDigit <= 'F' ? (char) (hexDigit + ('a' - 'A')) : hexDigit;
  }

  // Written out because device IDs are hash keys on every batch: the String's own cached hash and
  // equals, without the record's generated, reflective-bootstrap versions in between.
  @Override
  public boolean equals(Object other) {
    return other instanceof DeviceId id && value.equals(id.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public int compareTo(DeviceId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
