package dev.fleettrust.report;

import dev.fleettrust.itsm.ViolationGroup;
import dev.fleettrust.report.FleetForecast.GroupFinding;
import dev.fleettrust.report.ReportDocument.FirmwareShare;
import dev.fleettrust.report.ReportDocument.Section;
import dev.fleettrust.report.ReportDocument.SectionChange;
import dev.fleettrust.report.ReportDocument.TrendFigure;
import dev.fleettrust.trust.Catalog;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Stores one compliance report in one transaction: the device rows of every section (the lists
 * behind the counts, with the facts as they stood), the counts read back from those rows, the trend
 * against earlier reports, and the document. The sections the inventory alone decides (baseline,
 * stale and unknown, observed failures, resolved) are {@code INSERT … SELECT}s over the device
 * table; only the engine's findings travel from Java, by {@code COPY}.
 */
final class ComplianceReportWriter {
  private static final String DEVICE_COLUMNS =
      "run_id, section, device_id, rule_ids, verdict, horizon_days, model, firmware_build, site,"
          + " user_agent, detail";

  private final Connection connection;
  private final JsonMapper json;
  private final UUID runId;

  ComplianceReportWriter(Connection connection, JsonMapper json, UUID runId) {
    this.connection = connection;
    this.json = json;
    this.runId = runId;
  }

  /** One (model, build) pair of the active fleet with its device count. */
  record FirmwareCount(String model, String build, int devices) {}

  /** Everything that decides a report, gathered before the transaction that writes it. */
  record Inputs(
      LocalDate reportDate,
      Instant generatedAt,
      Catalog catalog,
      long environmentVersion,
      FirmwareBaseline baseline,
      FleetForecast.Forecast forecast,
      List<FleetForecast.RevocationList> crls,
      Duration staleAfter) {}

  static List<FirmwareCount> firmwareCounts(Connection connection) throws SQLException {
    List<FirmwareCount> counts = new ArrayList<>();
    try (PreparedStatement s =
            connection.prepareStatement(
                "SELECT coalesce(model, ''), coalesce(firmware_build, ''), count(*) FROM device"
                    + " WHERE active GROUP BY 1, 2");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        counts.add(new FirmwareCount(r.getString(1), r.getString(2), r.getInt(3)));
      }
    }
    return counts;
  }

  ReportDocument write(Inputs in) throws SQLException, IOException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "INSERT INTO compliance_report (run_id, report_date, generated_at, catalog_version,"
                + " environment_version, document) VALUES (?, ?, ?, ?, ?, '{}'::jsonb)")) {
      s.setObject(1, runId);
      s.setObject(2, in.reportDate());
      s.setTimestamp(3, Timestamp.from(in.generatedAt()));
      s.setString(4, in.catalog().version());
      s.setLong(5, in.environmentVersion());
      s.executeUpdate();
    }
    List<FirmwareCount> firmware = firmwareCounts(connection);
    List<FirmwareShare> distribution = new ArrayList<>();
    List<String> unknownModels = new ArrayList<>();
    writeBaseline(in, firmware, distribution, unknownModels);
    copyFindings(ReportSection.DRIFT, in.forecast().failingToday());
    copyFindings(ReportSection.EXPIRY_HORIZON, in.forecast().horizon());
    insertObservedFailures(in.generatedAt());
    insertStaleAndUnknown(in.generatedAt().minus(in.staleAfter()), unknownModels);
    Optional<Earlier> previous = earlier("report_date < ?", in.reportDate());
    previous.ifPresent(p -> insertResolved(p.runId()));

    Map<String, Map<String, Integer>> rules = ruleCounts();
    Map<String, Integer> devicesBySection = devicesBySection();
    Map<String, Integer> byHorizon = countBy("horizon_days", ReportSection.EXPIRY_HORIZON);
    Map<String, Integer> byVerdict = countBy("verdict", ReportSection.DRIFT);
    int observed =
        rules
            .get(ReportSection.DRIFT.id())
            .getOrDefault(ReportRule.SIGN_IN_FAILURE_OBSERVED.name(), 0);
    int predicted = byVerdict.values().stream().mapToInt(Integer::intValue).sum();
    int both = bothPredictedAndObserved();
    int within30 = byHorizon.getOrDefault("30", 0);
    int within60 = within30 + byHorizon.getOrDefault("60", 0);
    int within90 = within60 + byHorizon.getOrDefault("90", 0);

    Map<String, Integer> headline = new LinkedHashMap<>();
    Map<String, Integer> baselineRules = rules.get(ReportSection.FIRMWARE_BASELINE.id());
    Map<String, Integer> staleRules = rules.get(ReportSection.STALE_UNKNOWN.id());
    headline.put(
        ReportDocument.Figure.belowBaseline.name(),
        baselineRules.getOrDefault(ReportRule.FIRMWARE_BELOW_BASELINE.name(), 0));
    headline.put(
        ReportDocument.Figure.buildsNotInCatalog.name(),
        baselineRules.getOrDefault(ReportRule.FIRMWARE_NOT_IN_CATALOG.name(), 0));
    headline.put(ReportDocument.Figure.failingToday.name(), predicted);
    headline.put(ReportDocument.Figure.signInFailures24h.name(), observed);
    headline.put(ReportDocument.Figure.expiringWithin30Days.name(), within30);
    headline.put(ReportDocument.Figure.expiringWithin60Days.name(), within60);
    headline.put(ReportDocument.Figure.expiringWithin90Days.name(), within90);
    headline.put(
        ReportDocument.Figure.notSeenRecently.name(),
        staleRules.getOrDefault(ReportRule.NOT_SEEN_RECENTLY.name(), 0));
    headline.put(
        ReportDocument.Figure.neverProvisioned.name(),
        staleRules.getOrDefault(ReportRule.NEVER_PROVISIONED.name(), 0));
    headline.put(
        ReportDocument.Figure.modelsNotInCatalog.name(),
        staleRules.getOrDefault(ReportRule.MODEL_NOT_IN_CATALOG.name(), 0));
    headline.put(
        ReportDocument.Figure.unrecognisedUserAgents.name(),
        staleRules.getOrDefault(ReportRule.USER_AGENT_UNRECOGNISED.name(), 0));
    headline.put(
        ReportDocument.Figure.resolvedSinceLastReport.name(),
        devicesBySection.getOrDefault(ReportSection.RESOLVED.id(), 0));

    List<Section> sections = new ArrayList<>();
    for (ReportSection section : ReportSection.values()) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      switch (section) {
        case DRIFT -> {
          counts.put("failingToday", predicted);
          byVerdict.forEach(counts::put);
          counts.put("signInFailures24h", observed);
          counts.put("failingAndObserved", both);
          counts.put("predictedOnly", predicted - both);
          counts.put("observedOnly", observed - both);
        }
        case EXPIRY_HORIZON -> {
          counts.put("within30Days", within30);
          counts.put("within60Days", within60);
          counts.put("within90Days", within90);
        }
        case STALE_UNKNOWN -> counts.put("staleAfterDays", (int) in.staleAfter().toDays());
        default -> {}
      }
      sections.add(
          new Section(
              section.id(),
              section.title(),
              devicesBySection.getOrDefault(section.id(), 0),
              counts,
              rules.get(section.id())));
    }

    Optional<Earlier> lastNight = earlier("report_date = ?", in.reportDate().minusDays(1));
    Optional<Earlier> lastWeek = earlier("report_date = ?", in.reportDate().minusDays(7));
    List<TrendFigure> figures = new ArrayList<>();
    headline.forEach(
        (figure, today) ->
            figures.add(
                new TrendFigure(
                    figure,
                    today,
                    lastNight.map(e -> e.headline().get(figure)).orElse(null),
                    lastWeek.map(e -> e.headline().get(figure)).orElse(null))));
    ReportDocument.Trend trend =
        new ReportDocument.Trend(
            lastNight.map(Earlier::reportDate).orElse(null),
            lastWeek.map(Earlier::reportDate).orElse(null),
            previous.map(Earlier::reportDate).orElse(null),
            figures,
            previous.isPresent() ? changes(previous.get().runId()) : List.of());

    List<ReportDocument.RevocationListDue> crls = new ArrayList<>();
    for (FleetForecast.RevocationList crl : in.crls()) {
      crls.add(
          new ReportDocument.RevocationListDue(
              crl.issuerName(),
              crl.nextUpdate(),
              in.forecast().crlDevices().getOrDefault(crl.issuerName(), 0)));
    }
    List<ReportDocument.Baseline> baselines =
        in.baseline().minimums().stream()
            .map(m -> new ReportDocument.Baseline(m.family(), m.build().text(), m.source().name()))
            .toList();
    int devices = firmware.stream().mapToInt(FirmwareCount::devices).sum();
    ReportDocument document =
        new ReportDocument(
            runId,
            in.reportDate(),
            in.generatedAt(),
            in.catalog().version(),
            in.environmentVersion(),
            devices,
            headline,
            sections,
            baselines,
            crls,
            distribution,
            trend);
    try (PreparedStatement s =
        connection.prepareStatement(
            "UPDATE compliance_report SET document = ?::jsonb WHERE run_id = ?")) {
      s.setString(1, json.writeValueAsString(document));
      s.setObject(2, runId);
      s.executeUpdate();
    }
    return document;
  }

  private void writeBaseline(
      Inputs in,
      List<FirmwareCount> firmware,
      List<FirmwareShare> distribution,
      List<String> unknownModels)
      throws SQLException {
    List<String> models = new ArrayList<>();
    List<String> builds = new ArrayList<>();
    List<String> ruleLists = new ArrayList<>();
    List<String> details = new ArrayList<>();
    Map<String, FirmwareShare> shares = new LinkedHashMap<>();
    for (FirmwareCount count : firmware) {
      FirmwareBaseline.Standing standing =
          in.baseline().stand(in.catalog(), count.model(), count.build());
      if (!standing.modelKnown()) {
        unknownModels.add(count.model());
      }
      boolean below = standing.ruleIds().contains(ReportRule.FIRMWARE_BELOW_BASELINE.name());
      boolean inCatalog =
          standing.modelKnown()
              && !standing.ruleIds().contains(ReportRule.FIRMWARE_NOT_IN_CATALOG.name());
      String key = standing.family().orElse("") + "\u0000" + count.build();
      shares.merge(
          key,
          new FirmwareShare(
              standing.family().orElse(null), count.build(), count.devices(), below, inCatalog),
          (a, b) ->
              new FirmwareShare(
                  a.family(),
                  a.build(),
                  a.devices() + b.devices(),
                  a.belowBaseline(),
                  a.inCatalog()));
      if (standing.ruleIds().isEmpty()) {
        continue;
      }
      models.add(count.model());
      builds.add(count.build());
      ruleLists.add(String.join(",", new TreeSet<>(standing.ruleIds())));
      details.add(
          standing.family().orElse("")
              + standing.minimum().map(m -> " minimum " + m).orElse(" (no baseline)"));
    }
    distribution.addAll(shares.values());
    distribution.sort(
        java.util.Comparator.comparingInt(FirmwareShare::devices)
            .reversed()
            .thenComparing(s -> String.valueOf(s.family()))
            .thenComparing(FirmwareShare::build));
    if (models.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        connection.prepareStatement(
            "INSERT INTO compliance_report_device ("
                + DEVICE_COLUMNS
                + ") SELECT ?, 'firmware-baseline', d.device_id, string_to_array(v.rules, ','),"
                + " NULL, NULL, d.model, d.firmware_build, d.site, d.user_agent, v.detail"
                + " FROM device d JOIN unnest(?::text[], ?::text[], ?::text[], ?::text[])"
                + " AS v(model, build, rules, detail)"
                + " ON coalesce(d.model, '') = v.model AND coalesce(d.firmware_build, '') = v.build"
                + " WHERE d.active")) {
      s.setObject(1, runId);
      s.setArray(2, connection.createArrayOf("text", models.toArray()));
      s.setArray(3, connection.createArrayOf("text", builds.toArray()));
      s.setArray(4, connection.createArrayOf("text", ruleLists.toArray()));
      s.setArray(5, connection.createArrayOf("text", details.toArray()));
      s.executeUpdate();
    }
  }

  /** The engine's findings, group by group, through a staging table joined with the devices. */
  private void copyFindings(ReportSection section, List<GroupFinding> findings)
      throws SQLException {
    if (findings.isEmpty()) {
      return;
    }
    try (var s = connection.createStatement()) {
      s.execute(
          "CREATE TEMP TABLE IF NOT EXISTS report_finding_staging (device_id text COLLATE \"C\","
              + " rule_ids text[], verdict text, horizon_days smallint, detail text)"
              + " ON COMMIT DROP");
      s.execute("TRUNCATE report_finding_staging");
    }
    CopyIn copy =
        connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(
                "COPY report_finding_staging (device_id, rule_ids, verdict, horizon_days, detail)"
                    + " FROM STDIN");
    try {
      StringBuilder rows = new StringBuilder(1 << 16);
      for (GroupFinding finding : findings) {
        String tail =
            "\t{"
                + String.join(",", new TreeSet<>(finding.ruleIds()))
                + "}\t"
                + finding.verdict().name()
                + "\t"
                + finding.horizonDays().map(String::valueOf).orElse("\\N")
                + "\t"
                + copyText(finding.detail())
                + "\n";
        for (String device : finding.group().deviceIds()) {
          rows.append(device).append(tail);
          if (rows.length() > (1 << 16)) {
            flush(copy, rows);
          }
        }
      }
      flush(copy, rows);
      copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
    try (PreparedStatement s =
        connection.prepareStatement(
            "INSERT INTO compliance_report_device ("
                + DEVICE_COLUMNS
                + ") SELECT ?, ?, s.device_id, s.rule_ids, s.verdict, s.horizon_days, d.model,"
                + " d.firmware_build, d.site, d.user_agent, s.detail"
                + " FROM report_finding_staging s JOIN device d ON d.device_id = s.device_id")) {
      s.setObject(1, runId);
      s.setString(2, section.id());
      s.executeUpdate();
    }
  }

  private static void flush(CopyIn copy, StringBuilder rows) throws SQLException {
    byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
    copy.writeToCopy(bytes, 0, bytes.length);
    rows.setLength(0);
  }

  /** COPY text format: backslash, tab and line ends escaped. */
  private static String copyText(String value) {
    StringBuilder sb = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\t' -> sb.append("\\t");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Sign-in failures of the last 24 hours, beside the prediction for the same devices. */
  private void insertObservedFailures(Instant now) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "INSERT INTO compliance_report_device ("
                + DEVICE_COLUMNS
                + ") SELECT ?, 'drift', d.device_id, ARRAY['SIGN_IN_FAILURE_OBSERVED'], NULL, NULL,"
                + " d.model, d.firmware_build, d.site, d.user_agent,"
                + " 'observed: ' || coalesce(f.failure_reason, 'sign-in failed')"
                + " FROM (SELECT DISTINCT ON (device_id) device_id, failure_reason"
                + "         FROM sign_in_outcome WHERE outcome = 'FAILURE'"
                + "          AND event_time > ? AND event_time <= ?"
                + "        ORDER BY device_id, event_time DESC) f"
                + " JOIN device d ON d.device_id = f.device_id WHERE d.active"
                + " ON CONFLICT (run_id, section, device_id) DO UPDATE"
                + " SET rule_ids = compliance_report_device.rule_ids || EXCLUDED.rule_ids,"
                + " detail = concat_ws('; ', nullif(compliance_report_device.detail, ''),"
                + " EXCLUDED.detail)")) {
      s.setObject(1, runId);
      s.setTimestamp(2, Timestamp.from(now.minus(Duration.ofHours(24))));
      s.setTimestamp(3, Timestamp.from(now));
      s.executeUpdate();
    }
  }

  private void insertStaleAndUnknown(Instant seenSince, List<String> unknownModels)
      throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "INSERT INTO compliance_report_device ("
                + DEVICE_COLUMNS
                + ") SELECT ?, 'stale-unknown', d.device_id, r.rules, NULL, NULL, d.model,"
                + " d.firmware_build, d.site, d.user_agent,"
                + " 'last seen ' || coalesce(d.state_time, d.created_at)::text"
                + " FROM device d CROSS JOIN LATERAL (SELECT array_remove(ARRAY["
                + "   CASE WHEN coalesce(d.state_time, d.created_at) < ? AND NOT EXISTS ("
                + "     SELECT 1 FROM sign_in_outcome o WHERE o.device_id = d.device_id"
                + "        AND o.event_time >= ?) THEN 'NOT_SEEN_RECENTLY' END,"
                + "   CASE WHEN d.provisioned_at IS NULL THEN 'NEVER_PROVISIONED' END,"
                + "   CASE WHEN coalesce(d.model, '') = ANY (?) THEN 'MODEL_NOT_IN_CATALOG' END,"
                + "   CASE WHEN d.user_agent IS NOT NULL AND d.vendor IS NULL"
                + "     THEN 'USER_AGENT_UNRECOGNISED' END], NULL) AS rules) r"
                + " WHERE d.active AND cardinality(r.rules) > 0")) {
      s.setObject(1, runId);
      s.setTimestamp(2, Timestamp.from(seenSince));
      s.setTimestamp(3, Timestamp.from(seenSince));
      s.setArray(4, connection.createArrayOf("text", unknownModels.toArray()));
      s.executeUpdate();
    }
  }

  /** Devices listed in a section of the earlier report and not in the same section now. */
  private void insertResolved(UUID earlierRun) {
    try (PreparedStatement s =
        connection.prepareStatement(
            "INSERT INTO compliance_report_device ("
                + DEVICE_COLUMNS
                // One row per device, however many sections it left: a single INSERT may not
                // reach the same (run, section, device) twice.
                + ") SELECT ?, 'resolved', x.device_id, x.rule_ids, x.verdict, NULL, x.model,"
                + " x.firmware_build, x.site, x.user_agent, x.sections"
                + " FROM (SELECT p.device_id,"
                + "   coalesce(array_agg(DISTINCT r.rule ORDER BY r.rule)"
                + "     FILTER (WHERE r.rule IS NOT NULL), '{}') AS rule_ids,"
                + "   min(p.verdict) AS verdict, min(p.model) AS model,"
                + "   min(p.firmware_build) AS firmware_build, min(p.site) AS site,"
                + "   min(p.user_agent) AS user_agent,"
                + "   string_agg(DISTINCT p.section, ', ' ORDER BY p.section) AS sections"
                + "   FROM compliance_report_device p"
                + "   LEFT JOIN LATERAL unnest(p.rule_ids) AS r(rule) ON true"
                + "  WHERE p.run_id = ? AND p.section <> 'resolved' AND NOT EXISTS ("
                + "    SELECT 1 FROM compliance_report_device c WHERE c.run_id = ?"
                + "       AND c.section = p.section AND c.device_id = p.device_id)"
                + "  GROUP BY p.device_id) x"
                + " ORDER BY x.device_id"
                + " ON CONFLICT (run_id, section, device_id) DO UPDATE"
                + " SET rule_ids = compliance_report_device.rule_ids || EXCLUDED.rule_ids,"
                + " detail = compliance_report_device.detail || ', ' || EXCLUDED.detail")) {
      s.setObject(1, runId);
      s.setObject(2, earlierRun);
      s.setObject(3, runId);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, Map<String, Integer>> ruleCounts() throws SQLException {
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    for (ReportSection section : ReportSection.values()) {
      counts.put(section.id(), new LinkedHashMap<>());
    }
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT section, rule, count(*) FROM compliance_report_device, unnest(rule_ids) rule"
                + " WHERE run_id = ? GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2")) {
      s.setObject(1, runId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          counts.get(r.getString(1)).put(r.getString(2), r.getInt(3));
        }
      }
    }
    return counts;
  }

  private Map<String, Integer> devicesBySection() throws SQLException {
    Map<String, Integer> counts = new LinkedHashMap<>();
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT section, count(*) FROM compliance_report_device WHERE run_id = ? GROUP BY 1")) {
      s.setObject(1, runId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          counts.put(r.getString(1), r.getInt(2));
        }
      }
    }
    return counts;
  }

  private Map<String, Integer> countBy(String column, ReportSection section) throws SQLException {
    Map<String, Integer> counts = new LinkedHashMap<>();
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT "
                + column
                + "::text, count(*) FROM compliance_report_device"
                + " WHERE run_id = ? AND section = ? AND "
                + column
                + " IS NOT NULL"
                + " GROUP BY 1 ORDER BY 1")) {
      s.setObject(1, runId);
      s.setString(2, section.id());
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          counts.put(r.getString(1), r.getInt(2));
        }
      }
    }
    return counts;
  }

  private int bothPredictedAndObserved() throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT count(*) FROM compliance_report_device WHERE run_id = ? AND section = 'drift'"
                + " AND verdict IS NOT NULL AND 'SIGN_IN_FAILURE_OBSERVED' = ANY (rule_ids)")) {
      s.setObject(1, runId);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  private List<SectionChange> changes(UUID earlierRun) throws SQLException {
    Map<String, int[]> bySection = new LinkedHashMap<>();
    for (ReportSection section : ReportSection.values()) {
      if (section != ReportSection.RESOLVED) {
        bySection.put(section.id(), new int[3]);
      }
    }
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT c.section, count(*) FILTER (WHERE p.device_id IS NULL),"
                + " count(*) FILTER (WHERE p.device_id IS NOT NULL AND p.rule_ids <> c.rule_ids)"
                + " FROM compliance_report_device c LEFT JOIN compliance_report_device p"
                + "   ON p.run_id = ? AND p.section = c.section AND p.device_id = c.device_id"
                + " WHERE c.run_id = ? AND c.section <> 'resolved' GROUP BY 1")) {
      s.setObject(1, earlierRun);
      s.setObject(2, runId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          int[] c = bySection.get(r.getString(1));
          c[0] = r.getInt(2);
          c[1] = r.getInt(3);
        }
      }
    }
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT left_section, count(*) FROM compliance_report_device d,"
                + " unnest(string_to_array(d.detail, ', ')) left_section"
                + " WHERE d.run_id = ? AND d.section = 'resolved' GROUP BY 1")) {
      s.setObject(1, runId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          int[] c = bySection.get(r.getString(1));
          if (c != null) {
            c[2] = r.getInt(2);
          }
        }
      }
    }
    List<SectionChange> changes = new ArrayList<>();
    bySection.forEach((section, c) -> changes.add(new SectionChange(section, c[0], c[1], c[2])));
    return changes;
  }

  /**
   * The report's violations for the ITSM feed: one group per (rule, model, build) over every
   * section but {@code resolved}, its devices counted once, with the devices per section; the
   * device list links the section that holds most of them.
   */
  List<ViolationGroup> violations(LocalDate reportDate, String publicBaseUrl) throws SQLException {
    List<ViolationGroup> groups = new ArrayList<>();
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT rule, coalesce(model, ''), coalesce(firmware_build, ''),"
                + " count(DISTINCT device_id), array_agg(section ORDER BY section),"
                + " array_agg(n ORDER BY section)"
                + " FROM (SELECT rule, model, firmware_build, section, count(*) n,"
                + "              array_agg(device_id) ids"
                + "         FROM compliance_report_device, unnest(rule_ids) rule"
                + "        WHERE run_id = ? AND section <> 'resolved'"
                + "        GROUP BY 1, 2, 3, 4) per_section, unnest(ids) device_id"
                + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")) {
      s.setObject(1, runId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          String[] sections = (String[]) r.getArray(5).getArray();
          Long[] perSection = (Long[]) r.getArray(6).getArray();
          Map<String, Integer> counts = new LinkedHashMap<>();
          String busiest = sections[0];
          for (int i = 0; i < sections.length; i++) {
            counts.merge(sections[i], perSection[i].intValue(), Integer::sum);
          }
          for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() > counts.get(busiest)) {
              busiest = e.getKey();
            }
          }
          String rule = r.getString(1);
          String model = r.getString(2);
          String build = r.getString(3);
          int devices = r.getInt(4);
          groups.add(
              new ViolationGroup(
                  rule,
                  model,
                  build,
                  devices,
                  counts,
                  devices
                      + " "
                      + (model.isEmpty() ? "devices" : model)
                      + " on "
                      + (build.isEmpty() ? "an unknown build" : build)
                      + ": "
                      + rule,
                  URI.create(
                      publicBaseUrl.replaceAll("/+$", "")
                          + "/api/v1/reports/compliance/"
                          + reportDate
                          + "/devices?section="
                          + busiest)));
        }
      }
    }
    return groups;
  }

  /** An earlier report: its run, date and headline figures. */
  private record Earlier(UUID runId, LocalDate reportDate, Map<String, Integer> headline) {}

  /** The newest report matching {@code condition} on {@code report_date}. */
  private Optional<Earlier> earlier(String condition, LocalDate date) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT run_id, report_date, document -> 'headline' FROM compliance_report WHERE "
                + condition
                + " AND run_id <> ? ORDER BY report_date DESC, generated_at DESC LIMIT 1")) {
      s.setObject(1, date);
      s.setObject(2, runId);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        Map<String, Integer> headline = new LinkedHashMap<>();
        String text = r.getString(3);
        if (text != null) {
          try {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = json.readValue(text, Map.class);
            values.forEach((k, v) -> headline.put(k, ((Number) v).intValue()));
          } catch (IOException e) {
            throw new IllegalStateException("compliance_report.document is not JSON", e);
          }
        }
        return Optional.of(
            new Earlier(r.getObject(1, UUID.class), r.getObject(2, LocalDate.class), headline));
      }
    }
  }
}
