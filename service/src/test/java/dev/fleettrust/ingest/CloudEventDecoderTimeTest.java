package dev.fleettrust.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.inventory.RejectionReason;
import io.micronaut.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The event {@code time} is read by a hand-written parser for the usual RFC 3339 form, with the
 * JDK's {@link OffsetDateTime#parse} for everything else; {@code OffsetDateTime.parse} remains the
 * definition, so every case is checked against it.
 */
class CloudEventDecoderTimeTest {
  private final CloudEventDecoder decoder = DecoderTesting.decoder(JsonMapper.createDefault());

  @ParameterizedTest
  @CsvSource({
    "2026-11-22T08:14:03Z, 2026-11-22T08:14:03Z",
    "2026-11-22t08:14:03z, 2026-11-22T08:14:03Z",
    "2026-11-22T09:14:03+01:00, 2026-11-22T08:14:03Z",
    "2026-11-22T03:44:03-04:30, 2026-11-22T08:14:03Z",
    "2026-11-22T08:14:03-00:00, 2026-11-22T08:14:03Z",
    "2026-11-23T01:13:03+17:59, 2026-11-22T07:14:03Z",
    "2026-11-22T08:14:03.2Z, 2026-11-22T08:14:03.200Z",
    "2026-11-22T08:14:03.221Z, 2026-11-22T08:14:03.221Z",
    "2026-11-22T08:14:03.123456789Z, 2026-11-22T08:14:03.123456789Z",
    "2026-11-22T08:14:03.000000001+02:00, 2026-11-22T06:14:03.000000001Z",
    "2024-02-29T23:59:59Z, 2024-02-29T23:59:59Z",
    "2000-02-29T00:00:00+01:00, 2000-02-28T23:00:00Z",
    "0000-01-01T00:00:00Z, 0000-01-01T00:00:00Z",
    "1970-01-01T00:00:00Z, 1970-01-01T00:00:00Z",
    "2026-11-22T08:14Z, 2026-11-22T08:14:00Z",
    "2026-11-22T08:14:03.Z, 2026-11-22T08:14:03Z",
    "2026-11-22T20:14:03+18:00, 2026-11-22T02:14:03Z"
  })
  void readsOffsetsFractionsAndCaseAsTheJdkDoes(String text, String instant) {
    assertThat(CloudEventDecoder.parseTime(text)).contains(Instant.parse(instant));
    assertThat(CloudEventDecoder.parseTime(text)).isEqualTo(jdk(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "2026-11-22",
        "2026-11-22T08:14:03",
        "2026-11-22T08:14:60Z",
        "2026-06-30T23:59:60Z",
        "2026-11-22T24:00:00Z",
        "2026-11-22T08:60:03Z",
        "2026-02-29T08:14:03Z",
        "1900-02-29T08:14:03Z",
        "2026-04-31T08:14:03Z",
        "2026-13-01T08:14:03Z",
        "2026-00-01T08:14:03Z",
        "2026-11-00T08:14:03Z",
        "2026-11-22T08:14:03.1234567891Z",
        "2026-11-22 08:14:03Z",
        "2026-11-22T08:14:03+0100",
        "2026-11-22T08:14:03+18:01",
        "2026-11-22T08:14:03+19:00",
        "2026-11-22T08:14:03+01:60",
        "2026-11-22T08:14:03ZZ",
        "2026-11-22T08:14:03Z ",
        " 2026-11-22T08:14:03Z",
        "2026-11-22T08:14:03UTC",
        "2026-11-22T08:14:03Z[UTC]",
        "20261-11-22T08:14:03Z",
        "2026-1-22T08:14:03Z",
        "2026-11-22T8:14:03Z",
        "\uff12026-11-22T08:14:03Z",
        "2026-11-22T08:14:03,5Z"
      })
  void refusesWhatTheJdkRefusesLeapSecondsIncluded(String text) {
    assertThat(jdk(text)).isEmpty();
    assertThat(CloudEventDecoder.parseTime(text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "+12026-11-22T08:14:03Z",
        "-0001-11-22T08:14:03Z",
        "2026-11-22T08:14:03+01:00:30",
        "2026-11-22T08:14:03+01",
        "2026-11-22T08:14:03.5-18:00"
      })
  void leavesTheRareFormsTheJdkAcceptsToTheJdk(String text) {
    assertThat(jdk(text)).isPresent();
    assertThat(CloudEventDecoder.parseTime(text)).isEqualTo(jdk(text));
  }

  @Test
  void agreesWithTheJdkOnRandomlyDamagedTimes() {
    SplittableRandom random = new SplittableRandom(3339);
    String[] seeds = {
      "2026-11-22T08:14:03Z",
      "2024-02-29T23:59:59.123456+05:30",
      "1999-12-31t23:59:59.9z",
      "2026-11-22T08:14:03.000000001-17:59"
    };
    String alphabet = "0123456789-:.+TtZz 9";
    for (int i = 0; i < 200_000; i++) {
      StringBuilder text =
          DecoderTesting.damage(seeds[random.nextInt(seeds.length)], alphabet, random);
      String candidate = text.toString();
      assertThat(CloudEventDecoder.parseTime(candidate))
          .as("parseTime(\"%s\")", candidate)
          .isEqualTo(jdk(candidate));
    }
  }

  @Test
  void refusesALeapSecondWithTheSameReasonAndMessage() {
    String event =
        "{\"specversion\":\"1.0\",\"id\":\"leap\",\"source\":\"urn:tool\","
            + "\"type\":\"device.retired\",\"subject\":\"00:04:f2:99:00:07\","
            + "\"time\":\"2016-12-31T23:59:60Z\"}";

    DecodedEvent.Refused refused =
        (DecodedEvent.Refused)
            decoder.decodeKafka(event.getBytes(StandardCharsets.UTF_8), Map.of());

    assertThat(refused.reason()).isEqualTo(RejectionReason.SCHEMA_VIOLATION);
    assertThat(refused.field()).contains("$.time");
    assertThat(refused.message())
        .isEqualTo("time must be an RFC 3339 date-time; got 2016-12-31T23:59:60Z");
  }

  @Test
  void keepsTheOffsetTimeOfAnEventAsAnInstantToTheMicrosecond() {
    String event =
        "{\"specversion\":\"1.0\",\"id\":\"offset\",\"source\":\"urn:tool\","
            + "\"type\":\"device.retired\",\"subject\":\"00:04:f2:99:00:07\","
            + "\"time\":\"2026-11-22T09:15:47.123456789+01:00\"}";

    DecodedEvent.Valid valid =
        (DecodedEvent.Valid) decoder.decodeKafka(event.getBytes(StandardCharsets.UTF_8), Map.of());

    assertThat(valid.event().header().time())
        .isEqualTo(Instant.parse("2026-11-22T08:15:47.123456Z"));
  }

  private static Optional<Instant> jdk(String text) {
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
