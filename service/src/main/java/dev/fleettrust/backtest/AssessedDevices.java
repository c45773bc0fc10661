package dev.fleettrust.backtest;

/**
 * The one place the backtest reads how an assessment stored its devices: which devices it covered,
 * in which stored group, and each group's predicted verdict, model, family, build and rule IDs.
 * Everything else in this package sees only these two row shapes, so a change of assessment storage
 * (issue 12 stores fleet-group counts with a membership snapshot instead of device ID arrays) is
 * adapted here alone.
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
        FROM impact_assessment_group g
       CROSS JOIN LATERAL unnest(g.device_ids) AS d(device_id)
       WHERE g.assessment_id = ?
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
             cardinality(g.device_ids) AS devices
        FROM impact_assessment_group g
       WHERE g.assessment_id = ?
      """;
}
