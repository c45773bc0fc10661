package dev.fleettrust.inventory;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A device's identity: its MAC address in lower case with colons ({@code 00:04:f2:aa:bb:cc}), as
 * contract.md ("Events") fixes it. {@link #parse} accepts the spellings registrars, switches and
 * management tools print.
 */
public record DeviceId(String value) implements Comparable<DeviceId> {
  private static final Pattern NORMALISED = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
  private static final String HEX = "[0-9A-Fa-f]";

  /** Six octets of one or two digits with one separator: colons, hyphens or spaces. */
  private static final Pattern OCTETS =
      Pattern.compile(
          "("
              + HEX
              + "{1,2})([:\\- ])("
              + HEX
              + "{1,2})\\2("
              + HEX
              + "{1,2})\\2("
              + HEX
              + "{1,2})\\2("
              + HEX
              + "{1,2})\\2("
              + HEX
              + "{1,2})");

  /** Cisco's three dotted groups, twelve bare digits, or two halves of six (HP, some CSVs). */
  private static final Pattern GROUPED =
      Pattern.compile(
          "("
              + HEX
              + "{4})\\.("
              + HEX
              + "{4})\\.("
              + HEX
              + "{4})|("
              + HEX
              + "{12})|("
              + HEX
              + "{6})-("
              + HEX
              + "{6})");

  public DeviceId {
    Objects.requireNonNull(value, "value");
    if (!NORMALISED.matcher(value).matches()) {
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
    Matcher octets = OCTETS.matcher(text);
    if (octets.matches()) {
      StringBuilder hex = new StringBuilder(12);
      for (int group : new int[] {1, 3, 4, 5, 6, 7}) {
        String octet = octets.group(group);
        hex.append(octet.length() == 1 ? "0" + octet : octet);
      }
      return Optional.of(fromHex(hex.toString()));
    }
    Matcher grouped = GROUPED.matcher(text);
    if (grouped.matches()) {
      return Optional.of(fromHex(text.replace(".", "").replace("-", "")));
    }
    return Optional.empty();
  }

  private static DeviceId fromHex(String twelveHexDigits) {
    String hex = twelveHexDigits.toLowerCase(Locale.ROOT);
    StringBuilder value = new StringBuilder(17);
    for (int i = 0; i < 12; i += 2) {
      if (i > 0) {
        value.append(':');
      }
      value.append(hex, i, i + 2);
    }
    return new DeviceId(value.toString());
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
