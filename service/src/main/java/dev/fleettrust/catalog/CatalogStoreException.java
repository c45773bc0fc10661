package dev.fleettrust.catalog;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * The {@code catalog_edit} table could not be read or written. {@link #retryable()} says whether
 * the same call may succeed later (PostgreSQL down or restarting) or never will.
 */
public final class CatalogStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "57", "58", "40");

  private final boolean retryable;

  CatalogStoreException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }

  static CatalogStoreException classify(Throwable failure) {
    if (failure instanceof CatalogStoreException known) {
      return known;
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql) {
        String state = sql.getSQLState();
        boolean transientFailure =
            sql instanceof SQLTransientException
                || sql instanceof SQLRecoverableException
                || state == null
                || state.length() != 5
                || TRANSIENT_CLASSES.contains(state.substring(0, 2));
        return new CatalogStoreException(
            "SQLSTATE " + state + ": " + sql.getMessage(), failure, transientFailure);
      }
    }
    // No SQLException at all: the connection pool or the transaction manager gave up first.
    return new CatalogStoreException(String.valueOf(failure.getMessage()), failure, true);
  }
}
