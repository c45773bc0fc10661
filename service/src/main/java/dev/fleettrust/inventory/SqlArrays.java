package dev.fleettrust.inventory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Columns handed to PostgreSQL as arrays, one element per row, for {@code INSERT … SELECT FROM
 * UNNEST}. Times travel as ISO-8601 text in UTC and are cast to {@code timestamptz[]} in the SQL,
 * which keeps the driver's time-zone handling out of the way.
 */
final class SqlArrays {
  private SqlArrays() {}

  static Array text(Connection connection, List<String> values) throws SQLException {
    return connection.createArrayOf("text", values.toArray());
  }

  static Array times(Connection connection, List<Instant> values) throws SQLException {
    Object[] text = new Object[values.size()];
    for (int i = 0; i < text.length; i++) {
      Instant value = values.get(i);
      text[i] = value == null ? null : value.toString();
    }
    return connection.createArrayOf("text", text);
  }

  static Array integers(Connection connection, List<Integer> values) throws SQLException {
    return connection.createArrayOf("int4", values.toArray());
  }

  static Array bytes(Connection connection, List<byte[]> values) throws SQLException {
    return connection.createArrayOf("bytea", values.toArray(new byte[0][]));
  }

  static Array longs(Connection connection, List<Long> values) throws SQLException {
    return connection.createArrayOf("int8", values.toArray());
  }
}
