package dev.fleettrust.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code catalog_proposal} table (migrations/V61); every method runs on the caller's
 * connection.
 */
final class ProposalStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS =
      "id, assessment_id, deployment_id, family, build, capability, current_value::text,"
          + " proposed_value::text, failure_reason, failed_devices, observed_devices,"
          + " failure_reasons::text, status, created_at, decided_at, decided_by, catalog_version";

  private ProposalStore() {}

  /** Where a page of proposals ended. */
  record Position(Instant createdAt, UUID id) {}

  /** Stores a new proposal unless the same finding on the same assessment was proposed before. */
  static void insert(Connection connection, Proposal p) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            """
            INSERT INTO catalog_proposal (id, assessment_id, deployment_id, family, build,
                capability, current_value, proposed_value, failure_reason, failed_devices,
                observed_devices, failure_reasons)
            VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?::jsonb)
            ON CONFLICT ON CONSTRAINT catalog_proposal_once_per_finding DO NOTHING
            """)) {
      insert.setObject(1, p.id());
      insert.setObject(2, p.assessmentId());
      insert.setObject(3, p.deploymentId());
      insert.setString(4, p.family());
      insert.setString(5, p.build());
      insert.setString(6, p.capability());
      insert.setString(7, p.currentValueJson());
      insert.setString(8, p.proposedValueJson());
      insert.setString(9, p.failureReason());
      insert.setArray(10, connection.createArrayOf("text", p.failedDevices().toArray()));
      insert.setLong(11, p.observedDevices());
      insert.setString(12, json(p.failureReasons()));
      insert.executeUpdate();
    }
  }

  static List<Proposal> list(
      Connection connection, Optional<Proposal.Status> status, Optional<Position> after, int limit)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM catalog_proposal WHERE (?::text IS NULL OR status = ?::text)"
                + " AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?")) {
      String s = status.map(Enum::name).orElse(null);
      select.setString(1, s);
      select.setString(2, s);
      select.setTimestamp(3, Timestamp.from(after.map(Position::createdAt).orElse(Instant.EPOCH)));
      select.setObject(4, after.map(Position::id).orElse(new UUID(0, 0)));
      select.setInt(5, limit);
      return proposals(select);
    }
  }

  /** The proposal, its row locked for a decision when {@code forUpdate}. */
  static Optional<Proposal> find(Connection connection, UUID id, boolean forUpdate)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM catalog_proposal WHERE id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
      select.setObject(1, id);
      return proposals(select).stream().findFirst();
    }
  }

  static void decide(
      Connection connection,
      UUID id,
      Proposal.Status status,
      String decidedBy,
      Optional<String> catalogVersion)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE catalog_proposal SET status = ?, decided_at = clock_timestamp(),"
                + " decided_by = ?, catalog_version = ? WHERE id = ?")) {
      update.setString(1, status.name());
      update.setString(2, decidedBy);
      update.setString(3, catalogVersion.orElse(null));
      update.setObject(4, id);
      update.executeUpdate();
    }
  }

  private static List<Proposal> proposals(PreparedStatement select) throws SQLException {
    List<Proposal> found = new ArrayList<>();
    try (ResultSet row = select.executeQuery()) {
      while (row.next()) {
        Timestamp decided = row.getTimestamp(15);
        found.add(
            new Proposal(
                row.getObject(1, UUID.class),
                row.getObject(2, UUID.class),
                row.getObject(3, UUID.class),
                row.getString(4),
                row.getString(5),
                row.getString(6),
                row.getString(7) == null ? "null" : row.getString(7),
                row.getString(8),
                row.getString(9),
                Arrays.stream((Object[]) row.getArray(10).getArray())
                    .map(String.class::cast)
                    .toList(),
                row.getLong(11),
                reasons(row.getString(12)),
                Proposal.Status.valueOf(row.getString(13)),
                row.getTimestamp(14).toInstant(),
                Optional.ofNullable(decided).map(Timestamp::toInstant),
                Optional.ofNullable(row.getString(16)),
                Optional.ofNullable(row.getString(17))));
      }
    }
    return found;
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A proposal value does not write as JSON", e);
    }
  }

  private static List<Proposal.ReasonCount> reasons(String json) {
    try {
      return JSON.readValue(json, new TypeReference<List<Proposal.ReasonCount>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A stored proposal's failure reasons do not read back", e);
    }
  }
}
