package dev.fleettrust.backtest;

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

/**
 * The backtest in SQL. PostgreSQL classifies every covered device (one hash aggregate over the
 * window's sign-ins, joined to the assessment's devices) and hands back counts per stored group and
 * outcome, a few thousand rows however large the fleet; only device pages return devices.
 */
@Singleton
final class BacktestQuery {
  /**
   * The window and the deployment's pools (parameters 1 to 4), the assessment's devices (parameter
   * 5) and groups (parameter 6), and the devices on the pools the deployment touched: the start of
   * every backtest statement. A CTE a statement does not use is never evaluated.
   */
  private static final String COVERED =
      """
      WITH dep AS (
          SELECT ?::timestamptz AS t0, ?::timestamptz AS t1, ?::text[] AS pools,
                 ?::boolean AS closed),
      members AS (%s),
      groups AS (%s),
      covered AS (
          SELECT m.group_no, m.device_id
            FROM members m CROSS JOIN dep
           WHERE cardinality(dep.pools) = 0
              OR EXISTS (SELECT 1 FROM device v
                          WHERE v.device_id = m.device_id AND lower(v.pool) = ANY (dep.pools)))
      """
          .formatted(AssessedDevices.MEMBERS, AssessedDevices.GROUPS);

  /**
   * What each covered device did: {@code observed} is {@code SIGNED_IN}, {@code FAILED}, {@code
   * SILENT} (nothing at all since the go-live, window closed) or {@code NOT_SEEN}.
   */
  private static final String CLASSIFIED =
      COVERED
          + """
          , attempts AS (
              SELECT s.device_id, bool_or(s.outcome = 'SUCCESS') AS signed_in
                FROM sign_in_outcome s CROSS JOIN dep
               WHERE s.event_time >= dep.t0 AND s.event_time < dep.t1
               GROUP BY s.device_id),
          classified AS (
              SELECT c.group_no, c.device_id,
                     CASE WHEN a.signed_in THEN 'SIGNED_IN'
                          WHEN a.signed_in IS NOT NULL THEN 'FAILED'
                          WHEN dep.closed AND NOT EXISTS (
                              SELECT 1 FROM sign_in_outcome l
                               WHERE l.device_id = c.device_id AND l.event_time >= dep.t1)
                              THEN 'SILENT'
                          ELSE 'NOT_SEEN' END AS observed
                FROM covered c CROSS JOIN dep
                LEFT JOIN attempts a ON a.device_id = c.device_id)
          """;

  /** The window a backtest looks at. */
  record Window(Deployment deployment, Instant end, boolean closed) {}

  List<Backtest.Group> groups(Connection connection, UUID assessmentId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(AssessedDevices.GROUPS)) {
      select.setObject(1, assessmentId);
      List<Backtest.Group> groups = new ArrayList<>();
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          groups.add(
              new Backtest.Group(
                  row.getInt(1),
                  row.getString(2),
                  Optional.ofNullable(row.getString(3)),
                  Optional.ofNullable(row.getString(4)),
                  Optional.ofNullable(row.getString(5)),
                  strings(row.getArray(6)),
                  row.getLong(7)));
        }
      }
      return groups;
    }
  }

  List<Backtest.GroupCount> counts(Connection connection, Window window) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            CLASSIFIED
                + " SELECT group_no, observed, count(*) FROM classified GROUP BY group_no, observed")) {
      bindWindow(connection, select, window);
      List<Backtest.GroupCount> counts = new ArrayList<>();
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          String observed = row.getString(2);
          boolean silent = observed.equals("SILENT");
          counts.add(
              new Backtest.GroupCount(
                  row.getInt(1),
                  silent ? Observed.FAILED : Observed.valueOf(observed),
                  silent,
                  row.getLong(3)));
        }
      }
      return counts;
    }
  }

  /**
   * Covered devices matching {@code filter} by device ID after {@code after}. Devices are picked by
   * their group's prediction first, so a page of one cell reads only that cell's devices' sign-ins.
   */
  List<BacktestDevice> devices(
      Connection connection,
      Window window,
      BacktestDeviceFilter filter,
      Optional<String> after,
      int limit)
      throws SQLException {
    String sql =
        COVERED
            + """
        , picked AS (
            SELECT c.device_id, g.*
              FROM covered c JOIN groups g ON g.group_no = c.group_no
             WHERE (cardinality(?::text[]) = 0 OR g.verdict = ANY (?::text[]))
               AND (?::text IS NULL OR g.model = ?::text)
               AND (?::text IS NULL OR g.build = ?::text)
               AND (?::text IS NULL OR ?::text = ANY (g.rules))
               AND c.device_id > ?),
        rows AS (
            SELECT c.device_id, c.model, c.family, c.build, c.verdict, c.rules, x.attempts,
                   x.last_at, x.reason,
                   CASE WHEN x.signed_in THEN 'SIGNED_IN'
                        WHEN x.attempts > 0 THEN 'FAILED'
                        WHEN dep.closed AND NOT EXISTS (
                            SELECT 1 FROM sign_in_outcome l
                             WHERE l.device_id = c.device_id AND l.event_time >= dep.t1)
                            THEN 'SILENT'
                        ELSE 'NOT_SEEN' END AS observed
              FROM picked c CROSS JOIN dep
             CROSS JOIN LATERAL (
                 SELECT count(*) AS attempts, bool_or(s.outcome = 'SUCCESS') AS signed_in,
                        max(s.event_time) AS last_at,
                        (array_agg(s.failure_reason ORDER BY s.event_time DESC)
                            FILTER (WHERE s.outcome = 'FAILURE'))[1] AS reason
                   FROM sign_in_outcome s
                  WHERE s.device_id = c.device_id
                    AND s.event_time >= dep.t0 AND s.event_time < dep.t1) x)
        SELECT device_id, model, family, build, verdict, rules, attempts, last_at, reason, observed
          FROM rows
         WHERE cardinality(?::text[]) = 0
            OR (CASE observed WHEN 'SILENT' THEN 'FAILED' ELSE observed END) = ANY (?::text[])
         ORDER BY device_id
         LIMIT ?
        """;
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      int next = bindWindow(connection, select, window);
      Array verdicts = connection.createArrayOf("text", filter.verdicts().toArray());
      select.setArray(next++, verdicts);
      select.setArray(next++, verdicts);
      for (Optional<String> value : List.of(filter.model(), filter.build(), filter.rule())) {
        select.setString(next++, value.orElse(null));
        select.setString(next++, value.orElse(null));
      }
      select.setString(next++, after.orElse(""));
      Array observed =
          connection.createArrayOf("text", filter.observed().stream().map(Enum::name).toArray());
      select.setArray(next++, observed);
      select.setArray(next++, observed);
      select.setInt(next, limit);
      List<BacktestDevice> rows = new ArrayList<>();
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          String state = row.getString(10);
          boolean silent = state.equals("SILENT");
          Timestamp last = row.getTimestamp(8);
          rows.add(
              new BacktestDevice(
                  row.getString(1),
                  Optional.ofNullable(row.getString(2)),
                  Optional.ofNullable(row.getString(3)),
                  Optional.ofNullable(row.getString(4)),
                  row.getString(5),
                  strings(row.getArray(6)),
                  silent ? Observed.FAILED : Observed.valueOf(state),
                  silent,
                  row.getInt(7),
                  Optional.ofNullable(last).map(Timestamp::toInstant),
                  Optional.ofNullable(row.getString(9))));
        }
      }
      return rows;
    }
  }

  /**
   * For the devices predicted {@code OK} and seen in the window, per family, build and outcome (the
   * failure reason, or null for those that signed in): how many, and which failed.
   */
  record OkOutcome(
      String family, String build, Optional<String> reason, long devices, List<String> failed) {}

  List<OkOutcome> okOutcomes(Connection connection, Window window) throws SQLException {
    String sql =
        COVERED
            + """
        , ok AS (
            SELECT c.device_id, g.family, g.build
              FROM covered c JOIN groups g ON g.group_no = c.group_no
             WHERE g.verdict = 'OK' AND g.family IS NOT NULL AND g.build IS NOT NULL),
        seen AS (
            SELECT ok.device_id, ok.family, ok.build, bool_or(s.outcome = 'SUCCESS') AS signed_in,
                   (array_agg(coalesce(s.failure_reason, '') ORDER BY s.event_time DESC)
                       FILTER (WHERE s.outcome = 'FAILURE'))[1] AS reason
              FROM ok CROSS JOIN dep
              JOIN sign_in_outcome s ON s.device_id = ok.device_id
                   AND s.event_time >= dep.t0 AND s.event_time < dep.t1
             GROUP BY ok.device_id, ok.family, ok.build)
        SELECT family, build, CASE WHEN signed_in THEN NULL ELSE reason END AS outcome, count(*),
               coalesce(array_agg(device_id ORDER BY device_id) FILTER (WHERE NOT signed_in), '{}')
          FROM seen
         GROUP BY 1, 2, 3
         ORDER BY 1, 2, 3
        """;
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      bindWindow(connection, select, window);
      List<OkOutcome> outcomes = new ArrayList<>();
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          outcomes.add(
              new OkOutcome(
                  row.getString(1),
                  row.getString(2),
                  Optional.ofNullable(row.getString(3)),
                  row.getLong(4),
                  strings(row.getArray(5))));
        }
      }
      return outcomes;
    }
  }

  /** Binds the window and the assessment of {@link #COVERED}; returns the next index. */
  private static int bindWindow(Connection connection, PreparedStatement statement, Window window)
      throws SQLException {
    Deployment d = window.deployment();
    statement.setTimestamp(1, Timestamp.from(d.deployedAt()));
    statement.setTimestamp(2, Timestamp.from(window.end()));
    statement.setArray(3, connection.createArrayOf("text", d.pools().toArray()));
    statement.setBoolean(4, window.closed());
    statement.setObject(5, d.assessmentId());
    statement.setObject(6, d.assessmentId());
    return 7;
  }

  private static List<String> strings(Array array) throws SQLException {
    return array == null
        ? List.of()
        : Arrays.stream((Object[]) array.getArray()).map(String.class::cast).toList();
  }
}
