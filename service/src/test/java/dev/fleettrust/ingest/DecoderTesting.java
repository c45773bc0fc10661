package dev.fleettrust.ingest;

import io.micronaut.json.JsonMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/** The decoder the decoding tests share, and the random damage they do to their inputs. */
final class DecoderTesting {
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

  private DecoderTesting() {}

  /** A decoder whose clock stands at {@link #NOW} and that accepts events up to a day ahead. */
  static CloudEventDecoder decoder(JsonMapper mapper) {
    return new CloudEventDecoder(
        mapper, new EventDataReader(), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(24));
  }

  /** One to three random edits (replace, insert, delete) with characters from {@code alphabet}. */
  static StringBuilder damage(String text, String alphabet, SplittableRandom random) {
    StringBuilder damaged = new StringBuilder(text);
    int edits = 1 + random.nextInt(3);
    for (int edit = 0; edit < edits && damaged.length() > 0; edit++) {
      int at = random.nextInt(damaged.length());
      char c = alphabet.charAt(random.nextInt(alphabet.length()));
      switch (random.nextInt(3)) {
        case 0 -> damaged.setCharAt(at, c);
        case 1 -> damaged.insert(at, c);
        default -> damaged.deleteCharAt(at);
      }
    }
    return damaged;
  }
}
