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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.postgresql.PGStatement;

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

  /**
   * What is stored about an assessment itself; JSON columns hold the wire documents.
   *
   * @param completedAt when it completed, failed or was cancelled; null while it is PENDING or
   *     RUNNING
   * @param summaryJson the summary; null unless COMPLETED
   * @param progress profiles simulated of the snapshot's total, for assessments run in the
   *     background
   */
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
      Optional<String> fleetSnapshot,
      Optional<JobProgress> progress,
      Optional<String> errorJson,
      Optional<String> cancelledBy,
      Optional<String> changeRef) {
    public StoredAssessment withProgress(JobProgress now) {
      return new StoredAssessment(
          id,
          status,
          description,
          evaluateAt,
          createdAt,
          createdBy,
          changesJson,
          catalogVersion,
          environmentVersion,
          inventorySnapshotAt,
          completedAt,
          summaryJson,
          fleetSnapshot,
          Optional.of(now),
          errorJson,
          cancelledBy,
          changeRef);
    }
  }

  /** Work that must commit or roll back with the assessment's results (the ITSM message, say). */
  @FunctionalInterface
  public interface InSameTransaction {
    void run(Connection connection) throws SQLException;
  }

  /** Trust profiles simulated of those the snapshot holds. */
  public record JobProgress(int profilesEvaluated, int profilesTotal) {}

  /** One assessment as {@code GET /impact-assessments} lists it. */
  public record ListedAssessment(
      UUID id,
      String status,
      Optional<String> description,
      Instant evaluateAt,
      Instant createdAt,
      String createdBy,
      Optional<Instant> completedAt,
      Optional<String> verdictsJson,
      Optional<Integer> devices,
      Optional<JobProgress> progress) {}

  /** Where the previous page of the assessment list ended (newest first). */
  public record ListPosition(Instant createdAt, UUID id) {}

  /**
   * The result for one fleet group of the snapshot: its verdict, findings (wire JSON, with the
   * distinct rules they name) and how many devices it held; which devices those were follows from
   * the fleet group and the assessment's snapshot.
   */
  public record StoredGroup(
      String profileHash,
      String verdict,
      int verdictRank,
      Optional<String> model,
      Optional<String> family,
      Optional<String> build,
      Optional<String> site,
      String findingsJson,
      List<String> rules,
      long fleetGroupId,
      int devices) {}

  /** One device of an assessment, as listed. */
  public record DeviceRow(
      String deviceId,
      Optional<String> model,
      Optional<String> family,
      Optional<String> build,
      Optional<String> site,
      String verdict,
      int verdictRank,
      String findingsJson,
      int listKey) {}

  /** Which devices to list; empty collections and absent values do not filter. */
  public record DeviceFilter(
      List<String> verdicts,
      Optional<String> rule,
      Optional<String> model,
      Optional<String> build) {}

  /**
   * Where the previous page ended: the group number in list order and the device ID (the verdict
   * rank instead of the group number for assessments stored before migration V41).
   */
  public record Position(int listKey, String deviceId) {}

  /** Stores an assessment that ran synchronously, with its results. */
  public void save(StoredAssessment assessment, List<StoredGroup> groups, InSameTransaction also) {
    transactions.executeWrite(
        status -> {
          Connection connection = status.getConnection();
          insertAssessment(connection, assessment);
          recordResults(connection, assessment.id(), groups, also);
          return null;
        });
  }

  /** Stores an assessment accepted to run in the background: PENDING, with its inputs. */
  public void begin(StoredAssessment pending) {
    transactions.executeWrite(
        status -> {
          insertAssessment(status.getConnection(), pending);
          return null;
        });
  }

  /**
   * Completes a RUNNING assessment with its results; false (and nothing stored) when it is no
   * longer running, e.g. cancelled meanwhile.
   */
  public boolean complete(
      UUID id,
      Instant completedAt,
      String summaryJson,
      List<StoredGroup> groups,
      InSameTransaction also) {
    return transactions.executeWrite(
        status -> {
          Connection connection = status.getConnection();
          try (PreparedStatement update =
              connection.prepareStatement(
                  """
                  UPDATE impact_assessment
                     SET status = 'COMPLETED', completed_at = ?, summary = ?::jsonb,
                         profiles_evaluated = profiles_total, heartbeat_at = now()
                   WHERE id = ? AND status = 'RUNNING'
                  """)) {
            update.setTimestamp(1, Timestamp.from(completedAt));
            update.setString(2, summaryJson);
            update.setObject(3, id);
            if (update.executeUpdate() == 0) {
              return false;
            }
          }
          recordResults(connection, id, groups, also);
          return true;
        });
  }

  /**
   * Every assessment that becomes COMPLETED passes here, inside the transaction that completes it
   * (synchronous or not): the place for anything that must commit with its results.
   */
  private static void recordResults(
      Connection connection, UUID id, List<StoredGroup> groups, InSameTransaction also)
      throws SQLException {
    insertGroups(connection, id, groups);
    also.run(connection);
  }

  /** PENDING to RUNNING; false when it is no longer pending (cancelled before it started). */
  public boolean markRunning(UUID id) {
    return update(
            """
            UPDATE impact_assessment SET status = 'RUNNING', heartbeat_at = now()
             WHERE id = ? AND status = 'PENDING'
            """,
            id)
        == 1;
  }

  /** Records progress; false when the assessment is no longer pending or running. */
  public boolean heartbeat(UUID id, int profilesEvaluated) {
    return update(
            """
            UPDATE impact_assessment SET profiles_evaluated = ?, heartbeat_at = now()
             WHERE id = ? AND status IN ('PENDING', 'RUNNING')
            """,
            profilesEvaluated,
            id)
        == 1;
  }

  /** Cancels a PENDING or RUNNING assessment; false when it had already finished. */
  public boolean cancel(UUID id, String by) {
    return update(
            """
            UPDATE impact_assessment
               SET status = 'CANCELLED', cancelled_by = ?, completed_at = now()
             WHERE id = ? AND status IN ('PENDING', 'RUNNING')
            """,
            by,
            id)
        == 1;
  }

  /** Fails a PENDING or RUNNING assessment with this problem document (JSON). */
  public void fail(UUID id, String errorJson) {
    update(
        """
        UPDATE impact_assessment SET status = 'FAILED', error = ?::jsonb, completed_at = now()
         WHERE id = ? AND status IN ('PENDING', 'RUNNING')
        """,
        errorJson,
        id);
  }

  /**
   * Fails the background assessments no replica has reported on since {@code silentSince}: the
   * replica running them stopped. Returns how many.
   */
  public int failAbandoned(Instant silentSince, String errorJson) {
    return update(
        """
        UPDATE impact_assessment SET status = 'FAILED', error = ?::jsonb, completed_at = now()
         WHERE status IN ('PENDING', 'RUNNING') AND heartbeat_at < ?
        """,
        errorJson,
        Timestamp.from(silentSince));
  }

  /** One UPDATE in its own transaction; returns the rows it changed. */
  private int update(String sql, Object... parameters) {
    return transactions.executeWrite(
        status -> {
          try (PreparedStatement update = status.getConnection().prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
              update.setObject(i + 1, parameters[i]);
            }
            return update.executeUpdate();
          }
        });
  }

  /** Assessments newest first (created, then ID), at most {@code limit}, after {@code after}. */
  public List<ListedAssessment> list(int limit, Optional<ListPosition> after) {
    return transactions.executeRead(
        status -> {
          try (PreparedStatement query =
              status
                  .getConnection()
                  .prepareStatement(
                      """
                      SELECT id, status, description, evaluate_at, created_at, created_by,
                             completed_at, summary -> 'verdicts', (summary ->> 'devices')::int,
                             profiles_evaluated, profiles_total
                        FROM impact_assessment
                       WHERE (created_at, id) < (?, ?)
                       ORDER BY created_at DESC, id DESC
                       LIMIT ?
                      """)) {
            query.setTimestamp(
                1,
                Timestamp.from(
                    after
                        .map(ListPosition::createdAt)
                        .orElse(Instant.parse("9999-01-01T00:00:00Z"))));
            query.setObject(
                2,
                after
                    .map(ListPosition::id)
                    .orElse(UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff")));
            query.setInt(3, limit);
            List<ListedAssessment> rows = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
              while (row.next()) {
                Timestamp completed = row.getTimestamp(7);
                rows.add(
                    new ListedAssessment(
                        row.getObject(1, UUID.class),
                        row.getString(2),
                        Optional.ofNullable(row.getString(3)),
                        row.getTimestamp(4).toInstant(),
                        row.getTimestamp(5).toInstant(),
                        row.getString(6),
                        Optional.ofNullable(completed).map(Timestamp::toInstant),
                        Optional.ofNullable(row.getString(8)),
                        Optional.ofNullable((Integer) row.getObject(9)),
                        progress(row, 10)));
              }
            }
            return rows;
          }
        });
  }

  private static Optional<JobProgress> progress(ResultSet row, int column) throws SQLException {
    Object total = row.getObject(column + 1);
    if (total == null) {
      return Optional.empty();
    }
    Object evaluated = row.getObject(column);
    return Optional.of(
        new JobProgress(evaluated == null ? 0 : (Integer) evaluated, (Integer) total));
  }

  private static void insertAssessment(Connection connection, StoredAssessment a)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            """
            INSERT INTO impact_assessment (id, status, description, evaluate_at, created_at,
                created_by, changes, catalog_version, environment_version, inventory_snapshot_at,
                completed_at, summary, fleet_snapshot, profiles_total, profiles_evaluated,
                heartbeat_at, change_ref)
            VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?::jsonb, ?::pg_snapshot, ?, ?, now(), ?)
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
      insert.setTimestamp(11, a.completedAt() == null ? null : Timestamp.from(a.completedAt()));
      insert.setString(12, a.summaryJson());
      insert.setString(13, a.fleetSnapshot().orElse(null));
      insert.setObject(14, a.progress().map(JobProgress::profilesTotal).orElse(null));
      insert.setObject(15, a.progress().map(JobProgress::profilesEvaluated).orElse(null));
      insert.setString(16, a.changeRef().orElse(null));
      insert.executeUpdate();
    }
  }

  /**
   * Groups in list order (worst verdict first, then model, build, site, fleet group): their
   * position is their {@code group_no}, so that every device page is a range of one index.
   */
  private static void insertGroups(Connection connection, UUID id, List<StoredGroup> unordered)
      throws SQLException {
    List<StoredGroup> groups = new ArrayList<>(unordered);
    groups.sort(LIST_ORDER);
    int n = groups.size();
    Object[] numbers = new Object[n];
    Object[] hashes = new Object[n];
    Object[] verdicts = new Object[n];
    Object[] ranks = new Object[n];
    Object[] models = new Object[n];
    Object[] families = new Object[n];
    Object[] builds = new Object[n];
    Object[] sites = new Object[n];
    Object[] findings = new Object[n];
    Object[] fleetGroups = new Object[n];
    Object[] counts = new Object[n];
    List<Object> ruleNames = new ArrayList<>();
    List<Object> ruleGroups = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StoredGroup g = groups.get(i);
      numbers[i] = i;
      hashes[i] = g.profileHash();
      verdicts[i] = g.verdict();
      ranks[i] = g.verdictRank();
      models[i] = g.model().orElse(null);
      families[i] = g.family().orElse(null);
      builds[i] = g.build().orElse(null);
      sites[i] = g.site().orElse(null);
      findings[i] = g.findingsJson();
      fleetGroups[i] = g.fleetGroupId();
      counts[i] = g.devices();
      for (String rule : g.rules()) {
        ruleNames.add(rule);
        ruleGroups.add(i);
      }
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            """
            INSERT INTO impact_assessment_group (assessment_id, group_no, profile_hash, verdict,
                verdict_rank, model, family, build, site, findings, fleet_group_id, device_count)
            SELECT ?, g.* FROM unnest(?::int4[], ?::text[], ?::text[], ?::int2[], ?::text[],
                ?::text[], ?::text[], ?::text[], ?::jsonb[], ?::int8[], ?::int4[]) AS g
            """)) {
      insert.setObject(1, id);
      insert.setArray(2, connection.createArrayOf("int4", numbers));
      insert.setArray(3, connection.createArrayOf("text", hashes));
      insert.setArray(4, connection.createArrayOf("text", verdicts));
      insert.setArray(5, connection.createArrayOf("int2", ranks));
      insert.setArray(6, connection.createArrayOf("text", models));
      insert.setArray(7, connection.createArrayOf("text", families));
      insert.setArray(8, connection.createArrayOf("text", builds));
      insert.setArray(9, connection.createArrayOf("text", sites));
      insert.setArray(10, connection.createArrayOf("text", findings));
      insert.setArray(11, connection.createArrayOf("int8", fleetGroups));
      insert.setArray(12, connection.createArrayOf("int4", counts));
      insert.executeUpdate();
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            """
            INSERT INTO impact_assessment_group_rule (assessment_id, rule, group_no)
            SELECT ?, r.rule, r.group_no FROM unnest(?::text[], ?::int4[]) AS r(rule, group_no)
            """)) {
      insert.setObject(1, id);
      insert.setArray(2, connection.createArrayOf("text", ruleNames.toArray()));
      insert.setArray(3, connection.createArrayOf("int4", ruleGroups.toArray()));
      insert.executeUpdate();
    }
  }

  private static final Comparator<Optional<String>> ABSENT_LAST =
      Comparator.comparing(o -> o.orElse(null), Comparator.nullsLast(Comparator.naturalOrder()));

  /** The documented order of device lists, down to the fleet group (then device ID within it). */
  static final Comparator<StoredGroup> LIST_ORDER =
      Comparator.comparingInt(StoredGroup::verdictRank)
          .thenComparing(StoredGroup::model, ABSENT_LAST)
          .thenComparing(StoredGroup::build, ABSENT_LAST)
          .thenComparing(StoredGroup::site, ABSENT_LAST)
          .thenComparingLong(StoredGroup::fleetGroupId);

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
                             inventory_snapshot_at, completed_at, summary::text,
                             fleet_snapshot::text, profiles_evaluated, profiles_total,
                             error::text, cancelled_by, change_ref
                        FROM impact_assessment WHERE id = ?
                      """)) {
            query.setObject(1, id);
            try (ResultSet row = query.executeQuery()) {
              if (!row.next()) {
                return Optional.empty();
              }
              Timestamp completed = row.getTimestamp(11);
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
                      completed == null ? null : completed.toInstant(),
                      row.getString(12),
                      Optional.ofNullable(row.getString(13)),
                      progress(row, 14),
                      Optional.ofNullable(row.getString(16)),
                      Optional.ofNullable(row.getString(17)),
                      Optional.ofNullable(row.getString(18))));
            }
          }
        });
  }

  /**
   * At most {@code limit} devices of an assessment after {@code after}, in list order: worst
   * verdict first, then model, build, site, fleet group, device ID. Costs in the page, not the
   * fleet: one index range of the assessment's groups, then one of each group's members.
   */
  public List<DeviceRow> devices(
      StoredAssessment assessment, DeviceFilter filter, Optional<Position> after, int limit) {
    if (assessment.fleetSnapshot().isEmpty()) {
      return LegacyDeviceLists.devices(transactions, assessment.id(), filter, after, limit);
    }
    String snapshot = assessment.fleetSnapshot().get();
    return transactions.executeRead(
        status -> {
          Connection connection = status.getConnection();
          List<DeviceRow> page = new ArrayList<>(limit);
          int fromGroup = after.map(Position::listKey).orElse(0);
          String afterDevice = after.map(Position::deviceId).orElse("");
          while (page.size() < limit) {
            int need = limit - page.size();
            // Every group holds one device or more: need + 1 groups fill the page even when
            // the cursor's group has none left.
            List<GroupRow> groups =
                groups(connection, assessment.id(), filter, fromGroup, need + 1);
            if (groups.isEmpty()) {
              break;
            }
            List<GroupRow> walked = new ArrayList<>();
            int covered = 0;
            // The cursor's group counts whole: when fewer of its devices are left, the next
            // round takes the groups after it.
            for (GroupRow group : groups) {
              walked.add(group);
              covered += group.devices();
              if (covered >= need) {
                break;
              }
            }
            String firstAfter = walked.get(0).groupNo() == fromGroup ? afterDevice : "";
            page.addAll(members(connection, snapshot, walked, firstAfter, need));
            GroupRow last = walked.get(walked.size() - 1);
            if (walked.size() == groups.size() && groups.size() < need + 1) {
              break;
            }
            fromGroup = last.groupNo() + 1;
            afterDevice = "";
          }
          return page.size() > limit ? page.subList(0, limit) : page;
        });
  }

  private record GroupRow(
      int groupNo,
      long fleetGroupId,
      int devices,
      Optional<String> model,
      Optional<String> family,
      Optional<String> build,
      Optional<String> site,
      String verdict,
      int verdictRank,
      String findingsJson) {}

  private static List<GroupRow> groups(
      Connection connection, UUID id, DeviceFilter filter, int fromGroup, int count)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            """
            SELECT g.group_no, g.fleet_group_id, g.device_count, g.model, g.family, g.build,
                   g.site, g.verdict, g.verdict_rank, g.findings::text
            """);
    List<Object> parameters = new ArrayList<>();
    if (filter.rule().isPresent()) {
      sql.append(
          """
            FROM impact_assessment_group_rule r
            JOIN impact_assessment_group g
              ON g.assessment_id = r.assessment_id AND g.group_no = r.group_no
           WHERE r.assessment_id = ? AND r.rule = ? AND r.group_no >= ?
          """);
      parameters.add(id);
      parameters.add(filter.rule().get());
    } else {
      sql.append(
          """
            FROM impact_assessment_group g
           WHERE g.assessment_id = ? AND g.group_no >= ?
          """);
      parameters.add(id);
    }
    parameters.add(fromGroup);
    if (!filter.verdicts().isEmpty()) {
      sql.append(" AND g.verdict = ANY (?)");
      parameters.add(connection.createArrayOf("text", filter.verdicts().toArray()));
    }
    if (filter.model().isPresent()) {
      sql.append(" AND g.model = ?");
      parameters.add(filter.model().get());
    }
    if (filter.build().isPresent()) {
      sql.append(" AND g.build = ?");
      parameters.add(filter.build().get());
    }
    sql.append(filter.rule().isPresent() ? " ORDER BY r.group_no" : " ORDER BY g.group_no");
    sql.append(" LIMIT ?");
    parameters.add(count);
    try (PreparedStatement query = connection.prepareStatement(sql.toString())) {
      plannedForItsValues(query);
      for (int i = 0; i < parameters.size(); i++) {
        query.setObject(i + 1, parameters.get(i));
      }
      List<GroupRow> rows = new ArrayList<>();
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          rows.add(
              new GroupRow(
                  row.getInt(1),
                  row.getLong(2),
                  row.getInt(3),
                  Optional.ofNullable(row.getString(4)),
                  Optional.ofNullable(row.getString(5)),
                  Optional.ofNullable(row.getString(6)),
                  Optional.ofNullable(row.getString(7)),
                  row.getString(8),
                  row.getInt(9),
                  row.getString(10)));
        }
      }
      return rows;
    }
  }

  /**
   * Never a server-side prepared statement, so never PostgreSQL's generic plan: a page's groups and
   * cursor decide which index range is short, and only the actual values show that.
   */
  private static void plannedForItsValues(PreparedStatement query) throws SQLException {
    query.unwrap(PGStatement.class).setPrepareThreshold(0);
  }

  /** The first {@code limit} members of these groups, in group then device order. */
  private static List<DeviceRow> members(
      Connection connection, String snapshot, List<GroupRow> groups, String firstAfter, int limit)
      throws SQLException {
    Object[] fleetGroups = new Object[groups.size()];
    Object[] after = new Object[groups.size()];
    for (int i = 0; i < fleetGroups.length; i++) {
      fleetGroups[i] = groups.get(i).fleetGroupId();
      after[i] = i == 0 ? firstAfter : "";
    }
    try (PreparedStatement query =
        connection.prepareStatement(
            """
            SELECT p.ord, m.device_id
              FROM unnest(?::int8[], ?::text[]) WITH ORDINALITY AS p(group_id, after_device, ord)
             CROSS JOIN LATERAL (
                   SELECT m.device_id FROM fleet_group_member m
                    WHERE m.group_id = p.group_id AND m.device_id > p.after_device
                      AND fleet_group_member_in(?::pg_snapshot, m.joined_xid, m.left_xid)
                    ORDER BY m.device_id
                    LIMIT ?) m
             ORDER BY p.ord, m.device_id
             LIMIT ?
            """)) {
      plannedForItsValues(query);
      query.setArray(1, connection.createArrayOf("int8", fleetGroups));
      query.setArray(2, connection.createArrayOf("text", after));
      query.setString(3, snapshot);
      query.setInt(4, limit);
      query.setInt(5, limit);
      List<DeviceRow> rows = new ArrayList<>();
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          GroupRow g = groups.get(row.getInt(1) - 1);
          rows.add(
              new DeviceRow(
                  row.getString(2),
                  g.model(),
                  g.family(),
                  g.build(),
                  g.site(),
                  g.verdict(),
                  g.verdictRank(),
                  g.findingsJson(),
                  g.groupNo()));
        }
      }
      return rows;
    }
  }
}
