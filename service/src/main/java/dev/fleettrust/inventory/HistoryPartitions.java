package dev.fleettrust.inventory;

import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the monthly partitions of the history tables ({@code device_event}, {@code
 * sign_in_outcome}) in step with time: the months ahead are created in advance, any month a late
 * event needs is created before its batch, and months older than the retention are dropped with the
 * idempotency keys and rejections of the same age.
 */
@Singleton
public final class HistoryPartitions {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryPartitions.class);
  static final List<String> PARTITIONED_TABLES = List.of("device_event", "sign_in_outcome");

  private final TransactionOperations<Connection> transactions;
  private final Duration retention;
  private final int monthsAhead;
  private final Clock clock;
  private final Set<YearMonth> ensured = ConcurrentHashMap.newKeySet();
  private static final TransactionDefinition REQUIRES_NEW =
      TransactionDefinition.of(TransactionDefinition.Propagation.REQUIRES_NEW);

  HistoryPartitions(
      TransactionOperations<Connection> transactions,
      @Value("${fleettrust.inventory.history-retention:P400D}") Duration retention,
      @Value("${fleettrust.inventory.partitions-ahead:3}") int monthsAhead) {
    this.transactions = transactions;
    this.retention = retention;
    this.monthsAhead = monthsAhead;
    this.clock = Clock.systemUTC();
  }

  /** Creates the months these event times fall in, unless this replica already knows they exist. */
  void ensureFor(Collection<Instant> eventTimes) {
    Set<YearMonth> missing = new TreeSet<>();
    for (Instant time : eventTimes) {
      YearMonth month = YearMonth.from(time.atZone(ZoneOffset.UTC));
      if (!ensured.contains(month)) {
        missing.add(month);
      }
    }
    for (YearMonth month : missing) {
      ensureMonths(month, month);
    }
  }

  /** Called when the database says a month is missing after all (pruned by another replica). */
  void forget() {
    ensured.clear();
  }

  /** Creates this month and the configured number ahead; drops what is past the retention. */
  @Scheduled(
      fixedDelay = "${fleettrust.inventory.maintenance-interval:6h}",
      initialDelay = "${fleettrust.inventory.maintenance-initial-delay:5s}")
  void maintain() {
    try {
      YearMonth now = YearMonth.now(clock);
      ensureMonths(now, now.plusMonths(monthsAhead));
      prune(clock.instant().minus(retention));
    } catch (Exception e) {
      // The next run tries again; ingestion creates the months it needs on its own meanwhile.
      LOG.warn("History partition maintenance failed: {}", e.getMessage());
    }
  }

  /** Creates every month from {@code first} to {@code last}; returns how many were new. */
  public int ensureMonths(YearMonth first, YearMonth last) {
    // Its own transaction even inside another: DDL rolled back with a caller's work would leave
    // this replica believing in months that do not exist.
    int created =
        transactions.execute(
            REQUIRES_NEW,
            status -> {
              int count = 0;
              for (String table : PARTITIONED_TABLES) {
                count += callInt(status.getConnection(), ENSURE, table, start(first), start(last));
              }
              return count;
            });
    for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
      ensured.add(month);
    }
    return created;
  }

  /**
   * Drops the months that end on or before {@code before}, with the idempotency keys and rejections
   * older than it, once the device rows no longer depend on the sign-ins in those months. Returns
   * the number of partitions dropped.
   */
  public int prune(Instant before) {
    DeviceTable.foldSignInsBefore(transactions, before);
    int dropped =
        transactions.executeWrite(
            status -> {
              Connection connection = status.getConnection();
              int count = 0;
              for (String table : PARTITIONED_TABLES) {
                count += callInt(connection, DROP, table, before, null);
              }
              try (PreparedStatement keys =
                      connection.prepareStatement(
                          "DELETE FROM ingested_event WHERE event_time < ?");
                  PreparedStatement rejected =
                      connection.prepareStatement(
                          "DELETE FROM rejected_event WHERE received_at < ?")) {
                keys.setObject(1, before.atOffset(ZoneOffset.UTC));
                keys.executeUpdate();
                rejected.setObject(1, before.atOffset(ZoneOffset.UTC));
                rejected.executeUpdate();
              }
              return count;
            });
    if (dropped > 0) {
      ensured.clear();
      LOG.info("Dropped {} history partitions older than {}", dropped, before);
    }
    return dropped;
  }

  private static final String ENSURE =
      "SELECT fleettrust_ensure_monthly_partitions(?::regclass, ?, ?)";
  private static final String DROP =
      "SELECT fleettrust_drop_monthly_partitions_before(?::regclass, ?)";

  private static int callInt(
      Connection connection, String sql, String table, Instant first, Instant second)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, table);
      statement.setObject(2, first.atOffset(ZoneOffset.UTC));
      if (second != null) {
        statement.setObject(3, second.atOffset(ZoneOffset.UTC));
      }
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getInt(1);
      }
    }
  }

  private static Instant start(YearMonth month) {
    return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
