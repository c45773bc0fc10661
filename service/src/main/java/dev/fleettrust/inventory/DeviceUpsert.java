package dev.fleettrust.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * The device upsert, built once from the list of state parts so that its SET list and its {@code
 * WHERE … IS DISTINCT FROM} guard cannot drift apart. Each part is one or more value columns and
 * the time column of the event that set them (migration V2); the other columns only ever move
 * forward in time.
 */
final class DeviceUpsert {
  private record Part(String timeColumn, List<String> valueColumns) {}

  private static final List<Part> PARTS =
      List.of(
          new Part("vendor_at", List.of("vendor")),
          new Part("model_at", List.of("model")),
          new Part("firmware_at", List.of("firmware_build")),
          new Part("user_agent_at", List.of("user_agent")),
          new Part("site_at", List.of("site")),
          new Part(
              "registered_at",
              List.of(
                  "pool",
                  "dialed_fqdn",
                  "last_outcome",
                  "last_failure_reason",
                  "last_tls_alert",
                  "last_sign_in_site",
                  "last_sign_in_event")),
          new Part("provisioned_at", List.of("provisioning_method")));

  private static final List<String> LATEST =
      List.of("retired_at", "anchors_reset_at", "reported_at", "state_time");

  private static final List<String> EARLIEST = List.of("first_seen_at");

  /** Insert columns in the order of the statement's parameters (one array each). */
  static final List<String> COLUMNS =
      List.of(
          "device_id",
          "vendor",
          "vendor_at",
          "model",
          "model_at",
          "firmware_build",
          "firmware_at",
          "user_agent",
          "user_agent_at",
          "site",
          "site_at",
          "pool",
          "dialed_fqdn",
          "last_outcome",
          "last_failure_reason",
          "last_tls_alert",
          "last_sign_in_site",
          "last_sign_in_event",
          "registered_at",
          "provisioning_method",
          "provisioned_at",
          "retired_at",
          "anchors_reset_at",
          "reported_at",
          "state_time",
          "first_seen_at",
          "profile_hash");

  static final String SQL = build();

  private DeviceUpsert() {}

  private static String build() {
    List<String> targets = new ArrayList<>();
    List<String> expressions = new ArrayList<>();
    for (Part part : PARTS) {
      String newer =
          "fleettrust_newer(excluded." + part.timeColumn() + ", d." + part.timeColumn() + ")";
      for (String column : part.valueColumns()) {
        targets.add(column);
        expressions.add(
            "CASE WHEN " + newer + " THEN excluded." + column + " ELSE d." + column + " END");
      }
      targets.add(part.timeColumn());
      expressions.add(greatest(part.timeColumn()));
    }
    for (String column : LATEST) {
      targets.add(column);
      expressions.add(greatest(column));
    }
    for (String column : EARLIEST) {
      targets.add(column);
      expressions.add("least(d." + column + ", excluded." + column + ")");
    }
    StringBuilder sql = new StringBuilder("INSERT INTO device AS d (");
    sql.append(String.join(", ", COLUMNS)).append(") SELECT * FROM unnest(");
    for (int i = 0; i < COLUMNS.size(); i++) {
      String column = COLUMNS.get(i);
      boolean time = column.endsWith("_at") || column.equals("state_time");
      String type =
          time
              ? "?::text[]::timestamptz[]"
              : column.equals("last_tls_alert") ? "?::int4[]" : "?::text[]";
      sql.append(i == 0 ? "" : ", ").append(type);
    }
    sql.append(") ON CONFLICT (device_id) DO UPDATE SET ");
    for (int i = 0; i < targets.size(); i++) {
      sql.append(targets.get(i)).append(" = ").append(expressions.get(i)).append(", ");
    }
    sql.append("updated_at = now() WHERE (");
    sql.append(String.join(", ", targets.stream().map(t -> "d." + t).toList()));
    sql.append(") IS DISTINCT FROM (").append(String.join(", ", expressions)).append(")");
    sql.append(
        " RETURNING device_id, (xmax = 0) AS inserted, model, firmware_build, site,"
            + " provisioning_method, profile_hash");
    return sql.toString();
  }

  private static String greatest(String column) {
    return "greatest(d." + column + ", excluded." + column + ")";
  }
}
