package dev.fleettrust.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DeviceId} scans MAC spellings by hand; the regular expressions it used before are kept
 * here as the specification of what it accepts, and the scans are checked against them.
 */
class DeviceIdParsingTest {
  private static final String HEX = "[0-9A-Fa-f]";
  private static final Pattern NORMALISED = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
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

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "00:04:F2:AA:BB:CC|00:04:f2:aa:bb:cc",
        "00-04-f2-aa-bb-cc|00:04:f2:aa:bb:cc",
        "00 04 F2 aA Bb cc|00:04:f2:aa:bb:cc",
        "0:4:f:a:b:c|00:04:0f:0a:0b:0c",
        "A-B-C-D-E-F|0a:0b:0c:0d:0e:0f",
        "0004.F2AA.BBCC|00:04:f2:aa:bb:cc",
        "FFFFFFFFFFFF|ff:ff:ff:ff:ff:ff",
        "0004F2-AABBCC|00:04:f2:aa:bb:cc",
        "'\t00:04:f2:aa:bb:cc\u2003'|00:04:f2:aa:bb:cc"
      })
  void normalisesUpperCaseMixedSeparatorsAndShortOctets(String spelling, String normalised) {
    assertThat(DeviceId.parse(spelling)).map(DeviceId::value).contains(normalised);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "00:04:f2:aa:bb:cc:",
        ":00:04:f2:aa:bb:cc",
        "00::04:f2:aa:bb:cc",
        "00:04:f2:aa:bb:cc:dd",
        "00-04-f2-aa-bb:cc",
        "00.04.f2.aa.bb.cc",
        "00\u000004\u0000f2\u0000aa\u0000bb\u0000cc",
        "00_04_f2_aa_bb_cc",
        "\uff10\uff10:04:f2:aa:bb:cc",
        "0004:f2aa:bbcc",
        "0004.f2aa-bbcc",
        "0004f2aabbc-",
        "0004f2 aabbcc",
        "00:04:f2:aa:bb:c g",
        "00:04:f2:aa:bb:"
      })
  void refusesSeparatorsAndDigitsNoToolPrints(String text) {
    assertThat(DeviceId.parse(text)).isEmpty();
  }

  @Test
  void acceptsExactlyWhatTheFormerExpressionsAcceptedOnRandomSpellings() {
    SplittableRandom random = new SplittableRandom(20261122);
    String alphabet = "0123456789abcdefABCDEFgG:-. \t\u0000\uff10";
    for (int i = 0; i < 200_000; i++) {
      String text =
          i % 2 == 0 ? randomText(random, alphabet) : nearMac(random, "0123456789abcdefABCDEF");
      assertThat(DeviceId.parse(text)).as("parse(\"%s\")", text).isEqualTo(specified(text));
    }
  }

  @Test
  void keepsTheNormalisedFormAsTheRecordsInvariant() {
    assertThat(new DeviceId("00:04:f2:aa:bb:cc").value()).isEqualTo("00:04:f2:aa:bb:cc");
    for (String invalid :
        new String[] {
          "00:04:F2:aa:bb:cc", "00-04-f2-aa-bb-cc", "00:04:f2:aa:bb:c", " 00:04:f2:aa"
        }) {
      assertThatThrownBy(() -> new DeviceId(invalid))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Not a normalised MAC address: " + invalid);
      assertThat(NORMALISED.matcher(invalid).matches()).isFalse();
    }
  }

  @Test
  void equalsAndHashesByTheNormalisedValue() {
    DeviceId a = DeviceId.parse("00-04-F2-AA-BB-CC").orElseThrow();
    DeviceId b = new DeviceId("00:04:f2:aa:bb:cc");

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo("00:04:f2:aa:bb:cc");
    assertThat(a.hashCode()).isEqualTo("00:04:f2:aa:bb:cc".hashCode());
    assertThat(a).isNotEqualTo(new DeviceId("00:04:f2:aa:bb:cd"));
  }

  /** The former implementation, word for word in its logic. */
  private static Optional<DeviceId> specified(String raw) {
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

  private static String randomText(SplittableRandom random, String alphabet) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(20);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  /** Six groups of 0 to 3 digits, mostly with one separator, sometimes another or none. */
  private static String nearMac(SplittableRandom random, String digits) {
    String separators = ":- .";
    char separator = separators.charAt(random.nextInt(separators.length()));
    int groups = random.nextInt(4) == 0 ? 1 + random.nextInt(7) : 6;
    StringBuilder text = new StringBuilder();
    for (int group = 0; group < groups; group++) {
      if (group > 0 && random.nextInt(12) != 0) {
        text.append(
            random.nextInt(10) == 0
                ? separators.charAt(random.nextInt(separators.length()))
                : separator);
      }
      int count = random.nextInt(8) == 0 ? random.nextInt(7) : 1 + random.nextInt(2);
      for (int i = 0; i < count; i++) {
        text.append(digits.charAt(random.nextInt(digits.length())));
      }
    }
    return random.nextInt(10) == 0 ? " " + text + "\n" : text.toString();
  }
}
