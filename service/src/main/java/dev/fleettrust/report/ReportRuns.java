package dev.fleettrust.report;

import dev.fleettrust.inventory.InventoryStoreException;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code compliance_report_run} table: claiming a night, recording progress, reading a run. A
 * scheduled night is claimed by inserting its row; the partial unique index on {@code report_date}
 * lets exactly one replica succeed (ADR 0513).
 */
@Singleton
final class ReportRuns {
  private static final String COLUMNS =
      "id, trigger, report_date, status, phase, progress, created_at, created_by, completed_at, error";

  private final TransactionOperations<Connection> transactions;

  ReportRuns(TransactionOperations<Connection> transactions) {
    this.transactions = transactions;
  }

  /** A manual run for {@code reportDate}, pending. */
  ReportRun createManual(LocalDate reportDate, String createdBy, Instant now) {
    UUID id = UUID.randomUUID();
    insert(id, ReportRun.Trigger.MANUAL, reportDate, createdBy, now, false);
    return find(id).orElseThrow();
  }

  /**
   * Claims the scheduled run of {@code reportDate}: the run when this replica got it, empty when
   * another replica (or an earlier start) already has it.
   */
  Optional<ReportRun> claimNight(LocalDate reportDate, Instant now) {
    UUID id = UUID.randomUUID();
    if (!insert(id, ReportRun.Trigger.SCHEDULED, reportDate, "scheduler", now, true)) {
      return Optional.empty();
    }
    return find(id);
  }

  /** Whether the scheduled run of {@code reportDate} exists and has not failed. */
  boolean nightClaimed(LocalDate reportDate) {
    return query(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT 1 FROM compliance_report_run WHERE trigger = 'SCHEDULED'"
                      + " AND report_date = ? AND status <> 'FAILED'")) {
            s.setObject(1, reportDate);
            try (ResultSet r = s.executeQuery()) {
              return r.next();
            }
          }
        });
  }

  /**
   * Marks as failed the runs that stopped reporting progress longer ago than {@code after}: their
   * replica is gone, and the night must be claimable again.
   */
  int failAbandoned(Instant now, Duration after) {
    return query(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE compliance_report_run SET status = 'FAILED', updated_at = ?,"
                      + " error = 'abandoned: no progress since ' || updated_at::text"
                      + " WHERE status IN ('PENDING', 'RUNNING') AND updated_at < ?")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setTimestamp(2, Timestamp.from(now.minus(after)));
            return s.executeUpdate();
          }
        });
  }

  void progress(UUID id, String phase, int percent, Instant now) {
    query(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE compliance_report_run SET status = 'RUNNING', phase = ?, progress = ?,"
                      + " updated_at = ? WHERE id = ?")) {
            s.setString(1, phase);
            s.setInt(2, percent);
            s.setTimestamp(3, Timestamp.from(now));
            s.setObject(4, id);
            return s.executeUpdate();
          }
        });
  }

  /** Completes the run on {@code connection}: inside the transaction that stores the report. */
  static void complete(Connection connection, UUID id, Instant now) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "UPDATE compliance_report_run SET status = 'COMPLETED', phase = 'done', progress = 100,"
                + " updated_at = ?, completed_at = ? WHERE id = ?")) {
      s.setTimestamp(1, Timestamp.from(now));
      s.setTimestamp(2, Timestamp.from(now));
      s.setObject(3, id);
      s.executeUpdate();
    }
  }

  void fail(UUID id, String error, Instant now) {
    query(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE compliance_report_run SET status = 'FAILED', error = ?, updated_at = ?,"
                      + " completed_at = ? WHERE id = ?")) {
            s.setString(1, error.length() > 2000 ? error.substring(0, 2000) : error);
            s.setTimestamp(2, Timestamp.from(now));
            s.setTimestamp(3, Timestamp.from(now));
            s.setObject(4, id);
            return s.executeUpdate();
          }
        });
  }

  Optional<ReportRun> find(UUID id) {
    return query(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT " + COLUMNS + " FROM compliance_report_run WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
              return r.next() ? Optional.of(run(r)) : Optional.<ReportRun>empty();
            }
          }
        });
  }

  private boolean insert(
      UUID id,
      ReportRun.Trigger trigger,
      LocalDate reportDate,
      String createdBy,
      Instant now,
      boolean onlyIfUnclaimed) {
    return query(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO compliance_report_run (id, trigger, report_date, status, phase,"
                      + " progress, created_at, created_by, updated_at)"
                      + " VALUES (?, ?, ?, 'PENDING', 'queued', 0, ?, ?, ?)"
                      + (onlyIfUnclaimed ? " ON CONFLICT DO NOTHING" : ""))) {
            s.setObject(1, id);
            s.setString(2, trigger.name());
            s.setObject(3, reportDate);
            s.setTimestamp(4, Timestamp.from(now));
            s.setString(5, createdBy);
            s.setTimestamp(6, Timestamp.from(now));
            return s.executeUpdate() == 1;
          }
        });
  }

  private static ReportRun run(ResultSet r) throws SQLException {
    Timestamp completed = r.getTimestamp(9);
    return new ReportRun(
        r.getObject(1, UUID.class),
        ReportRun.Trigger.valueOf(r.getString(2)),
        r.getObject(3, LocalDate.class),
        ReportRun.Status.valueOf(r.getString(4)),
        r.getString(5),
        r.getInt(6),
        r.getTimestamp(7).toInstant(),
        r.getString(8),
        Optional.ofNullable(completed).map(Timestamp::toInstant),
        Optional.ofNullable(r.getString(10)));
  }

  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T query(Work<T> work) {
    try {
      return transactions.executeWrite(status -> work.run(status.getConnection()));
    } catch (RuntimeException e) {
      throw InventoryStoreException.classify(e);
    }
  }
}
