package dev.fleettrust.itsm;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** What the ITSM API shows: deliveries per message, open violations; and replays. */
@Singleton
final class ItsmViews {
  private final TransactionOperations<Connection> transactions;
  private final Transports transports;

  ItsmViews(TransactionOperations<Connection> transactions, Transports transports) {
    this.transactions = transactions;
    this.transports = transports;
  }

  record TransportStatus(
      String transport,
      String status,
      int attempts,
      Optional<String> lastError,
      Optional<Instant> nextAttemptAt,
      Optional<Instant> sentAt,
      Optional<Instant> deadAt) {}

  record Message(
      long position,
      UUID id,
      String type,
      String subject,
      String dedupKey,
      Optional<String> changeRef,
      Instant createdAt,
      List<TransportStatus> transports) {}

  record OpenViolation(
      String dedupKey,
      String rule,
      String model,
      String build,
      int devices,
      String countsJson,
      String summary,
      String deviceList,
      String reportId,
      Instant openedAt,
      Instant updatedAt) {}

  /** Newest first, after {@code before} (an outbox position), at most {@code limit}. */
  List<Message> messages(
      Optional<String> status, Optional<String> subject, Optional<Long> before, int limit) {
    return transactions.executeRead(
        tx -> {
          Connection connection = tx.getConnection();
          List<Message> page = new ArrayList<>();
          try (PreparedStatement query =
              connection.prepareStatement(
                  """
                  SELECT o.id, o.message_id, o.type, o.subject, o.dedup_key, o.change_ref,
                         o.created_at
                    FROM itsm_outbox o
                   WHERE o.id < ?
                     AND (?::text IS NULL OR o.subject = ?::text)
                     AND (?::text IS NULL OR EXISTS (
                          SELECT 1 FROM itsm_delivery d
                           WHERE d.outbox_id = o.id AND d.status = ?::text))
                   ORDER BY o.id DESC
                   LIMIT ?
                  """)) {
            query.setLong(1, before.orElse(Long.MAX_VALUE));
            query.setString(2, subject.orElse(null));
            query.setString(3, subject.orElse(null));
            query.setString(4, status.orElse(null));
            query.setString(5, status.orElse(null));
            query.setInt(6, limit);
            try (ResultSet row = query.executeQuery()) {
              while (row.next()) {
                page.add(message(row));
              }
            }
          }
          return withTransports(connection, page);
        });
  }

  Optional<Message> message(UUID id) {
    return transactions.executeRead(tx -> message(tx.getConnection(), id));
  }

  private Optional<Message> message(Connection connection, UUID id) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT id, message_id, type, subject, dedup_key, change_ref, created_at"
                + " FROM itsm_outbox WHERE message_id = ?")) {
      query.setObject(1, id);
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(withTransports(connection, List.of(message(row))).get(0));
      }
    }
  }

  /**
   * A message without its transports, from {@code id, message_id, type, subject, dedup_key,
   * change_ref, created_at}.
   */
  private static Message message(ResultSet row) throws SQLException {
    return new Message(
        row.getLong(1),
        row.getObject(2, UUID.class),
        row.getString(3),
        row.getString(4),
        row.getString(5),
        Optional.ofNullable(row.getString(6)),
        row.getTimestamp(7).toInstant(),
        List.of());
  }

  /**
   * Sends the message again by every transport configured now: each delivery (added where the
   * transport came later) is pending again with its attempts reset, dead letters included. Empty
   * when there is no such message.
   */
  Optional<Message> replay(UUID id) {
    return transactions.executeWrite(
        tx -> {
          Connection connection = tx.getConnection();
          Optional<Message> message = message(connection, id);
          if (message.isEmpty()) {
            return message;
          }
          try (PreparedStatement upsert =
              connection.prepareStatement(
                  """
                  INSERT INTO itsm_delivery (outbox_id, target, dedup_key) VALUES (?, ?, ?)
                  ON CONFLICT (outbox_id, target) DO UPDATE
                     SET status = 'PENDING', attempts = 0, next_attempt_at = now(),
                         last_error = NULL, sent_at = NULL, dead_at = NULL
                  """)) {
            for (String target : transports.names()) {
              upsert.setLong(1, message.get().position());
              upsert.setString(2, target);
              upsert.setString(3, message.get().dedupKey());
              upsert.addBatch();
            }
            upsert.executeBatch();
          }
          return message(connection, id);
        });
  }

  boolean anyTransport() {
    return !transports.names().isEmpty();
  }

  private static List<Message> withTransports(Connection connection, List<Message> messages)
      throws SQLException {
    if (messages.isEmpty()) {
      return messages;
    }
    Map<Long, List<TransportStatus>> byMessage = new LinkedHashMap<>();
    messages.forEach(m -> byMessage.put(m.position(), new ArrayList<>()));
    try (PreparedStatement query =
        connection.prepareStatement(
            """
            SELECT outbox_id, target, status, attempts, last_error,
                   CASE WHEN status = 'PENDING' THEN next_attempt_at END, sent_at, dead_at
              FROM itsm_delivery WHERE outbox_id = ANY (?) ORDER BY outbox_id, target
            """)) {
      query.setArray(1, connection.createArrayOf("bigint", byMessage.keySet().toArray()));
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          byMessage
              .get(row.getLong(1))
              .add(
                  new TransportStatus(
                      row.getString(2),
                      row.getString(3),
                      row.getInt(4),
                      Optional.ofNullable(row.getString(5)),
                      instant(row.getTimestamp(6)),
                      instant(row.getTimestamp(7)),
                      instant(row.getTimestamp(8))));
        }
      }
    }
    return messages.stream()
        .map(
            m ->
                new Message(
                    m.position(),
                    m.id(),
                    m.type(),
                    m.subject(),
                    m.dedupKey(),
                    m.changeRef(),
                    m.createdAt(),
                    List.copyOf(byMessage.get(m.position()))))
        .toList();
  }

  /** Open violations by dedup key, after {@code after}. */
  List<OpenViolation> openViolations(Optional<String> after, int limit) {
    return transactions.executeRead(
        tx -> {
          List<OpenViolation> page = new ArrayList<>();
          try (PreparedStatement query =
              tx.getConnection()
                  .prepareStatement(
                      """
                      SELECT dedup_key, rule, model, build, devices, counts::text, summary,
                             device_list, report_id, opened_at, updated_at
                        FROM itsm_open_violation WHERE dedup_key > ?
                       ORDER BY dedup_key LIMIT ?
                      """)) {
            query.setString(1, after.orElse(""));
            query.setInt(2, limit);
            try (ResultSet row = query.executeQuery()) {
              while (row.next()) {
                page.add(
                    new OpenViolation(
                        row.getString(1),
                        row.getString(2),
                        row.getString(3),
                        row.getString(4),
                        row.getInt(5),
                        row.getString(6),
                        row.getString(7),
                        row.getString(8),
                        row.getString(9),
                        row.getTimestamp(10).toInstant(),
                        row.getTimestamp(11).toInstant()));
              }
            }
          }
          return page;
        });
  }

  private static Optional<Instant> instant(Timestamp timestamp) {
    return Optional.ofNullable(timestamp).map(Timestamp::toInstant);
  }
}
