package dev.fleettrust.backtest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * An assessment's predictions set against what its devices did after a go-live (issue 17).
 *
 * @param devices devices of the assessment on the pools the deployment touched
 * @param notDeployed devices of the assessment on pools it did not touch, counted nowhere else
 * @param failedSilently devices counted as failed because they have not signed in at all since
 * @param byVerdict every verdict, worst first
 * @param byModelBuildRule cells per model, build and rule, in that order; a device with findings of
 *     several rules counts under each
 */
public record Backtest(
    Deployment deployment,
    int windowHours,
    Instant windowEnd,
    boolean windowClosed,
    long devices,
    long notDeployed,
    Cells cells,
    OptionalDouble breaksPrecision,
    OptionalDouble breaksRecall,
    long failedSilently,
    List<VerdictRow> byVerdict,
    List<ModelBuildRuleRow> byModelBuildRule) {

  /** The verdicts in list order, worst first. */
  public static final List<String> VERDICTS =
      List.of("BREAKS", "DEGRADED", "AT_RISK", "UNKNOWN", "OK");

  public Backtest {
    Objects.requireNonNull(deployment, "deployment");
    byVerdict = List.copyOf(byVerdict);
    byModelBuildRule = List.copyOf(byModelBuildRule);
  }

  /** The prediction's four outcomes ({@code BREAKS} against {@code OK}) and the devices unseen. */
  public record Cells(
      long predictedBreaksFailed,
      long predictedBreaksSignedIn,
      long predictedOkFailed,
      long predictedOkSignedIn,
      long notSeen) {
    static final Cells NONE = new Cells(0, 0, 0, 0, 0);

    Cells plus(String verdict, Observed observed, long count) {
      boolean breaks = verdict.equals("BREAKS");
      boolean ok = verdict.equals("OK");
      return new Cells(
          predictedBreaksFailed + (breaks && observed == Observed.FAILED ? count : 0),
          predictedBreaksSignedIn + (breaks && observed == Observed.SIGNED_IN ? count : 0),
          predictedOkFailed + (ok && observed == Observed.FAILED ? count : 0),
          predictedOkSignedIn + (ok && observed == Observed.SIGNED_IN ? count : 0),
          notSeen + (observed == Observed.NOT_SEEN ? count : 0));
    }
  }

  public record VerdictRow(
      String verdict,
      long devices,
      long failed,
      long signedIn,
      long notSeen,
      long failedSilently) {}

  public record ModelBuildRuleRow(
      Optional<String> model, Optional<String> build, Optional<String> rule, Cells cells) {}

  /** One stored group of the assessment, as {@link AssessedDevices#GROUPS} reads it. */
  record Group(
      int groupNo,
      String verdict,
      Optional<String> model,
      Optional<String> family,
      Optional<String> build,
      List<String> rules,
      long devices) {}

  /** How many covered devices of one group did what. */
  record GroupCount(int groupNo, Observed observed, boolean silent, long devices) {}

  /** Folds the per-group counts the database aggregated into the answer. */
  static Backtest fold(
      Deployment deployment,
      int windowHours,
      Instant windowEnd,
      boolean windowClosed,
      List<Group> groups,
      List<GroupCount> counts) {
    Map<Integer, Group> byNo = new TreeMap<>();
    long assessed = 0;
    for (Group g : groups) {
      byNo.put(g.groupNo(), g);
      assessed += g.devices();
    }
    Map<String, long[]> verdictTotals = new TreeMap<>();
    Map<List<String>, Cells> detail =
        new TreeMap<>(
            Comparator.<List<String>, String>comparing(k -> k.get(0), NULLS_FIRST)
                .thenComparing(k -> k.get(1), NULLS_FIRST)
                .thenComparing(k -> k.get(2), NULLS_FIRST));
    Cells cells = Cells.NONE;
    long covered = 0;
    long silent = 0;
    long failed = 0;
    for (GroupCount c : counts) {
      Group g = byNo.get(c.groupNo());
      covered += c.devices();
      silent += c.silent() ? c.devices() : 0;
      failed += c.observed() == Observed.FAILED ? c.devices() : 0;
      cells = cells.plus(g.verdict(), c.observed(), c.devices());
      long[] t = verdictTotals.computeIfAbsent(g.verdict(), v -> new long[5]);
      t[0] += c.devices();
      t[1 + c.observed().ordinal()] += c.devices();
      t[4] += c.silent() ? c.devices() : 0;
      List<String> rules = g.rules().isEmpty() ? Collections.singletonList(null) : g.rules();
      for (String rule : rules) {
        List<String> key = Arrays.asList(g.model().orElse(null), g.build().orElse(null), rule);
        detail.merge(key, Cells.NONE.plus(g.verdict(), c.observed(), c.devices()), Backtest::sum);
      }
    }
    List<VerdictRow> verdictRows = new ArrayList<>();
    for (String v : VERDICTS) {
      long[] t = verdictTotals.getOrDefault(v, new long[5]);
      verdictRows.add(new VerdictRow(v, t[0], t[2], t[1], t[3], t[4]));
    }
    List<ModelBuildRuleRow> detailRows = new ArrayList<>();
    detail.forEach(
        (key, value) ->
            detailRows.add(
                new ModelBuildRuleRow(
                    Optional.ofNullable(key.get(0)),
                    Optional.ofNullable(key.get(1)),
                    Optional.ofNullable(key.get(2)),
                    value)));
    long breaksObserved = cells.predictedBreaksFailed() + cells.predictedBreaksSignedIn();
    return new Backtest(
        deployment,
        windowHours,
        windowEnd,
        windowClosed,
        covered,
        assessed - covered,
        cells,
        ratio(cells.predictedBreaksFailed(), breaksObserved),
        ratio(cells.predictedBreaksFailed(), failed),
        silent,
        verdictRows,
        detailRows);
  }

  private static final Comparator<String> NULLS_FIRST =
      Comparator.nullsFirst(Comparator.naturalOrder());

  private static Cells sum(Cells a, Cells b) {
    return new Cells(
        a.predictedBreaksFailed() + b.predictedBreaksFailed(),
        a.predictedBreaksSignedIn() + b.predictedBreaksSignedIn(),
        a.predictedOkFailed() + b.predictedOkFailed(),
        a.predictedOkSignedIn() + b.predictedOkSignedIn(),
        a.notSeen() + b.notSeen());
  }

  private static OptionalDouble ratio(long numerator, long denominator) {
    return denominator == 0
        ? OptionalDouble.empty()
        : OptionalDouble.of((double) numerator / denominator);
  }
}
