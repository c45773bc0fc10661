package dev.fleettrust.backtest;

/**
 * The one place the backtest reads how an assessment stored its devices: which devices it covered,
 * in which stored group, and each group's predicted verdict, model, family, build and rule IDs.
 * Everything else in this package sees only these two row shapes. Assessments stored before V41
 * list their device IDs per group; later ones hold a fleet group and the membership snapshot they
 * read (ADR 0504), replayed here as the assessment's own device list does.
 */
final class AssessedDevices {
  private AssessedDevices() {}

  /**
   * Rows {@code (group_no integer, device_id text)}: every device of the assessment bound to the
   * statement's one parameter (its UUID).
   */
  static final String MEMBERS =
      """
      SELECT g.group_no, d.device_id
        FROM impact_assessment a
        JOIN impact_assessment_group g ON g.assessment_id = a.id
       CROSS JOIN LATERAL (
             SELECT unnest(g.device_ids) AS device_id WHERE g.device_ids IS NOT NULL
             UNION ALL
             SELECT m.device_id FROM fleet_group_member m
              WHERE g.device_ids IS NULL AND m.group_id = g.fleet_group_id
                AND fleet_group_member_in(a.fleet_snapshot, m.joined_xid, m.left_xid)) d
       WHERE a.id = ?
      """;

  /**
   * Rows {@code (group_no, verdict, model, family, build, rules text[], devices integer)}: the
   * groups of the assessment bound to the statement's one parameter, {@code rules} the distinct
   * rule IDs of the group's findings in ascending order.
   */
  static final String GROUPS =
      """
      SELECT g.group_no, g.verdict, g.model, g.family, g.build,
             ARRAY(SELECT DISTINCT f ->> 'rule' FROM jsonb_array_elements(g.findings) AS f
                    ORDER BY 1) AS rules,
             coalesce(cardinality(g.device_ids), g.device_count) AS devices
        FROM impact_assessment_group g
       WHERE g.assessment_id = ?
      """;
}
