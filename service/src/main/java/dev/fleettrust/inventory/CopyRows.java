package dev.fleettrust.inventory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
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
    for (int i = 0; i < value.length(); i++) {
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

  CopyRows time(Instant value) {
    return value == null ? text(null) : text(value.toString());
  }

  CopyRows integer(Integer value) {
    return value == null ? text(null) : text(value.toString());
  }

  CopyRows bool(boolean value) {
    return text(value ? "t" : "f");
  }

  void endRow() {
    rows.append('\n');
    firstColumn = true;
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
