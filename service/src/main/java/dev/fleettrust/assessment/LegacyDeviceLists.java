package dev.fleettrust.assessment;

import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Device lists of assessments stored before migration V41, whose groups hold their device IDs:
 * worst verdict first, then device ID, as they always were listed. Evidence stays readable; new
 * assessments never take this path.
 */
final class LegacyDeviceLists {
  private static final String DEVICES =
      """
      SELECT d.device_id, g.model, g.family, g.build, g.site, g.verdict, g.verdict_rank,
             g.findings::text
        FROM impact_assessment_group g
       CROSS JOIN LATERAL unnest(g.device_ids) AS d(device_id)
       WHERE g.assessment_id = ?
         AND (cardinality(?::text[]) = 0 OR g.verdict = ANY (?::text[]))
         AND (?::text IS NULL OR g.findings @> jsonb_build_array(jsonb_build_object('rule', ?::text)))
         AND (?::text IS NULL OR g.model = ?::text)
         AND (?::text IS NULL OR g.build = ?::text)
         AND (g.verdict_rank, d.device_id) > (?, ?)
       ORDER BY g.verdict_rank, d.device_id
       LIMIT ?
      """;

  private LegacyDeviceLists() {}

  static List<AssessmentStore.DeviceRow> devices(
      TransactionOperations<Connection> transactions,
      UUID id,
      AssessmentStore.DeviceFilter filter,
      Optional<AssessmentStore.Position> after,
      int limit) {
    return transactions.executeRead(
        status -> {
          Connection connection = status.getConnection();
          try (PreparedStatement query = connection.prepareStatement(DEVICES)) {
            var verdicts = connection.createArrayOf("text", filter.verdicts().toArray());
            query.setObject(1, id);
            query.setArray(2, verdicts);
            query.setArray(3, verdicts);
            query.setString(4, filter.rule().orElse(null));
            query.setString(5, filter.rule().orElse(null));
            query.setString(6, filter.model().orElse(null));
            query.setString(7, filter.model().orElse(null));
            query.setString(8, filter.build().orElse(null));
            query.setString(9, filter.build().orElse(null));
            query.setInt(10, after.map(AssessmentStore.Position::listKey).orElse(-1));
            query.setString(11, after.map(AssessmentStore.Position::deviceId).orElse(""));
            query.setInt(12, limit);
            List<AssessmentStore.DeviceRow> rows = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
              while (row.next()) {
                rows.add(
                    new AssessmentStore.DeviceRow(
                        row.getString(1),
                        Optional.ofNullable(row.getString(2)),
                        Optional.ofNullable(row.getString(3)),
                        Optional.ofNullable(row.getString(4)),
                        Optional.ofNullable(row.getString(5)),
                        row.getString(6),
                        row.getInt(7),
                        row.getString(8),
                        row.getInt(7)));
              }
            }
            return rows;
          }
        });
  }
}
