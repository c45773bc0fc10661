package dev.fleettrust.inventory;

import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Reads and writes {@code device} rows as {@link DeviceState}s, one statement per batch each. The
 * column list is declared once, so the SELECT, INSERT and UPDATE cannot drift apart.
 *
 * <p>A writer locks the rows it reads ({@link #SELECT}), and every UPDATE also names the {@code
 * row_version} it read and bumps it. Two writers of one device (a consumer that lost its partitions
 * but has not noticed yet, an HTTP batch) therefore take turns; a row created by another writer
 * between the read and the INSERT sends the batch round again with the new row.
 */
final class DeviceTable {
  private enum Kind {
    TEXT("text"),
    TIME("timestamptz"),
    INT("int4");

    final String sqlType;

    Kind(String sqlType) {
      this.sqlType = sqlType;
    }
  }

  private record Column(
      String name,
      Kind kind,
      Function<DeviceState, Object> get,
      BiConsumer<DeviceState, Object> set) {}

  private static final List<Column> COLUMNS =
      List.of(
          text("vendor", s -> s.vendor, (s, v) -> s.vendor = v),
          time("vendor_at", s -> s.vendorAt, (s, v) -> s.vendorAt = v),
          text("model", s -> s.model, (s, v) -> s.model = v),
          time("model_at", s -> s.modelAt, (s, v) -> s.modelAt = v),
          text("firmware_build", s -> s.firmware, (s, v) -> s.firmware = v),
          time("firmware_at", s -> s.firmwareAt, (s, v) -> s.firmwareAt = v),
          text("user_agent", s -> s.userAgent, (s, v) -> s.userAgent = v),
          time("user_agent_at", s -> s.userAgentAt, (s, v) -> s.userAgentAt = v),
          text("site", s -> s.site, (s, v) -> s.site = v),
          time("site_at", s -> s.siteAt, (s, v) -> s.siteAt = v),
          text("pool", s -> s.pool, (s, v) -> s.pool = v),
          text("dialed_fqdn", s -> s.dialedFqdn, (s, v) -> s.dialedFqdn = v),
          text("last_outcome", s -> s.lastOutcome, (s, v) -> s.lastOutcome = v),
          text("last_failure_reason", s -> s.lastFailureReason, (s, v) -> s.lastFailureReason = v),
          new Column(
              "last_tls_alert",
              Kind.INT,
              s -> s.lastTlsAlert,
              (s, v) -> s.lastTlsAlert = (Integer) v),
          text("last_sign_in_site", s -> s.lastSignInSite, (s, v) -> s.lastSignInSite = v),
          text("last_sign_in_event", s -> s.lastSignInEvent, (s, v) -> s.lastSignInEvent = v),
          time("registered_at", s -> s.registeredAt, (s, v) -> s.registeredAt = v),
          text(
              "provisioning_method", s -> s.provisioningMethod, (s, v) -> s.provisioningMethod = v),
          time("provisioned_at", s -> s.provisionedAt, (s, v) -> s.provisionedAt = v),
          time("retired_at", s -> s.retiredAt, (s, v) -> s.retiredAt = v),
          time("anchors_reset_at", s -> s.anchorsResetAt, (s, v) -> s.anchorsResetAt = v),
          time("reported_at", s -> s.reportedAt, (s, v) -> s.reportedAt = v),
          time("state_time", s -> s.stateTime, (s, v) -> s.stateTime = v),
          time("first_seen_at", s -> s.firstSeenAt, (s, v) -> s.firstSeenAt = v),
          text("profile_hash", s -> s.profileHash, (s, v) -> s.profileHash = v));

  private static final String NAMES =
      String.join(", ", COLUMNS.stream().map(Column::name).toList());

  /**
   * Locks the rows it reads until the transaction ends: a sign-in that changes nothing leaves its
   * row alone, so the lock (not a version check) is what keeps another writer from changing the row
   * between this read and the commit of that sign-in.
   */
  static final String SELECT =
      "SELECT device_id, row_version, "
          + NAMES
          + " FROM device WHERE device_id = ANY(?::text[]) ORDER BY device_id FOR NO KEY UPDATE";

  /**
   * The sign-ins of each device after the one that last wrote its row (see {@link
   * DeviceState#catchUpSignIns}). A separate statement from {@link #SELECT}, run after it: once the
   * rows are locked, a new statement sees every sign-in committed by a writer it waited for.
   */
  static final String NEWEST_SIGN_IN =
      "SELECT v.device_id, s.event_time, s.event_id"
          + " FROM unnest(?::text[], ?::text[]::timestamptz[]) AS v(device_id, written_at)"
          + " CROSS JOIN LATERAL "
          + newestSignInAfter("v.device_id", "v.written_at")
          + " s";

  /**
   * The newest sign-in ({@code event_time}, {@code event_id}) of the device {@code deviceId} after
   * {@code after}, both SQL expressions: one definition for the writer and the readers, so they
   * name the same event when two share a time.
   */
  static String newestSignInAfter(String deviceId, String after) {
    return "(SELECT event_time, event_id FROM sign_in_outcome s WHERE s.device_id = "
        + deviceId
        + " AND s.event_time > "
        + after
        + " ORDER BY s.event_time DESC, s.event_id DESC LIMIT 1)";
  }

  /** As {@link #NEWEST_SIGN_IN}, with the newest sign-in that carried each optional part. */
  static final String NEWER_SIGN_INS =
      "SELECT v.device_id, s.newest, s.newest_event_id, s.vendor_at, s.model_at, s.firmware_at,"
          + " s.user_agent_at"
          + " FROM unnest(?::text[], ?::text[]::timestamptz[]) AS v(device_id, written_at)"
          + " CROSS JOIN LATERAL (SELECT max(event_time) AS newest,"
          + "  (array_agg(event_id ORDER BY event_time DESC, event_id DESC))[1] AS newest_event_id,"
          + "  max(event_time) FILTER (WHERE vendor IS NOT NULL) AS vendor_at,"
          + "  max(event_time) FILTER (WHERE model IS NOT NULL) AS model_at,"
          + "  max(event_time) FILTER (WHERE firmware_build IS NOT NULL) AS firmware_at,"
          + "  max(event_time) FILTER (WHERE user_agent IS NOT NULL) AS user_agent_at"
          + "  FROM sign_in_outcome s"
          + "  WHERE s.device_id = v.device_id AND s.event_time > v.written_at) s"
          + " WHERE s.newest IS NOT NULL";

  /**
   * Rows to write are first copied into this session's staging table with {@code COPY}, then
   * inserted or applied from it in one statement: one way to write any set of columns, instead of
   * some thirty arrays bound per statement (the benchmark showed no difference in CPU either way).
   */
  private static final String STAGE =
      "CREATE TEMP TABLE IF NOT EXISTS device_stage (device_id text COLLATE \"C\" NOT NULL,"
          + " read_version bigint NOT NULL, "
          + String.join(", ", COLUMNS.stream().map(c -> c.name() + " " + c.kind().sqlType).toList())
          + ")";

  private static final String STAGE_COLUMNS =
      "device_stage (device_id, read_version, " + NAMES + ")";

  static final String INSERT =
      "INSERT INTO device (device_id, "
          + NAMES
          + ") SELECT device_id, "
          + NAMES
          + " FROM device_stage ORDER BY device_id"
          + " ON CONFLICT (device_id) DO NOTHING RETURNING device_id";

  static final String UPDATE =
      "UPDATE device d SET "
          + String.join(", ", COLUMNS.stream().map(c -> c.name() + " = s." + c.name()).toList())
          + ", row_version = d.row_version + 1, updated_at = now()"
          + " FROM device_stage s"
          + " WHERE d.device_id = s.device_id AND d.row_version = s.read_version";

  private static final int FOLD_CHUNK = 5_000;

  private DeviceTable() {}

  /** The stored rows of these devices; devices without a row are absent. */
  static Map<DeviceId, DeviceState> read(Connection connection, Collection<DeviceId> devices)
      throws SQLException {
    Map<DeviceId, DeviceState> rows = new HashMap<>();
    if (devices.isEmpty()) {
      return rows;
    }
    try (PreparedStatement select = connection.prepareStatement(SELECT)) {
      select.setArray(
          1, SqlArrays.text(connection, devices.stream().map(DeviceId::value).sorted().toList()));
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          DeviceState state =
              DeviceState.stored(new DeviceId(result.getString(1)), result.getLong(2));
          int index = 3;
          for (Column column : COLUMNS) {
            column.set().accept(state, value(result, index++, column.kind()));
          }
          rows.put(state.deviceId, state);
        }
      }
    }
    return rows;
  }

  /**
   * The rows as they stand once the sign-ins that left them alone are counted: each stored row
   * (copied) with its sign-in registers, site and state time brought up to the newest sign-in in
   * {@code sign_in_outcome}. The times of the optional parts are not: see {@link
   * #withNewerSignInParts} for the rows that will be written.
   */
  static Map<DeviceId, DeviceState> withNewestSignIn(
      Connection connection, Map<DeviceId, DeviceState> stored) throws SQLException {
    return caughtUp(
        connection,
        NEWEST_SIGN_IN,
        stored,
        stored.keySet(),
        rows ->
            new DeviceState.NewerSignIns(
                instant(rows, 2).orElseThrow(),
                rows.getString(3),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty()));
  }

  /** As {@link #withNewestSignIn}, with the times of the optional parts too, for these devices. */
  static Map<DeviceId, DeviceState> withNewerSignInParts(
      Connection connection, Map<DeviceId, DeviceState> stored, Collection<DeviceId> devices)
      throws SQLException {
    return caughtUp(
        connection,
        NEWER_SIGN_INS,
        stored,
        devices,
        rows ->
            new DeviceState.NewerSignIns(
                instant(rows, 2).orElseThrow(),
                rows.getString(3),
                instant(rows, 4),
                instant(rows, 5),
                instant(rows, 6),
                instant(rows, 7)));
  }

  private interface SignInsMapper {
    DeviceState.NewerSignIns read(ResultSet rows) throws SQLException;
  }

  private static Map<DeviceId, DeviceState> caughtUp(
      Connection connection,
      String sql,
      Map<DeviceId, DeviceState> stored,
      Collection<DeviceId> devices,
      SignInsMapper mapper)
      throws SQLException {
    Map<DeviceId, DeviceState> current = new HashMap<>();
    List<String> ids = new ArrayList<>();
    List<Instant> writtenAt = new ArrayList<>();
    for (DeviceId device : devices) {
      DeviceState state = stored.get(device);
      current.put(device, state.copy());
      if (state.registeredAt != null) {
        ids.add(device.value());
        writtenAt.add(state.registeredAt);
      }
    }
    if (ids.isEmpty()) {
      return current;
    }
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setArray(1, SqlArrays.text(connection, ids));
      select.setArray(2, SqlArrays.times(connection, writtenAt));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          current.get(new DeviceId(rows.getString(1))).catchUpSignIns(mapper.read(rows));
        }
      }
    }
    return current;
  }

  /**
   * Writes into the device rows the newest sign-ins that left them alone, for every device whose
   * row was last written by a sign-in before {@code before}: run before history older than that is
   * dropped, so that no row depends on a sign-in that is gone. Returns the number of rows written.
   */
  static int foldSignInsBefore(TransactionOperations<Connection> transactions, Instant before) {
    int written = 0;
    String after = "";
    while (true) {
      String from = after;
      List<DeviceId> devices =
          transactions.executeRead(
              status -> devicesWrittenBefore(status.getConnection(), before, from));
      if (devices.isEmpty()) {
        return written;
      }
      written +=
          transactions.executeWrite(
              status -> {
                Connection connection = status.getConnection();
                Map<DeviceId, DeviceState> stored = read(connection, devices);
                List<DeviceState> caughtUp = new ArrayList<>();
                withNewerSignInParts(connection, stored, stored.keySet())
                    .forEach(
                        (id, current) -> {
                          if (current.differsFrom(stored.get(id))) {
                            caughtUp.add(current);
                          }
                        });
                if (!update(connection, caughtUp)) {
                  throw InventoryStoreException.conflict("A device changed under its row lock");
                }
                return caughtUp.size();
              });
      after = devices.get(devices.size() - 1).value();
    }
  }

  private static List<DeviceId> devicesWrittenBefore(
      Connection connection, Instant before, String after) throws SQLException {
    List<DeviceId> devices = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT device_id FROM device"
                + " WHERE registered_at < ? AND device_id > ? ORDER BY device_id LIMIT ?")) {
      select.setObject(1, before.atOffset(java.time.ZoneOffset.UTC));
      select.setString(2, after);
      select.setInt(3, FOLD_CHUNK);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          devices.add(new DeviceId(rows.getString(1)));
        }
      }
    }
    return devices;
  }

  /**
   * Inserts new devices. Returns false when another writer created one of them first, in which case
   * the caller's picture of that device is wrong and its batch must start again.
   */
  static boolean insert(Connection connection, List<DeviceState> states) throws SQLException {
    if (states.isEmpty()) {
      return true;
    }
    stage(connection, states);
    int inserted = 0;
    try (PreparedStatement insert = connection.prepareStatement(INSERT);
        ResultSet rows = insert.executeQuery()) {
      while (rows.next()) {
        inserted++;
      }
    }
    return inserted == states.size();
  }

  /**
   * Writes changed rows, each only if still at the version it was read at. Returns false when
   * another writer got there first.
   */
  static boolean update(Connection connection, List<DeviceState> states) throws SQLException {
    if (states.isEmpty()) {
      return true;
    }
    stage(connection, states);
    try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
      return update.executeUpdate() == states.size();
    }
  }

  private static void stage(Connection connection, List<DeviceState> states) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(STAGE);
      statement.execute("TRUNCATE device_stage");
    }
    CopyRows rows = new CopyRows(states.size());
    for (DeviceState state : states) {
      rows.text(state.deviceId.value()).integer(state.version);
      for (Column column : COLUMNS) {
        Object value = column.get().apply(state);
        switch (column.kind()) {
          case TEXT -> rows.text((String) value);
          case TIME -> rows.time((Instant) value);
          case INT -> rows.integer((Integer) value);
        }
      }
      rows.endRow();
    }
    rows.copyInto(connection, STAGE_COLUMNS);
  }

  private static Optional<Instant> instant(ResultSet rows, int index) throws SQLException {
    OffsetDateTime time = rows.getObject(index, OffsetDateTime.class);
    return Optional.ofNullable(time).map(OffsetDateTime::toInstant);
  }

  private static Object value(ResultSet rows, int index, Kind kind) throws SQLException {
    return switch (kind) {
      case TEXT -> rows.getString(index);
      case INT -> (Integer) rows.getObject(index);
      case TIME -> {
        OffsetDateTime time = rows.getObject(index, OffsetDateTime.class);
        yield time == null ? null : time.toInstant();
      }
    };
  }

  private static Column text(
      String name, Function<DeviceState, String> get, BiConsumer<DeviceState, String> set) {
    return new Column(name, Kind.TEXT, get::apply, (s, v) -> set.accept(s, (String) v));
  }

  private static Column time(
      String name, Function<DeviceState, Instant> get, BiConsumer<DeviceState, Instant> set) {
    return new Column(name, Kind.TIME, get::apply, (s, v) -> set.accept(s, (Instant) v));
  }
}
