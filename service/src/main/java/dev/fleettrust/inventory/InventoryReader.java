package dev.fleettrust.inventory;

import dev.fleettrust.inventory.DeviceViews.DeviceDetails;
import dev.fleettrust.inventory.DeviceViews.DeviceFilter;
import dev.fleettrust.inventory.DeviceViews.DeviceSummary;
import dev.fleettrust.inventory.DeviceViews.EventSummary;
import dev.fleettrust.inventory.DeviceViews.HeldAnchor;
import dev.fleettrust.inventory.DeviceViews.LastSignIn;
import dev.fleettrust.inventory.DeviceViews.Page;
import dev.fleettrust.inventory.DeviceViews.ProvisioningPath;
import dev.fleettrust.inventory.DeviceViews.RejectedEventView;
import dev.fleettrust.inventory.DeviceViews.RejectedFilter;
import dev.fleettrust.inventory.DeviceViews.RejectedKey;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads the inventory for the API: device lists and details, rejected events. */
@Singleton
public final class InventoryReader {
  public static final int LAST_EVENTS = 20;

  /**
   * Sign-ins that changed nothing but times leave the device row alone (migration V13); the newest
   * of them is {@code newest}, or nulls when the row's own sign-in is the newest.
   */
  private static final String NEWEST_SIGN_IN =
      " LEFT JOIN LATERAL "
          + DeviceTable.newestSignInAfter("device.device_id", "device.registered_at")
          + " newest ON true";

  private final TransactionOperations<Connection> transactions;

  InventoryReader(TransactionOperations<Connection> transactions) {
    this.transactions = transactions;
  }

  /** Devices in device ID order after {@code after}, at most {@code limit}. */
  public Page<DeviceSummary, DeviceId> devices(
      DeviceFilter filter, int limit, Optional<DeviceId> after) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT device_id, vendor, model, firmware_build, site, active,"
                + " greatest(state_time, newest.event_time)"
                + " FROM device"
                + NEWEST_SIGN_IN
                + " WHERE true");
    List<Object> parameters = new ArrayList<>();
    condition(sql, parameters, "model", filter.model());
    condition(sql, parameters, "firmware_build", filter.firmware());
    condition(sql, parameters, "site", filter.site());
    if (filter.familyModels().isPresent()) {
      sql.append(" AND model = ANY (?)");
      parameters.add(filter.familyModels().get().toArray(String[]::new));
    }
    if (filter.verdict().isPresent()) {
      // The device's fleet group as the assessment's snapshot saw it (migration V41), or the
      // device IDs an assessment stored before that kept.
      sql.append(
          """
          \s AND (device_id IN (SELECT unnest(g.device_ids) FROM impact_assessment_group g
                               WHERE g.assessment_id = %1$s AND g.verdict = ?)
                OR EXISTS (SELECT 1 FROM fleet_group_member m
                             JOIN impact_assessment_group g
                               ON g.assessment_id = %1$s AND g.fleet_group_id = m.group_id
                             JOIN impact_assessment a ON a.id = g.assessment_id
                            WHERE m.device_id = device.device_id AND g.verdict = ?
                              AND fleet_group_member_in(a.fleet_snapshot, m.joined_xid,
                                                        m.left_xid)))"""
              .formatted(
                  "coalesce(?::uuid, (SELECT l.id FROM impact_assessment l"
                      + " WHERE l.status = 'COMPLETED' ORDER BY l.created_at DESC LIMIT 1))"));
      for (int i = 0; i < 2; i++) {
        parameters.add(filter.assessmentId().map(Object::toString).orElse(null));
        parameters.add(filter.verdict().get());
      }
    }
    if (!filter.includeRetired()) {
      sql.append(" AND active");
    }
    if (after.isPresent()) {
      sql.append(" AND device_id > ?");
      parameters.add(after.get().value());
    }
    sql.append(" ORDER BY device_id LIMIT ?");
    parameters.add(limit + 1);
    List<DeviceSummary> items =
        read(
            connection -> {
              List<DeviceSummary> found = new ArrayList<>();
              try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                bind(select, parameters);
                try (ResultSet rows = select.executeQuery()) {
                  while (rows.next()) {
                    found.add(
                        new DeviceSummary(
                            new DeviceId(rows.getString(1)),
                            text(rows, 2),
                            text(rows, 3),
                            text(rows, 4),
                            text(rows, 5),
                            rows.getBoolean(6),
                            instant(rows, 7).orElseThrow()));
                  }
                }
              }
              return found;
            });
    return page(items, limit, DeviceSummary::deviceId);
  }

  public Optional<DeviceDetails> device(DeviceId id) {
    return read(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT vendor, model, firmware_build, user_agent, site, active, first_seen_at,"
                      + " greatest(state_time, newest.event_time), retired_at,"
                      + " provisioning_method, last_outcome,"
                      + " coalesce(newest.event_time, registered_at), pool, dialed_fqdn,"
                      + " last_sign_in_site, last_failure_reason, last_tls_alert,"
                      + " coalesce(newest.event_id, last_sign_in_event), profile_hash, created_at"
                      + " FROM device"
                      + NEWEST_SIGN_IN
                      + " WHERE device_id = ?")) {
            select.setString(1, id.value());
            try (ResultSet row = select.executeQuery()) {
              if (!row.next()) {
                return Optional.empty();
              }
              boolean active = row.getBoolean(6);
              Instant lastSeen = instant(row, 8).orElseThrow();
              Optional<LastSignIn> lastSignIn =
                  text(row, 11)
                      .map(
                          outcome -> {
                            try {
                              return new LastSignIn(
                                  SignInOutcome.valueOf(outcome),
                                  instant(row, 12).orElseThrow(),
                                  row.getString(13),
                                  row.getString(14),
                                  row.getString(15),
                                  text(row, 16),
                                  Optional.ofNullable((Integer) row.getObject(17)),
                                  row.getString(18));
                            } catch (SQLException e) {
                              throw new IllegalStateException(e);
                            }
                          });
              return Optional.of(
                  new DeviceDetails(
                      id,
                      text(row, 1),
                      text(row, 2),
                      text(row, 3),
                      text(row, 4),
                      text(row, 5),
                      active,
                      instant(row, 7).or(() -> instantUnchecked(row, 20)).orElse(lastSeen),
                      lastSeen,
                      active ? Optional.empty() : instant(row, 9),
                      text(row, 10).map(ProvisioningMethod::valueOf),
                      provisioningPaths(connection, id),
                      anchors(connection, id),
                      lastEvents(connection, id),
                      lastSignIn,
                      row.getString(19)));
            }
          }
        });
  }

  public Page<RejectedEventView, RejectedKey> rejectedEvents(
      RejectedFilter filter, int limit, Optional<RejectedKey> after) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, received_at, channel, reason, message, field, event_id, event_type,"
                + " subject, topic, kafka_partition, kafka_offset, payload, payload_truncated"
                + " FROM rejected_event WHERE true");
    List<Object> parameters = new ArrayList<>();
    condition(sql, parameters, "reason", filter.reason().map(Enum::name));
    condition(sql, parameters, "channel", filter.channel().map(Enum::name));
    if (filter.since().isPresent()) {
      sql.append(" AND received_at >= ?");
      parameters.add(filter.since().get().atOffset(ZoneOffset.UTC));
    }
    if (after.isPresent()) {
      sql.append(" AND (received_at, id) < (?, ?)");
      parameters.add(after.get().receivedAt().atOffset(ZoneOffset.UTC));
      parameters.add(after.get().id());
    }
    sql.append(" ORDER BY received_at DESC, id DESC LIMIT ?");
    parameters.add(limit + 1);
    List<RejectedEventView> items =
        read(
            connection -> {
              List<RejectedEventView> found = new ArrayList<>();
              try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                bind(select, parameters);
                try (ResultSet rows = select.executeQuery()) {
                  while (rows.next()) {
                    Optional<Rejection.KafkaCoordinates> kafka =
                        text(rows, 10)
                            .map(
                                topic -> {
                                  try {
                                    return new Rejection.KafkaCoordinates(
                                        topic, rows.getInt(11), rows.getLong(12));
                                  } catch (SQLException e) {
                                    throw new IllegalStateException(e);
                                  }
                                });
                    found.add(
                        new RejectedEventView(
                            rows.getObject(1, UUID.class),
                            instant(rows, 2).orElseThrow(),
                            Channel.valueOf(rows.getString(3)),
                            rows.getString(4),
                            rows.getString(5),
                            text(rows, 6),
                            text(rows, 7),
                            text(rows, 8),
                            text(rows, 9),
                            kafka,
                            rows.getString(13),
                            rows.getBoolean(14)));
                  }
                }
              }
              return found;
            });
    return page(items, limit, r -> new RejectedKey(r.receivedAt(), r.id()));
  }

  private static List<ProvisioningPath> provisioningPaths(Connection connection, DeviceId id)
      throws SQLException {
    List<ProvisioningPath> paths = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT method, first_at, last_at, last_site FROM device_provisioning"
                + " WHERE device_id = ? ORDER BY last_at, method")) {
      select.setString(1, id.value());
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          paths.add(
              new ProvisioningPath(
                  ProvisioningMethod.valueOf(rows.getString(1)),
                  instant(rows, 2).orElseThrow(),
                  instant(rows, 3).orElseThrow(),
                  rows.getString(4)));
        }
      }
    }
    return paths;
  }

  private static List<HeldAnchor> anchors(Connection connection, DeviceId id) throws SQLException {
    List<HeldAnchor> anchors = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT c.subject, c.sha256, c.spki_sha256, c.not_after, a.provenance, a.event_time,"
                + " a.event_id FROM device_anchor a JOIN ca_certificate c USING (sha256)"
                + " WHERE a.device_id = ? ORDER BY a.provenance, c.subject, c.sha256")) {
      select.setString(1, id.value());
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          anchors.add(
              new HeldAnchor(
                  rows.getString(1),
                  rows.getString(2),
                  rows.getString(3),
                  instant(rows, 4).orElseThrow(),
                  AnchorProvenance.valueOf(rows.getString(5)),
                  instant(rows, 6).orElseThrow(),
                  rows.getString(7)));
        }
      }
    }
    return anchors;
  }

  private static List<EventSummary> lastEvents(Connection connection, DeviceId id)
      throws SQLException {
    List<EventSummary> events = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT event_id, type, source, event_time, received_at, late FROM device_event"
                + " WHERE device_id = ? ORDER BY event_time DESC, received_at DESC LIMIT "
                + LAST_EVENTS)) {
      select.setString(1, id.value());
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          events.add(
              new EventSummary(
                  rows.getString(1),
                  rows.getString(2),
                  rows.getString(3),
                  instant(rows, 4).orElseThrow(),
                  instant(rows, 5).orElseThrow(),
                  rows.getBoolean(6)));
        }
      }
    }
    return events;
  }

  private interface Read<T> {
    T apply(Connection connection) throws SQLException;
  }

  private <T> T read(Read<T> read) {
    try {
      return transactions.executeRead(status -> read.apply(status.getConnection()));
    } catch (Exception e) {
      throw InventoryStoreException.classify(e);
    }
  }

  private static <T, K> Page<T, K> page(
      List<T> rows, int limit, java.util.function.Function<T, K> key) {
    if (rows.size() <= limit) {
      return new Page<>(rows, Optional.empty());
    }
    List<T> items = rows.subList(0, limit);
    return new Page<>(items, Optional.of(key.apply(items.get(limit - 1))));
  }

  private static void condition(
      StringBuilder sql, List<Object> parameters, String column, Optional<String> value) {
    if (value.isPresent()) {
      sql.append(" AND ").append(column).append(" = ?");
      parameters.add(value.get());
    }
  }

  private static void bind(PreparedStatement statement, List<Object> parameters)
      throws SQLException {
    for (int i = 0; i < parameters.size(); i++) {
      statement.setObject(i + 1, parameters.get(i));
    }
  }

  private static Optional<String> text(ResultSet rows, int column) throws SQLException {
    return Optional.ofNullable(rows.getString(column));
  }

  private static Optional<Instant> instant(ResultSet rows, int column) throws SQLException {
    OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
    return Optional.ofNullable(value).map(OffsetDateTime::toInstant);
  }

  private static Optional<Instant> instantUnchecked(ResultSet rows, int column) {
    try {
      return instant(rows, column);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
