package dev.fleettrust.assessment;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Completed assessments in PostgreSQL: the request and summary as the API serves them (JSON), and
 * one row per evaluated profile with the devices it covered, from which device lists are paged.
 */
@Singleton
public final class AssessmentStore {
  private final TransactionOperations<Connection> transactions;

  AssessmentStore(TransactionOperations<Connection> transactions) {
    this.transactions = transactions;
  }

  /** What is stored about an assessment itself; JSON columns hold the wire documents. */
  public record StoredAssessment(
      UUID id,
      String status,
      Optional<String> description,
      Instant evaluateAt,
      Instant createdAt,
      String createdBy,
      String changesJson,
      String catalogVersion,
      long environmentVersion,
      Instant inventorySnapshotAt,
      Instant completedAt,
      String summaryJson,
      Optional<String> changeRef) {}

  /** Work that must commit or roll back with the assessment (the ITSM message, say). */
  @FunctionalInterface
  public interface InSameTransaction {
    void run(Connection connection) throws SQLException;
  }

  /** One evaluated profile: its verdict, findings (wire JSON) and the devices it covers. */
  public record StoredGroup(
      String profileHash,
      String verdict,
      int verdictRank,
      Optional<String> model,
      Optional<String> family,
      Optional<String> build,
      Optional<String> site,
      String findingsJson,
      List<String> deviceIds) {}

  /** One device of an assessment, as listed. */
  public record DeviceRow(
      String deviceId,
      Optional<String> model,
      Optional<String> family,
      Optional<String> build,
      Optional<String> site,
      String verdict,
      int verdictRank,
      String findingsJson) {}

  /** Which devices to list; empty collections and absent values do not filter. */
  public record DeviceFilter(
      List<String> verdicts,
      Optional<String> rule,
      Optional<String> model,
      Optional<String> build) {}

  /** Where the previous page ended. */
  public record Position(int verdictRank, String deviceId) {}

  /** Stores the assessment and its groups, and runs {@code also} in the same transaction. */
  public void save(StoredAssessment assessment, List<StoredGroup> groups, InSameTransaction also) {
    transactions.executeWrite(
        status -> {
          Connection connection = status.getConnection();
          insertAssessment(connection, assessment);
          insertGroups(connection, assessment.id(), groups);
          also.run(connection);
          return null;
        });
  }

  private static void insertAssessment(Connection connection, StoredAssessment a)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            """
            INSERT INTO impact_assessment (id, status, description, evaluate_at, created_at,
                created_by, changes, catalog_version, environment_version, inventory_snapshot_at,
                completed_at, summary, change_ref)
            VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?::jsonb, ?)
            """)) {
      insert.setObject(1, a.id());
      insert.setString(2, a.status());
      insert.setString(3, a.description().orElse(null));
      insert.setTimestamp(4, Timestamp.from(a.evaluateAt()));
      insert.setTimestamp(5, Timestamp.from(a.createdAt()));
      insert.setString(6, a.createdBy());
      insert.setString(7, a.changesJson());
      insert.setString(8, a.catalogVersion());
      insert.setLong(9, a.environmentVersion());
      insert.setTimestamp(10, Timestamp.from(a.inventorySnapshotAt()));
      insert.setTimestamp(11, Timestamp.from(a.completedAt()));
      insert.setString(12, a.summaryJson());
      insert.setString(13, a.changeRef().orElse(null));
      insert.executeUpdate();
    }
  }

  private static void insertGroups(Connection connection, UUID id, List<StoredGroup> groups)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            """
            INSERT INTO impact_assessment_group (assessment_id, group_no, profile_hash, verdict,
                verdict_rank, model, family, build, site, findings, device_ids)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
            """)) {
      for (int i = 0; i < groups.size(); i++) {
        StoredGroup g = groups.get(i);
        insert.setObject(1, id);
        insert.setInt(2, i);
        insert.setString(3, g.profileHash());
        insert.setString(4, g.verdict());
        insert.setInt(5, g.verdictRank());
        insert.setString(6, g.model().orElse(null));
        insert.setString(7, g.family().orElse(null));
        insert.setString(8, g.build().orElse(null));
        insert.setString(9, g.site().orElse(null));
        insert.setString(10, g.findingsJson());
        insert.setArray(11, connection.createArrayOf("text", g.deviceIds().toArray()));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  public Optional<StoredAssessment> find(UUID id) {
    return transactions.executeRead(
        status -> {
          try (PreparedStatement query =
              status
                  .getConnection()
                  .prepareStatement(
                      """
                      SELECT id, status, description, evaluate_at, created_at, created_by,
                             changes::text, catalog_version, environment_version,
                             inventory_snapshot_at, completed_at, summary::text, change_ref
                        FROM impact_assessment WHERE id = ?
                      """)) {
            query.setObject(1, id);
            try (ResultSet row = query.executeQuery()) {
              if (!row.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new StoredAssessment(
                      row.getObject(1, UUID.class),
                      row.getString(2),
                      Optional.ofNullable(row.getString(3)),
                      row.getTimestamp(4).toInstant(),
                      row.getTimestamp(5).toInstant(),
                      row.getString(6),
                      row.getString(7),
                      row.getString(8),
                      row.getLong(9),
                      row.getTimestamp(10).toInstant(),
                      row.getTimestamp(11).toInstant(),
                      row.getString(12),
                      Optional.ofNullable(row.getString(13))));
            }
          }
        });
  }

  /**
   * Devices of an assessment, worst verdict first and then by device ID, after {@code after};
   * {@code limit} empty lists every matching device.
   */
  public List<DeviceRow> devices(
      UUID id, DeviceFilter filter, Optional<Position> after, Optional<Integer> limit) {
    String sql =
        """
        SELECT d.device_id, g.model, g.family, g.build, g.site, g.verdict, g.verdict_rank,
               g.findings::text
          FROM impact_assessment_group g
         CROSS JOIN LATERAL unnest(g.device_ids) AS d(device_id)
         WHERE g.assessment_id = ?
           AND (cardinality(?::text[]) = 0 OR g.verdict = ANY (?::text[]))
           AND (?::text IS NULL OR g.findings @> jsonb_build_array(jsonb_build_object('rule', ?::text)))
           AND (?::text IS NULL OR g.model = ?::text)
           AND (?::text IS NULL OR g.build = ?::text)
           AND (g.verdict_rank, d.device_id) > (?, ?)
         ORDER BY g.verdict_rank, d.device_id
        """
            + (limit.isPresent() ? " LIMIT ?" : "");
    return transactions.executeRead(
        status -> {
          Connection connection = status.getConnection();
          try (PreparedStatement query = connection.prepareStatement(sql)) {
            var verdicts = connection.createArrayOf("text", filter.verdicts().toArray());
            query.setObject(1, id);
            query.setArray(2, verdicts);
            query.setArray(3, verdicts);
            query.setString(4, filter.rule().orElse(null));
            query.setString(5, filter.rule().orElse(null));
            query.setString(6, filter.model().orElse(null));
            query.setString(7, filter.model().orElse(null));
            query.setString(8, filter.build().orElse(null));
            query.setString(9, filter.build().orElse(null));
            query.setInt(10, after.map(Position::verdictRank).orElse(-1));
            query.setString(11, after.map(Position::deviceId).orElse(""));
            if (limit.isPresent()) {
              query.setInt(12, limit.get());
            }
            List<DeviceRow> rows = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
              while (row.next()) {
                rows.add(
                    new DeviceRow(
                        row.getString(1),
                        Optional.ofNullable(row.getString(2)),
                        Optional.ofNullable(row.getString(3)),
                        Optional.ofNullable(row.getString(4)),
                        Optional.ofNullable(row.getString(5)),
                        row.getString(6),
                        row.getInt(7),
                        row.getString(8)));
              }
            }
            return rows;
          }
        });
  }
}
