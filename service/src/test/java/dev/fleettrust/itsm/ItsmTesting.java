package dev.fleettrust.itsm;

import io.micronaut.transaction.TransactionOperations;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Shared by the ITSM tests: a clean outbox, reports to feed, and what the outbox holds. */
final class ItsmTesting {
  private ItsmTesting() {}

  /** One stored message, as the outbox holds it. */
  record Stored(String messageId, String type, String subject, String dedupKey, String event) {}

  static void clear(TransactionOperations<Connection> transactions) {
    transactions.executeWrite(
        status -> {
          try (Statement statement = status.getConnection().createStatement()) {
            statement.execute("TRUNCATE itsm_delivery, itsm_outbox, itsm_open_violation");
          }
          return null;
        });
  }

  static List<Stored> outbox(TransactionOperations<Connection> transactions) {
    return transactions.executeRead(
        status -> {
          List<Stored> stored = new ArrayList<>();
          try (PreparedStatement query =
                  status
                      .getConnection()
                      .prepareStatement(
                          "SELECT message_id, type, subject, dedup_key, event::text"
                              + " FROM itsm_outbox ORDER BY id");
              ResultSet row = query.executeQuery()) {
            while (row.next()) {
              stored.add(
                  new Stored(
                      row.getString(1),
                      row.getString(2),
                      row.getString(3),
                      row.getString(4),
                      row.getString(5)));
            }
          }
          return stored;
        });
  }

  static ViolationFeed.FeedResult publish(
      TransactionOperations<Connection> transactions, ViolationFeed feed, ViolationReport report) {
    return transactions.executeWrite(status -> feed.publish(status.getConnection(), report));
  }

  static ViolationGroup group(String rule, String model, String build, int devices) {
    return new ViolationGroup(
        rule,
        model,
        build,
        devices,
        Map.of("BREAKS", devices),
        devices + " " + model + " on " + build + ": " + rule,
        URI.create(
            "http://localhost:8080/api/v1/devices?model="
                + URLEncoder.encode(model, StandardCharsets.UTF_8)
                + "&firmware="
                + URLEncoder.encode(build, StandardCharsets.UTF_8)));
  }

  static ViolationReport report(String id, ViolationGroup... groups) {
    return new ViolationReport(id, Instant.parse("2026-12-06T02:00:00Z"), List.of(groups));
  }

  static int count(TransactionOperations<Connection> transactions, String sql) {
    return transactions.executeRead(
        status -> {
          try (Statement statement = status.getConnection().createStatement();
              ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getInt(1);
          } catch (SQLException e) {
            throw e;
          }
        });
  }
}
