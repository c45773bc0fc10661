package dev.fleettrust.inventory;

import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds the count changes writers append to {@code fleet_group_delta} into {@code
 * fleet_group.device_count} (migration V40). Readers add the unfolded changes, so this only keeps
 * that sum short; it never changes what a snapshot sees: the deleted changes and the updated counts
 * commit together.
 */
@Singleton
public final class FleetGroupCounts {
  private static final Logger LOG = LoggerFactory.getLogger(FleetGroupCounts.class);

  private static final String FOLD =
      """
      WITH folded AS (DELETE FROM fleet_group_delta RETURNING group_id, delta)
      UPDATE fleet_group g SET device_count = g.device_count + f.delta
        FROM (SELECT group_id, sum(delta) AS delta FROM folded GROUP BY group_id) f
       WHERE g.group_id = f.group_id
      """;

  private final TransactionOperations<Connection> transactions;

  FleetGroupCounts(TransactionOperations<Connection> transactions) {
    this.transactions = transactions;
  }

  /** Returns how many groups' counts changed. */
  public int fold() {
    return transactions.executeWrite(
        status -> {
          try (PreparedStatement fold = status.getConnection().prepareStatement(FOLD)) {
            return fold.executeUpdate();
          }
        });
  }

  @Scheduled(
      fixedDelay = "${fleettrust.inventory.fleet-group-fold-interval:5s}",
      initialDelay = "${fleettrust.inventory.fleet-group-fold-interval:5s}")
  void foldNow() {
    try {
      fold();
    } catch (Exception e) {
      // The unfolded changes stay correct; the next run tries again.
      LOG.warn("Folding fleet group counts failed: {}", e.getMessage());
    }
  }
}
