package dev.fleettrust.catalog;

import dev.fleettrust.inventory.InventoryStoreException;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The {@code catalog_edit} table (migrations/V20): every catalog PUT, in order. */
@Singleton
final class CatalogEditStore {
  /** Serialises catalog writers across replicas, so edit IDs follow commit order. */
  private static final long WRITE_LOCK = 0x46545f434154414cL;

  private final TransactionOperations<Connection> transactions;

  CatalogEditStore(TransactionOperations<Connection> transactions) {
    this.transactions = transactions;
  }

  /** How many edits there are and the newest one's ID: the cheap "did anything change" check. */
  record Stamp(long count, long lastId) {}

  record StoredEdit(long id, CatalogEditSpec.Kind kind, String key, String document) {}

  interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  Stamp stamp() {
    return read(CatalogEditStore::stamp);
  }

  List<StoredEdit> editsAfter(long id) {
    return read(connection -> editsAfter(connection, id));
  }

  /** Runs {@code work} in one transaction holding the catalog write lock. */
  <T> T locked(Work<T> work) {
    try {
      return transactions.executeWrite(
          status -> {
            Connection connection = status.getConnection();
            try (PreparedStatement lock =
                connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
              lock.setLong(1, WRITE_LOCK);
              lock.execute();
            }
            return work.apply(connection);
          });
    } catch (RuntimeException e) {
      throw InventoryStoreException.classify(e);
    }
  }

  static Stamp stamp(Connection connection) throws SQLException {
    try (PreparedStatement select =
            connection.prepareStatement("SELECT count(*), coalesce(max(id), 0) FROM catalog_edit");
        ResultSet row = select.executeQuery()) {
      row.next();
      return new Stamp(row.getLong(1), row.getLong(2));
    }
  }

  static List<StoredEdit> editsAfter(Connection connection, long id) throws SQLException {
    List<StoredEdit> edits = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT id, kind, key, document::text FROM catalog_edit WHERE id > ? ORDER BY id")) {
      select.setLong(1, id);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          edits.add(
              new StoredEdit(
                  rows.getLong(1),
                  CatalogEditSpec.Kind.valueOf(rows.getString(2)),
                  rows.getString(3),
                  rows.getString(4)));
        }
      }
    }
    return edits;
  }

  /** Appends an edit; returns its ID. */
  static long insert(Connection connection, CatalogEditSpec spec, String createdBy)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO catalog_edit (kind, key, document, created_by)"
                + " VALUES (?, ?, ?::jsonb, ?) RETURNING id")) {
      insert.setString(1, spec.kind().name());
      insert.setString(2, spec.key());
      insert.setString(3, CatalogDocuments.writeStored(spec));
      insert.setString(4, createdBy);
      try (ResultSet row = insert.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private <T> T read(Work<T> work) {
    try {
      return transactions.executeRead(status -> work.apply(status.getConnection()));
    } catch (RuntimeException e) {
      throw InventoryStoreException.classify(e);
    }
  }
}
