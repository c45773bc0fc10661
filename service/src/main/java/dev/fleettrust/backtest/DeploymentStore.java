package dev.fleettrust.backtest;

import dev.fleettrust.inventory.InventoryStoreException;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Array;
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

/** The {@code assessment_deployment} table (migrations/V60). */
@Singleton
public final class DeploymentStore {
  private static final String COLUMNS =
      "id, assessment_id, deployed_at, change_ref, pools, recorded_by, recorded_at";

  private final TransactionOperations<Connection> transactions;

  DeploymentStore(TransactionOperations<Connection> transactions) {
    this.transactions = transactions;
  }

  /** Where a page of deployments ended. */
  public record Position(Instant deployedAt, UUID id) {}

  public Deployment record(
      UUID assessmentId,
      Instant deployedAt,
      Optional<String> changeRef,
      List<String> pools,
      String recordedBy) {
    return write(
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO assessment_deployment (id, assessment_id, deployed_at, change_ref,"
                      + " pools, recorded_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING "
                      + COLUMNS)) {
            insert.setObject(1, UUID.randomUUID());
            insert.setObject(2, assessmentId);
            insert.setTimestamp(3, Timestamp.from(deployedAt));
            insert.setString(4, changeRef.orElse(null));
            insert.setArray(5, connection.createArrayOf("text", pools.toArray()));
            insert.setString(6, recordedBy);
            try (ResultSet row = insert.executeQuery()) {
              row.next();
              return deployment(row);
            }
          }
        });
  }

  /** The assessment's deployments, earliest first, after {@code after}. */
  public List<Deployment> list(UUID assessmentId, Optional<Position> after, int limit) {
    return read(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM assessment_deployment WHERE assessment_id = ?"
                      + " AND (deployed_at, id) > (?, ?) ORDER BY deployed_at, id LIMIT ?")) {
            select.setObject(1, assessmentId);
            select.setTimestamp(
                2, Timestamp.from(after.map(Position::deployedAt).orElse(Instant.EPOCH)));
            select.setObject(3, after.map(Position::id).orElse(new UUID(0, 0)));
            select.setInt(4, limit);
            return deployments(select);
          }
        });
  }

  public Optional<Deployment> find(UUID id) {
    return read(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT " + COLUMNS + " FROM assessment_deployment WHERE id = ?")) {
            select.setObject(1, id);
            return deployments(select).stream().findFirst();
          }
        });
  }

  /** The earliest deployment of an assessment, the one a backtest checks by default. */
  public Optional<Deployment> earliest(UUID assessmentId) {
    return list(assessmentId, Optional.empty(), 1).stream().findFirst();
  }

  /** Deployments whose window has closed by {@code closedBy} and that were never analysed. */
  List<Deployment> unanalysedBefore(Instant deployedBefore) {
    return read(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM assessment_deployment WHERE analysed_at IS NULL AND deployed_at <= ?"
                      + " ORDER BY deployed_at, id")) {
            select.setTimestamp(1, Timestamp.from(deployedBefore));
            return deployments(select);
          }
        });
  }

  /** Marks the deployment analysed; false when another replica already did. */
  boolean markAnalysed(Connection connection, UUID id) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE assessment_deployment SET analysed_at = clock_timestamp()"
                + " WHERE id = ? AND analysed_at IS NULL")) {
      update.setObject(1, id);
      return update.executeUpdate() == 1;
    }
  }

  private static List<Deployment> deployments(PreparedStatement select) throws SQLException {
    List<Deployment> found = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        found.add(deployment(rows));
      }
    }
    return found;
  }

  private static Deployment deployment(ResultSet row) throws SQLException {
    Array pools = row.getArray(5);
    return new Deployment(
        row.getObject(1, UUID.class),
        row.getObject(2, UUID.class),
        row.getTimestamp(3).toInstant(),
        Optional.ofNullable(row.getString(4)),
        Arrays.stream((Object[]) pools.getArray()).map(String.class::cast).toList(),
        row.getString(6),
        row.getTimestamp(7).toInstant());
  }

  interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  <T> T read(Work<T> work) {
    try {
      return transactions.executeRead(status -> work.apply(status.getConnection()));
    } catch (RuntimeException e) {
      throw InventoryStoreException.classify(e);
    }
  }

  <T> T write(Work<T> work) {
    try {
      return transactions.executeWrite(status -> work.apply(status.getConnection()));
    } catch (RuntimeException e) {
      throw InventoryStoreException.classify(e);
    }
  }
}
