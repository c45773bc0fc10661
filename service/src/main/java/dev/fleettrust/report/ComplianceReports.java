package dev.fleettrust.report;

import dev.fleettrust.inventory.InventoryStoreException;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/** Reads stored compliance reports and the device rows behind their sections. */
@Singleton
public final class ComplianceReports {
  private final TransactionOperations<Connection> transactions;
  private final JsonMapper json;

  ComplianceReports(TransactionOperations<Connection> transactions, JsonMapper json) {
    this.transactions = transactions;
    this.json = json;
  }

  /** One stored report: its run, when it ran, and the JSON document as stored. */
  public record Stored(UUID runId, LocalDate reportDate, Instant generatedAt, String document) {
    public ReportDocument parsed(JsonMapper json) {
      try {
        return json.readValue(document, ReportDocument.class);
      } catch (IOException e) {
        throw new UncheckedIOException("compliance_report.document is not a report", e);
      }
    }
  }

  /** Where a listing page starts: after this report, newest first. */
  public record ListPosition(Instant generatedAt, UUID runId) {}

  public record Page<T, C>(List<T> items, Optional<C> next) {}

  /** One device row of a section. */
  public record DeviceRow(
      String section,
      String deviceId,
      List<String> ruleIds,
      Optional<String> verdict,
      Optional<Integer> horizonDays,
      Optional<String> model,
      Optional<String> build,
      Optional<String> site,
      Optional<String> userAgent,
      Optional<String> detail) {}

  public ReportDocument parse(Stored stored) {
    return stored.parsed(json);
  }

  public Page<Stored, ListPosition> list(int limit, Optional<ListPosition> after) {
    return read(
        c -> {
          String sql =
              "SELECT run_id, report_date, generated_at, document::text FROM compliance_report"
                  + (after.isPresent() ? " WHERE (generated_at, run_id) < (?, ?)" : "")
                  + " ORDER BY generated_at DESC, run_id DESC LIMIT ?";
          try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            if (after.isPresent()) {
              s.setTimestamp(i++, Timestamp.from(after.get().generatedAt()));
              s.setObject(i++, after.get().runId());
            }
            s.setInt(i, limit + 1);
            List<Stored> items = stored(s);
            Optional<ListPosition> next = Optional.empty();
            if (items.size() > limit) {
              items = items.subList(0, limit);
              Stored last = items.get(limit - 1);
              next = Optional.of(new ListPosition(last.generatedAt(), last.runId()));
            }
            return new Page<>(List.copyOf(items), next);
          }
        });
  }

  public Optional<Stored> latest() {
    return one("TRUE", null);
  }

  /** The newest report of {@code date}. */
  public Optional<Stored> ofDate(LocalDate date) {
    return one("report_date = ?", date);
  }

  public Optional<Stored> ofRun(UUID runId) {
    return one("run_id = ?", runId);
  }

  private Optional<Stored> one(String condition, Object parameter) {
    return read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT run_id, report_date, generated_at, document::text FROM compliance_report"
                      + " WHERE "
                      + condition
                      + " ORDER BY generated_at DESC, run_id DESC LIMIT 1")) {
            if (parameter != null) {
              s.setObject(1, parameter);
            }
            return stored(s).stream().findFirst();
          }
        });
  }

  /** A page of a section's devices in device ID order. */
  public Page<DeviceRow, String> devices(
      UUID runId, ReportSection section, int limit, Optional<String> afterDevice) {
    return read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT section, device_id, rule_ids, verdict, horizon_days, model,"
                      + " firmware_build, site, user_agent, detail FROM compliance_report_device"
                      + " WHERE run_id = ? AND section = ? AND device_id > ?"
                      + " ORDER BY device_id LIMIT ?")) {
            s.setObject(1, runId);
            s.setString(2, section.id());
            s.setString(3, afterDevice.orElse(""));
            s.setInt(4, limit + 1);
            List<DeviceRow> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                rows.add(row(r));
              }
            }
            Optional<String> next = Optional.empty();
            if (rows.size() > limit) {
              rows = rows.subList(0, limit);
              next = Optional.of(rows.get(limit - 1).deviceId());
            }
            return new Page<>(List.copyOf(rows), next);
          }
        });
  }

  /** Every device row of the report (of one section, if given), in section and device order. */
  public void eachDevice(UUID runId, Optional<ReportSection> section, Consumer<DeviceRow> sink) {
    read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT section, device_id, rule_ids, verdict, horizon_days, model,"
                      + " firmware_build, site, user_agent, detail FROM compliance_report_device"
                      + " WHERE run_id = ?"
                      + (section.isPresent() ? " AND section = ?" : "")
                      + " ORDER BY section, device_id")) {
            s.setObject(1, runId);
            if (section.isPresent()) {
              s.setString(2, section.get().id());
            }
            // Streams the rows instead of holding a million of them (the driver needs a fetch size
            // inside a transaction for that).
            s.setFetchSize(5000);
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                sink.accept(row(r));
              }
            }
            return null;
          }
        });
  }

  private static DeviceRow row(ResultSet r) throws SQLException {
    Array rules = r.getArray(3);
    int horizon = r.getInt(5);
    Optional<Integer> horizonDays = r.wasNull() ? Optional.empty() : Optional.of(horizon);
    return new DeviceRow(
        r.getString(1),
        r.getString(2),
        List.of((String[]) rules.getArray()),
        Optional.ofNullable(r.getString(4)),
        horizonDays,
        Optional.ofNullable(r.getString(6)),
        Optional.ofNullable(r.getString(7)),
        Optional.ofNullable(r.getString(8)),
        Optional.ofNullable(r.getString(9)),
        Optional.ofNullable(r.getString(10)));
  }

  private static List<Stored> stored(PreparedStatement s) throws SQLException {
    List<Stored> items = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next()) {
        items.add(
            new Stored(
                r.getObject(1, UUID.class),
                r.getObject(2, LocalDate.class),
                r.getTimestamp(3).toInstant(),
                r.getString(4)));
      }
    }
    return items;
  }

  private interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  private <T> T read(Work<T> work) {
    try {
      return transactions.executeRead(status -> work.apply(status.getConnection()));
    } catch (RuntimeException e) {
      throw InventoryStoreException.classify(e);
    }
  }
}
