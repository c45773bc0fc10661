package dev.fleettrust.itsm;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The relay's SQL over {@code itsm_delivery}: what is due, and what became of it. */
final class DeliveryStore {
  private static final int LOCK_NAMESPACE = 0x1757;

  private DeliveryStore() {}

  /**
   * Takes the transport for this transaction, so one relay at a time works it, whichever replica it
   * runs in; false when another holds it.
   */
  static boolean lock(Connection connection, String target) throws SQLException {
    try (PreparedStatement lock =
        connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?, hashtext(?))")) {
      lock.setInt(1, LOCK_NAMESPACE);
      lock.setString(2, target);
      try (ResultSet row = lock.executeQuery()) {
        row.next();
        return row.getBoolean(1);
      }
    }
  }

  /**
   * The deliveries due now, oldest first, at most one per dedup key: the earliest not yet sent. A
   * later message of a key waits while an earlier one is pending or dead.
   */
  static List<Transport.Due> due(Connection connection, String target, int limit)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            """
            SELECT d.outbox_id, o.message_id, d.dedup_key, d.attempts, o.event::text
              FROM itsm_delivery d
              JOIN itsm_outbox o ON o.id = d.outbox_id
             WHERE d.target = ? AND d.status = 'PENDING' AND d.next_attempt_at <= now()
               AND NOT EXISTS (
                   SELECT 1 FROM itsm_delivery e
                    WHERE e.target = d.target AND e.dedup_key = d.dedup_key
                      AND e.outbox_id < d.outbox_id AND e.status <> 'SENT')
             ORDER BY d.outbox_id
             LIMIT ?
            """)) {
      query.setString(1, target);
      query.setInt(2, limit);
      List<Transport.Due> due = new ArrayList<>();
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          due.add(
              new Transport.Due(
                  row.getLong(1),
                  row.getString(2),
                  row.getString(3),
                  row.getInt(4),
                  row.getString(5)));
        }
      }
      return due;
    }
  }

  static void sent(Connection connection, String target, Transport.Due due) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            """
            UPDATE itsm_delivery SET status = 'SENT', attempts = attempts + 1, sent_at = now(),
                   last_error = NULL
             WHERE outbox_id = ? AND target = ?
            """)) {
      update.setLong(1, due.outboxId());
      update.setString(2, target);
      update.executeUpdate();
    }
  }

  /** A failed attempt: retried at {@code retryAt}, or dead-lettered when that is empty. */
  static void failed(
      Connection connection,
      String target,
      Transport.Due due,
      String reason,
      java.util.Optional<Instant> retryAt)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            """
            UPDATE itsm_delivery
               SET attempts = attempts + 1, last_error = ?,
                   status = CASE WHEN ?::timestamptz IS NULL THEN 'DEAD' ELSE 'PENDING' END,
                   next_attempt_at = COALESCE(?::timestamptz, next_attempt_at),
                   dead_at = CASE WHEN ?::timestamptz IS NULL THEN now() END
             WHERE outbox_id = ? AND target = ?
            """)) {
      Timestamp at = retryAt.map(Timestamp::from).orElse(null);
      update.setString(1, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
      update.setTimestamp(2, at);
      update.setTimestamp(3, at);
      update.setTimestamp(4, at);
      update.setLong(5, due.outboxId());
      update.setString(6, target);
      update.executeUpdate();
    }
  }
}
