package dev.fleettrust.inventory;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * The database could not take a write. {@link #retryable()} says whether the same write may succeed
 * later (an outage, a deadlock, a restart) or never will (data the schema refuses).
 */
public final class InventoryStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** SQLSTATE classes and codes that describe the database, not the data. */
  private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "57", "58", "40");

  private static final Set<String> TRANSIENT_CODES = Set.of("55P03", "55006");

  private final boolean retryable;
  private final boolean conflict;

  InventoryStoreException(String message, Throwable cause, boolean retryable) {
    this(message, cause, retryable, false);
  }

  private InventoryStoreException(
      String message, Throwable cause, boolean retryable, boolean conflict) {
    super(message, cause);
    this.retryable = retryable;
    this.conflict = conflict;
  }

  /** Another writer changed a row this one read: the same write, started again, succeeds. */
  static InventoryStoreException conflict(String message) {
    return new InventoryStoreException(message, null, true, true);
  }

  public boolean retryable() {
    return retryable;
  }

  /** Whether the write lost a race with another writer (worth an immediate retry). */
  public boolean conflict() {
    return conflict;
  }

  public static InventoryStoreException classify(Throwable failure) {
    if (failure instanceof InventoryStoreException known) {
      return known;
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql) {
        return new InventoryStoreException(describe(sql), failure, isTransient(sql));
      }
    }
    String type = failure.getClass().getName();
    // No connection could be had at all: the pool or the transaction manager gave up first.
    boolean connectionTrouble =
        type.startsWith("io.micronaut.transaction.exceptions.CannotCreateTransaction")
            || type.startsWith("io.micronaut.data.connection.")
            || type.contains("CannotGetJdbcConnection");
    return new InventoryStoreException(
        String.valueOf(failure.getMessage()), failure, connectionTrouble);
  }

  static boolean isTransient(SQLException sql) {
    if (sql instanceof SQLTransientException || sql instanceof SQLRecoverableException) {
      return true;
    }
    String state = sql.getSQLState();
    if (state == null || state.length() != 5) {
      // The driver lost the connection before the server could say anything.
      return true;
    }
    if (isMissingPartition(sql)) {
      return true;
    }
    return TRANSIENT_CLASSES.contains(state.substring(0, 2)) || TRANSIENT_CODES.contains(state);
  }

  /** A month dropped by another replica's pruning while this one still believed it existed. */
  static boolean isMissingPartition(SQLException sql) {
    return "23514".equals(sql.getSQLState())
        && String.valueOf(sql.getMessage()).contains("no partition of relation");
  }

  private static String describe(SQLException sql) {
    return "SQLSTATE " + sql.getSQLState() + ": " + sql.getMessage();
  }
}
