package dev.fleettrust.api.problem;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * RFC 3339 {@code date-time} as the API takes it. RFC 3339 writes the year in exactly four digits
 * ({@code date-fullyear = 4DIGIT}); {@link OffsetDateTime#parse} also reads {@code
 * +999999999-12-31T23:59:59Z}, which PostgreSQL's {@code timestamptz} cannot hold and no
 * certificate change is planned for. Such a value is a {@code 400}, not a {@code 500}.
 */
public final class DateTimes {
  private DateTimes() {}

  /** The instant, or empty when the text is not an RFC 3339 date-time in years 0001 to 9999. */
  public static Optional<Instant> rfc3339(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      OffsetDateTime parsed = OffsetDateTime.parse(text);
      int year = parsed.getYear();
      return year >= 1 && year <= 9999 && Character.isDigit(text.charAt(0))
          ? Optional.of(parsed.toInstant())
          : Optional.empty();
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
