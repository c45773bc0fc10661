package dev.fleettrust.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Kafka record is parsed once by the decoder's own streaming reader, which must build the tree
 * micronaut-serde's mapper builds, and the history's {@code data} is taken from the record's bytes
 * only where that text means exactly what the tree means.
 */
class CloudEventDecoderJsonTest {
  private static final String REGISTERED =
      "{\"specversion\":\"1.0\",\"id\":\"json-1\",\"source\":\"/sfb/pools/p1/registrar\","
          + "\"type\":\"device.registered\",\"subject\":\"00:04:f2:1a:2b:3c\","
          + "\"time\":\"2026-11-22T08:14:03Z\",\"datacontenttype\":\"application/json\","
          + "\"data\":DATA}";
  private static final String DATA =
      "{\"userAgent\":\"PolycomVVX-VVX_450-UA/6.4.3.5032\",\"pool\":\"p1.custdom.com\","
          + "\"site\":\"HQ\",\"dialedFqdn\":\"sip.custdom.com\",\"outcome\":\"FAILURE\","
          + "\"failureReason\":\"TLS handshake failed\",\"tlsAlert\":48}";

  private final JsonMapper mapper = JsonMapper.createDefault();
  private final CloudEventDecoder decoder = DecoderTesting.decoder(mapper);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "null",
        " null ",
        "{}",
        "[]",
        "\"text\"",
        "1 2",
        "{\"a\":1} trailing",
        "{\"a\":1}}",
        "{\"a\":1}//comment",
        "{\"a\":1,\"a\":[2,{\"b\":null}],\"c\":true,\"d\":false}",
        "{\"i\":1,\"l\":12345678901,\"b\":123456789012345678901234567890,\"f\":1.5,"
            + "\"e\":4e1,\"n\":-0,\"huge\":1e400,\"tiny\":1e-400}",
        "{\"s\":\"caf\\u00e9 \\ud83d\\ude00 \\ud800 \\u0000 \\/\"}",
        "{\"a\":tru}",
        "{'a':1}",
        "{\"a\":NaN}",
        "{\"a\":1,}",
        "[1,2",
        "\uFEFF{\"bom\":1}"
      })
  void buildsTheTreeTheMapperBuilds(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

    assertThat(decoder.parseJson(bytes)).isEqualTo(mapperTree(bytes));
  }

  @Test
  void buildsTheTreeTheMapperBuildsForOtherEncodingsAndBrokenBytes() {
    byte[][] inputs = {
      "{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_16BE),
      "{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_16LE),
      {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'},
      {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'},
      {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'}
    };
    for (byte[] input : inputs) {
      assertThat(decoder.parseJson(input)).isEqualTo(mapperTree(input));
    }
  }

  @Test
  void buildsTheTreeTheMapperBuildsForRandomlyDamagedEvents() {
    SplittableRandom random = new SplittableRandom(8259);
    byte[] event = REGISTERED.replace("DATA", DATA).getBytes(StandardCharsets.UTF_8);
    String alphabet = "{}[]\",:.\\ 0e-+tfnu\u00e9";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text =
          DecoderTesting.damage(new String(event, StandardCharsets.UTF_8), alphabet, random);
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      assertThat(decoder.parseJson(bytes)).as(text.toString()).isEqualTo(mapperTree(bytes));
    }
  }

  @Test
  void storesTheDataAsTheRecordSentIt() {
    String data =
        "{ \"userAgent\" : \"PolycomVVX-VVX_450-UA/6.4.3.5032\",\n \"pool\":\"p1.custdom.com\","
            + "\"site\":\"Caf\\u00e9 \u00e9\",\"dialedFqdn\":\"sip.custdom.com\",\"outcome\":\"SUCCESS\"}";

    DecodedEvent.Valid valid = valid(REGISTERED.replace("DATA", data));

    assertThat(valid.dataJson()).contains(data);
  }

  @Test
  void storesOnlyTheLastDataMemberAndNothingAfterTheEvent() {
    String event =
        REGISTERED.replace("\"data\":DATA", "\"data\":{\"x\":1},\"data\":" + DATA)
            + " {\"junk\":1}";

    assertThat(valid(event).dataJson()).contains(DATA);
  }

  @Test
  void writesTheTreeOutWhenTheDataHoldsANonIntegerNumber() throws IOException {
    String data = DATA.replace("\"tlsAlert\":48", "\"tlsAlert\":4.8e1");

    DecodedEvent.Valid valid = valid(REGISTERED.replace("DATA", data));

    assertThat(valid.dataJson()).contains(mapper.writeValueAsString(tree(data)));
    assertThat(valid.dataJson().orElseThrow()).contains("\"tlsAlert\":48.0");
  }

  @Test
  void writesTheTreeOutWhenTheBytesAreNotWellFormedUtf8() throws IOException {
    // An encoded surrogate (CESU-8): Jackson reads it as a char, Java's decoder would not.
    byte[] event =
        ("{\"specversion\":\"1.0\",\"id\":\"cesu\",\"source\":\"urn:tool\",\"type\":\"device.reset\","
                + "\"subject\":\"00:04:f2:99:00:07\",\"time\":\"2026-11-22T08:00:00Z\","
                + "\"data\":{\"reason\":\"xSURROGATEx\"}}")
            .getBytes(StandardCharsets.ISO_8859_1);
    String marked = new String(event, StandardCharsets.ISO_8859_1);
    int at = marked.indexOf("SURROGATE");
    byte[] withSurrogate = new byte[event.length - "SURROGATE".length() + 3];
    System.arraycopy(event, 0, withSurrogate, 0, at);
    withSurrogate[at] = (byte) 0xED;
    withSurrogate[at + 1] = (byte) 0xA0;
    withSurrogate[at + 2] = (byte) 0x80;
    System.arraycopy(
        event, at + "SURROGATE".length(), withSurrogate, at + 3, event.length - at - 9);

    DecodedEvent.Valid valid = (DecodedEvent.Valid) decoder.decodeKafka(withSurrogate, Map.of());

    assertThat(valid.dataJson()).contains("{\"reason\":\"x\\uD800x\"}");
  }

  @Test
  void storesBinaryModeDataAsSentAndUtf16DataAsTheTreeWritesIt() throws IOException {
    Map<String, byte[]> headers =
        Map.of(
            "ce_specversion", bytes("1.0"),
            "ce_id", bytes("binary-1"),
            "ce_source", bytes("/sfb/pools/p1/registrar"),
            "ce_type", bytes("device.registered"),
            "ce_subject", bytes("0004.F21A.2B3C"),
            "ce_time", bytes("2026-11-22T08:14:03.221Z"));
    String spaced = " " + DATA + " \n";

    DecodedEvent.Valid utf8 = (DecodedEvent.Valid) decoder.decodeKafka(bytes(spaced), headers);
    DecodedEvent.Valid utf16 =
        (DecodedEvent.Valid) decoder.decodeKafka(DATA.getBytes(StandardCharsets.UTF_16BE), headers);

    assertThat(utf8.dataJson()).contains(DATA);
    assertThat(utf16.dataJson()).contains(mapper.writeValueAsString(tree(DATA)));
  }

  @Test
  void refusesBinaryModeDataThatIsJsonNullAsBefore() {
    Map<String, byte[]> headers =
        Map.of(
            "ce_specversion", bytes("1.0"),
            "ce_id", bytes("binary-null"),
            "ce_source", bytes("urn:tool"),
            "ce_type", bytes("device.reset"),
            "ce_subject", bytes("80:5e:c0:12:34:56"),
            "ce_time", bytes("2026-11-22T08:00:00Z"));

    DecodedEvent.Refused refused =
        (DecodedEvent.Refused) decoder.decodeKafka(bytes("null"), headers);

    assertThat(refused.message()).isEqualTo("The record value (the event's data) is not JSON");
    assertThat(refused.field()).contains("$.data");
  }

  @Test
  void readsTheSameEventWhenTheSourceRepeats() {
    for (int i = 0; i < 3; i++) {
      assertThat(valid(REGISTERED.replace("DATA", DATA)).event().header().source())
          .isEqualTo("/sfb/pools/p1/registrar");
      String badSource = REGISTERED.replace("DATA", DATA).replace("/sfb/pools/p1", "/sfb pools");
      assertThat(decoder.decodeKafka(bytes(badSource), Map.of()))
          .isInstanceOfSatisfying(
              DecodedEvent.Refused.class,
              refused -> assertThat(refused.message()).isEqualTo("source must be a URI-reference"));
    }
  }

  private DecodedEvent.Valid valid(String event) {
    DecodedEvent decoded = decoder.decodeKafka(bytes(event), Map.of());
    assertThat(decoded).isInstanceOf(DecodedEvent.Valid.class);
    return (DecodedEvent.Valid) decoded;
  }

  private JsonNode tree(String json) throws IOException {
    return mapper.readValue(bytes(json), Argument.of(JsonNode.class));
  }

  private Optional<JsonNode> mapperTree(byte[] bytes) {
    try {
      return Optional.ofNullable(mapper.readValue(bytes, Argument.of(JsonNode.class)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
