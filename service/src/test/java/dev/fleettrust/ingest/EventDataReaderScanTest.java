package dev.fleettrust.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.inventory.DeviceEvent;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Host names and firmware builds are checked by hand-written scans; the regular expressions they
 * replace are kept here as the specification, and so are the User-Agent formats' prefixes that now
 * decide whether an expression runs at all.
 */
class EventDataReaderScanTest {
  private static final Pattern HOST_LABEL =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern FIRMWARE_BUILD = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._-]{0,63}");

  private final JsonMapper mapper = JsonMapper.createDefault();
  private final CloudEventDecoder decoder = DecoderTesting.decoder(mapper);

  @ParameterizedTest
  @CsvSource({
    "pool01.custdom.com, pool01.custdom.com",
    "POOL01.CustDom.COM., pool01.custdom.com",
    "' sip.custdom.com ', sip.custdom.com",
    "a, a",
    "xn--bcher-kva.example, xn--bcher-kva.example",
    "1-2.3, 1-2.3"
  })
  void lowerCasesAHostNameAndDropsItsTrailingDot(String pool, String stored) throws IOException {
    assertThat(pool(pool)).contains(stored);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        ".",
        "a..b",
        ".a",
        "a..",
        "-a.com",
        "a-.com",
        "under_score.com",
        "b\u00fccher.example",
        "a b.com",
        "x.a" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      })
  void refusesWhatIsNotAHostNameNamingTheValue(String pool) throws IOException {
    DecodedEvent decoded = decoder.decodeKafka(registered(pool, "4.0.7577.4420"), Map.of());

    assertThat(decoded)
        .isInstanceOfSatisfying(
            DecodedEvent.Refused.class,
            refused -> {
              assertThat(refused.field()).contains("$.data.pool");
              assertThat(refused.message())
                  .isEqualTo("data.pool must be a host name; got " + pool.strip());
            });
  }

  @Test
  void acceptsExactlyTheHostNamesTheFormerExpressionAccepted() throws IOException {
    SplittableRandom random = new SplittableRandom(1123);
    String alphabet = "aZ09-._ \u00fc";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder("x");
      int length = random.nextInt(70);
      for (int j = 0; j < length; j++) {
        text.append(
            random.nextInt(4) == 0 ? 'a' : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String pool = text.toString();
      assertThat(pool(pool)).as(pool).isEqualTo(specifiedHost(pool));
    }
  }

  @Test
  void acceptsExactlyTheBuildsTheFormerExpressionAccepted() throws IOException {
    SplittableRandom random = new SplittableRandom(7577);
    String alphabet = "09aZ._-/ \u00e9";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(68);
      for (int j = 0; j < length; j++) {
        text.append(
            random.nextInt(3) == 0 ? '4' : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String build = text.toString();
      DecodedEvent decoded = decoder.decodeKafka(registered("p.custdom.com", build), Map.of());
      if (FIRMWARE_BUILD.matcher(build).matches()) {
        assertThat(decoded).as(build).isInstanceOf(DecodedEvent.Valid.class);
        assertThat(((DeviceEvent.Registered) ((DecodedEvent.Valid) decoded).event()).firmware())
            .contains(build);
      } else {
        assertThat(decoded)
            .as(build)
            .isInstanceOfSatisfying(
                DecodedEvent.Refused.class,
                refused ->
                    assertThat(refused.message())
                        .isEqualTo(
                            "data.firmware must be a firmware build such as 4.0.7577.4420,"
                                + " or null"));
      }
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'  Yealink SIP-T48S 66.85.0.5 '|Yealink|SIP-T48S|66.85.0.5",
        "X-Lite PolycomVVX-VVX_450-UA/6.4.3.5032|Polycom|VVX 450|6.4.3.5032",
        "'\tCPE/4.0.7577.4420 OCPhone/4.0.7577.4420 (Microsoft Lync 2010 (Beta) Phone Edition)'"
            + "|Microsoft||4.0.7577.4420",
        "AUDC-IPPhone/3.0.0.459.1 (450HD-Rev0; 00908F9C2D41)|AudioCodes|450HD|3.0.0.459.1"
      })
  void findsEachKnownFormatWhereverItsExpressionDid(
      String raw, String vendor, String model, String build) {
    UserAgent agent = UserAgentParser.parse(raw);

    assertThat(agent.raw()).isEqualTo(raw);
    assertThat(agent.vendor()).contains(vendor);
    assertThat(agent.model()).isEqualTo(Optional.ofNullable(model));
    assertThat(agent.firmware()).contains(build);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "yealink SIP-T48S 66.85.0.5",
        "XPolycomVVX-VVX_450-UA/6.4.3.5032",
        "polycomVVX-VVX_450-UA/6.4.3.5032",
        "Lync CPE/4.0.7577.4420 OCPhone/4.0.7577.4420 (Microsoft Lync 2010 Phone Edition)",
        "audc-IPPhone/3.0.0.459.1 (450HD)",
        "SIP AUDC-IPPhone/3.0.0.459.1 (450HD)"
      })
  void leavesLookAlikesUnknown(String raw) {
    UserAgent agent = UserAgentParser.parse(raw);

    assertThat(agent.vendor()).isEmpty();
    assertThat(agent.model()).isEmpty();
    assertThat(agent.firmware()).isEmpty();
  }

  /** The stored pool, or empty when the event is refused for its pool. */
  private Optional<String> pool(String pool) throws IOException {
    DecodedEvent decoded = decoder.decodeKafka(registered(pool, "4.0.7577.4420"), Map.of());
    if (decoded instanceof DecodedEvent.Refused refused) {
      assertThat(refused.field()).as(pool).contains("$.data.pool");
      return Optional.empty();
    }
    return Optional.of(((DeviceEvent.Registered) ((DecodedEvent.Valid) decoded).event()).pool());
  }

  /** The former check, word for word: split on dots, every label matched. */
  private static Optional<String> specifiedHost(String raw) {
    String value = raw.strip();
    String host = value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
    for (String label : host.split("\\.", -1)) {
      if (!HOST_LABEL.matcher(label).matches()) {
        return Optional.empty();
      }
    }
    return Optional.of(host.toLowerCase(Locale.ROOT));
  }

  private byte[] registered(String pool, String firmware) throws IOException {
    return ("{\"specversion\":\"1.0\",\"id\":\"scan-1\",\"source\":\"/sfb/registrar\","
            + "\"type\":\"device.registered\",\"subject\":\"00:04:f2:1a:2b:3c\","
            + "\"time\":\"2026-11-22T08:14:03Z\",\"data\":{\"model\":\"CX600\",\"firmware\":"
            + mapper.writeValueAsString(firmware)
            + ",\"pool\":"
            + mapper.writeValueAsString(pool)
            + ",\"site\":\"HQ\",\"dialedFqdn\":\"sip.custdom.com\",\"outcome\":\"SUCCESS\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
