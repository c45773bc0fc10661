package dev.fleettrust.environment;

import dev.fleettrust.inventory.InventoryStoreException;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/** The {@code environment_revision} table (migrations/V21): one row per {@code PUT}. */
@Singleton
final class EnvironmentRevisionStore {
  /** Serialises writers across replicas so that revision numbers never collide. */
  private static final long WRITE_LOCK = 0x46545f454e56L;

  private final TransactionOperations<Connection> transactions;

  EnvironmentRevisionStore(TransactionOperations<Connection> transactions) {
    this.transactions = transactions;
  }

  /** A stored row, the document still as JSON text. */
  record Row(long version, String document, Instant updatedAt, String updatedBy) {}

  /** The newest revision number, 0 when there is none: the cheap "did anything change" check. */
  long latestVersion() {
    return read(
        connection -> {
          try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT coalesce(max(version), 0) FROM environment_revision");
              ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
          }
        });
  }

  Optional<Row> revision(long version) {
    return read(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT version, document::text, updated_at, updated_by"
                      + " FROM environment_revision WHERE version = ?")) {
            select.setLong(1, version);
            try (ResultSet row = select.executeQuery()) {
              if (!row.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new Row(
                      row.getLong(1),
                      row.getString(2),
                      row.getObject(3, OffsetDateTime.class).toInstant(),
                      row.getString(4)));
            }
          }
        });
  }

  /** Stores {@code document} as the next revision. */
  Row append(String document, String updatedBy) {
    try {
      return transactions.executeWrite(
          status -> {
            Connection connection = status.getConnection();
            try (PreparedStatement lock =
                connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
              lock.setLong(1, WRITE_LOCK);
              lock.execute();
            }
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT INTO environment_revision (version, document, updated_by)"
                        + " SELECT coalesce(max(version), 0) + 1, ?::jsonb, ?"
                        + " FROM environment_revision RETURNING version, updated_at")) {
              insert.setString(1, document);
              insert.setString(2, updatedBy);
              try (ResultSet row = insert.executeQuery()) {
                row.next();
                return new Row(
                    row.getLong(1),
                    document,
                    row.getObject(2, OffsetDateTime.class).toInstant(),
                    updatedBy);
              }
            }
          });
    } catch (RuntimeException e) {
      throw InventoryStoreException.classify(e);
    }
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
