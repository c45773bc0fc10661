package dev.fleettrust.inventory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.postgresql.PGConnection;

/**
 * Rows for PostgreSQL's {@code COPY … FROM STDIN} in its text format: the fastest way to append
 * rows that need no conflict handling (history and sign-in outcomes, once the idempotency gate has
 * admitted their events). Runs inside the caller's transaction.
 */
final class CopyRows {
  private final StringBuilder rows;
  private boolean firstColumn = true;

  CopyRows(int expectedRows) {
    this.rows = new StringBuilder(expectedRows * 256);
  }

  CopyRows text(String value) {
    separate();
    if (value == null) {
      rows.append("\\N");
      return this;
    }
    int plain = 0;
    while (plain < value.length() && !needsEscape(value.charAt(plain))) {
      plain++;
    }
    // Almost every value has nothing to escape; appending it whole is a bulk copy.
    if (plain == value.length()) {
      rows.append(value);
      return this;
    }
    rows.append(value, 0, plain);
    for (int i = plain; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> rows.append("\\\\");
        case '\t' -> rows.append("\\t");
        case '\n' -> rows.append("\\n");
        case '\r' -> rows.append("\\r");
        default -> rows.append(c);
      }
    }
    return this;
  }

  /**
   * ISO 8601 in UTC, written digit by digit: {@link Instant#toString()} goes through a general
   * formatter, which cost more than the rest of the row at ingestion volume.
   */
  CopyRows time(Instant value) {
    if (value == null) {
      return text(null);
    }
    LocalDateTime utc =
        LocalDateTime.ofEpochSecond(value.getEpochSecond(), value.getNano(), ZoneOffset.UTC);
    if (utc.getYear() < 0 || utc.getYear() > 9999) {
      return text(value.toString());
    }
    separate();
    digits(utc.getYear(), 4).append('-');
    digits(utc.getMonthValue(), 2).append('-');
    digits(utc.getDayOfMonth(), 2).append('T');
    digits(utc.getHour(), 2).append(':');
    digits(utc.getMinute(), 2).append(':');
    digits(utc.getSecond(), 2);
    if (utc.getNano() != 0) {
      digits(utc.getNano(), 9).insert(rows.length() - 9, '.');
    }
    rows.append('Z');
    return this;
  }

  private StringBuilder digits(int value, int width) {
    int start = rows.length();
    rows.append(value);
    for (int missing = width - (rows.length() - start); missing > 0; missing--) {
      rows.insert(start, '0');
    }
    return rows;
  }

  CopyRows integer(Number value) {
    return value == null ? text(null) : text(value.toString());
  }

  CopyRows bool(boolean value) {
    return text(value ? "t" : "f");
  }

  void endRow() {
    rows.append('\n');
    firstColumn = true;
  }

  private static boolean needsEscape(char c) {
    return c == '\\' || c == '\t' || c == '\n' || c == '\r';
  }

  private void separate() {
    if (!firstColumn) {
      rows.append('\t');
    }
    firstColumn = false;
  }

  /** {@code COPY table (columns) FROM STDIN}; returns the number of rows written. */
  long copyInto(Connection connection, String tableAndColumns) throws SQLException {
    try {
      return connection
          .unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(
              "COPY " + tableAndColumns + " FROM STDIN",
              new ByteArrayInputStream(rows.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new SQLException("COPY into " + tableAndColumns + " failed", "08006", e);
    }
  }
}
