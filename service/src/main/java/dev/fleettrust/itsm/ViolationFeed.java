package dev.fleettrust.itsm;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the nightly report's violations into ticket transitions: {@code
 * fleettrust.violation.opened} for a (rule, model, build) not open before, {@code .updated} when an
 * open one's counts changed, {@code .resolved} for an open one the report no longer lists. A
 * violation that persists unchanged sends nothing, so running the same report twice sends nothing
 * the second time.
 *
 * <p>Call it from the report's transaction, on its connection, once the report is stored:
 *
 * <pre>{@code
 * transactions.executeWrite(status -> {
 *   Connection connection = status.getConnection();
 *   // ... store the report ...
 *   violationFeed.publish(connection, new ViolationReport(reportId, asOf, groups));
 *   return null;
 * });
 * }</pre>
 *
 * Runs are serialised by a transaction-scoped advisory lock, so two reports committing at once
 * cannot both open the same violation. Open violations are listed by {@code GET
 * /api/v1/itsm/violations}.
 */
@Singleton
public final class ViolationFeed {
  private static final long LOCK = 0x1757_0001L;

  private final ItsmOutbox outbox;
  private final JsonMapper json;

  ViolationFeed(ItsmOutbox outbox, JsonMapper json) {
    this.outbox = outbox;
    this.json = json;
  }

  /** How many transitions a run caused, and how many violations held unchanged. */
  public record FeedResult(int opened, int updated, int resolved, int unchanged) {}

  /**
   * The stable key of a (rule, model, build) violation: {@code fleettrust-violation-} and 32 hex
   * digits of the SHA-256 of the three, so it fits ServiceNow's {@code correlation_id} (100
   * characters) and never changes between runs or releases.
   */
  public static String dedupKey(String rule, String model, String build) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((rule + '\0' + model + '\0' + build).getBytes(StandardCharsets.UTF_8));
      return "fleettrust-violation-" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK has SHA-256", e);
    }
  }

  /**
   * Diffs the report against the open violations and enqueues one message per transition, in the
   * caller's transaction.
   *
   * @throws SQLException as the connection threw it; the caller's transaction should roll back
   */
  public FeedResult publish(Connection connection, ViolationReport report) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      lock.setLong(1, LOCK);
      lock.execute();
    }
    Map<String, Open> open = open(connection);
    int opened = 0;
    int updated = 0;
    int unchanged = 0;
    for (ViolationGroup group : report.groups()) {
      Open before = open.remove(group.dedupKey());
      if (before == null) {
        insert(connection, group, report);
        enqueue(connection, MessageType.VIOLATION_OPENED, group, report, report.asOf(), null);
        opened++;
      } else if (before.devices() != group.devices() || !before.counts().equals(group.counts())) {
        update(connection, group, report);
        enqueue(
            connection,
            MessageType.VIOLATION_UPDATED,
            group,
            report,
            before.openedAt(),
            before.devices());
        updated++;
      } else {
        unchanged++;
      }
    }
    for (Open gone : open.values()) {
      delete(connection, gone.dedupKey());
      outbox.enqueue(
          connection,
          new OutboundMessage(
              MessageType.VIOLATION_RESOLVED,
              gone.dedupKey(),
              gone.dedupKey(),
              Optional.empty(),
              new ViolationMessages.Violation(
                  gone.dedupKey(),
                  "RESOLVED",
                  gone.rule(),
                  gone.model(),
                  gone.build(),
                  0,
                  Map.of(),
                  gone.devices(),
                  gone.summary(),
                  report.reportId(),
                  gone.openedAt().toString(),
                  gone.deviceList()),
              report.asOf()));
    }
    return new FeedResult(opened, updated, open.size(), unchanged);
  }

  private void enqueue(
      Connection connection,
      MessageType type,
      ViolationGroup group,
      ViolationReport report,
      Instant openedAt,
      Integer previousDevices)
      throws SQLException {
    outbox.enqueue(
        connection,
        new OutboundMessage(
            type,
            group.dedupKey(),
            group.dedupKey(),
            Optional.empty(),
            new ViolationMessages.Violation(
                group.dedupKey(),
                "OPEN",
                group.rule(),
                group.model(),
                group.build(),
                group.devices(),
                group.counts(),
                previousDevices,
                group.summary(),
                report.reportId(),
                openedAt.toString(),
                group.deviceList().toString()),
            report.asOf()));
  }

  private record Open(
      String dedupKey,
      String rule,
      String model,
      String build,
      int devices,
      Map<String, Integer> counts,
      String summary,
      String deviceList,
      Instant openedAt) {}

  private Map<String, Open> open(Connection connection) throws SQLException {
    Map<String, Open> open = new LinkedHashMap<>();
    try (PreparedStatement query =
            connection.prepareStatement(
                """
                SELECT dedup_key, rule, model, build, devices, counts::text, summary, device_list,
                       opened_at
                  FROM itsm_open_violation ORDER BY opened_at, dedup_key
                """);
        ResultSet row = query.executeQuery()) {
      while (row.next()) {
        open.put(
            row.getString(1),
            new Open(
                row.getString(1),
                row.getString(2),
                row.getString(3),
                row.getString(4),
                row.getInt(5),
                counts(row.getString(6)),
                row.getString(7),
                row.getString(8),
                row.getTimestamp(9).toInstant()));
      }
    }
    return open;
  }

  private void insert(Connection connection, ViolationGroup group, ViolationReport report)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            """
            INSERT INTO itsm_open_violation (dedup_key, rule, model, build, devices, counts,
                summary, device_list, report_id, opened_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)
            """)) {
      insert.setString(1, group.dedupKey());
      insert.setString(2, group.rule());
      insert.setString(3, group.model());
      insert.setString(4, group.build());
      insert.setInt(5, group.devices());
      insert.setString(6, write(group.counts()));
      insert.setString(7, group.summary());
      insert.setString(8, group.deviceList().toString());
      insert.setString(9, report.reportId());
      insert.setTimestamp(10, Timestamp.from(report.asOf()));
      insert.setTimestamp(11, Timestamp.from(report.asOf()));
      insert.executeUpdate();
    }
  }

  private void update(Connection connection, ViolationGroup group, ViolationReport report)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            """
            UPDATE itsm_open_violation
               SET devices = ?, counts = ?::jsonb, summary = ?, device_list = ?, report_id = ?,
                   updated_at = ?
             WHERE dedup_key = ?
            """)) {
      update.setInt(1, group.devices());
      update.setString(2, write(group.counts()));
      update.setString(3, group.summary());
      update.setString(4, group.deviceList().toString());
      update.setString(5, report.reportId());
      update.setTimestamp(6, Timestamp.from(report.asOf()));
      update.setString(7, group.dedupKey());
      update.executeUpdate();
    }
  }

  private static void delete(Connection connection, String dedupKey) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM itsm_open_violation WHERE dedup_key = ?")) {
      delete.setString(1, dedupKey);
      delete.executeUpdate();
    }
  }

  private Map<String, Integer> counts(String stored) {
    try {
      return new java.util.TreeMap<>(
          json.readValue(stored, Argument.mapOf(String.class, Integer.class)));
    } catch (IOException e) {
      throw new UncheckedIOException("A stored violation's counts do not read back", e);
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
