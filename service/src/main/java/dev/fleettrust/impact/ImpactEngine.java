package dev.fleettrust.impact;

import dev.fleettrust.trust.Catalog;
import dev.fleettrust.trust.HeldCertificate;
import dev.fleettrust.trust.ResolvedFirmware;
import dev.fleettrust.trust.Rule;
import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.ChainLinter;
import dev.fleettrust.x509.PathValidator;
import dev.fleettrust.x509.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The break-prediction engine's entry point (issue 4): "which of my phones stop working, why, and
 * what do I do first?"
 *
 * <p>{@link #assess} applies the planned changes to the environment, simulates the next sign-in of
 * every distinct device profile once (devices with equal profiles share the evaluation), and
 * summarises: verdict counts, counts by model and build, devices per rule, pre-flight lint of the
 * new chains and a remediation plan whose every figure comes from re-running the simulation with
 * the action applied. With no changes it evaluates today's environment at {@code evaluateAt}.
 * {@link #compare} ranks candidate change sets by predicted impact.
 *
 * <p>Thread-safe; one instance (one {@link PathValidator}, whose signature checks are memoized) can
 * serve every request.
 */
public final class ImpactEngine {
  private final PathValidator validator;
  private final SignInSimulator simulator = new SignInSimulator();
  private final RemediationPlanner planner = new RemediationPlanner(simulator);

  public ImpactEngine() {
    this(new PathValidator());
  }

  public ImpactEngine(PathValidator validator) {
    this.validator = Objects.requireNonNull(validator, "validator");
  }

  public AssessmentOutcome assess(AssessmentRequest request) {
    return assess(request, Progress.NONE);
  }

  /**
   * {@link #assess(AssessmentRequest)}, reporting each profile of the fleet's simulation to {@code
   * progress} and giving up (CancellationException) when it says so, also before the plan.
   */
  public AssessmentOutcome assess(AssessmentRequest request, Progress progress) {
    ChangeResult applied = request.environment().apply(request.changes());
    if (applied instanceof ChangeResult.Rejected rejected) {
      return new AssessmentOutcome.Rejected(rejected);
    }
    Environment after = ((ChangeResult.Applied) applied).environment();
    List<DeviceGroup> groups = merge(request.fleet());
    List<Certificate> fleetHeld = fleetHeld(groups);
    ValidationMemo memo = new ValidationMemo(validator);
    World world =
        new World(request.catalog(), after, request.evaluateAt(), Overlay.NONE, fleetHeld, memo);
    Run run = Run.of(simulator, world, groups, progress);
    progress.checkCancelled();
    List<RemediationAction> plan =
        request.planRemediation() ? planner.plan(run, fleetHeld, memo) : List.of();
    List<GroupResult> results = new ArrayList<>(groups.size());
    for (int i = 0; i < groups.size(); i++) {
      Outcome o = run.outcomes().get(i);
      DeviceGroup g = groups.get(i);
      results.add(
          new GroupResult(
              g,
              g.profile().hash(),
              o.firmware().map(ResolvedFirmware::family).map(f -> f.id()),
              o.verdict(),
              o.findings()));
    }
    AssessmentSummary summary =
        summarise(
            results,
            plan,
            request.catalog().version(),
            lint(request.environment(), request.changes(), request.evaluateAt()));
    return new AssessmentOutcome.Assessed(
        new Assessment(request.catalog().version(), request.evaluateAt(), results, summary));
  }

  /**
   * Ranks two or more candidate change sets by predicted impact: fewest BREAKS, then DEGRADED, then
   * AT_RISK, then UNKNOWN, then chains with lint errors; equal impact shares a rank.
   */
  public Comparison compare(
      Catalog catalog,
      Environment environment,
      List<DeviceGroup> fleet,
      List<Candidate> candidates,
      Instant evaluateAt) {
    List<Comparison.RankedCandidate> assessed = new ArrayList<>();
    for (Candidate c : candidates) {
      AssessmentOutcome o =
          assess(new AssessmentRequest(catalog, environment, fleet, c.changes(), evaluateAt, true));
      if (o instanceof AssessmentOutcome.Rejected r) {
        return new Comparison.Rejected(c.name(), r.change());
      }
      assessed.add(
          new Comparison.RankedCandidate(
              0, c.name(), ((AssessmentOutcome.Assessed) o).assessment()));
    }
    Comparator<Comparison.RankedCandidate> byImpact =
        Comparator.<Comparison.RankedCandidate>comparingInt(r -> count(r, Verdict.BREAKS))
            .thenComparingInt(r -> count(r, Verdict.DEGRADED))
            .thenComparingInt(r -> count(r, Verdict.AT_RISK))
            .thenComparingInt(r -> count(r, Verdict.UNKNOWN))
            .thenComparingLong(
                r ->
                    r.assessment().summary().lint().stream()
                        .filter(l -> l.finding().severity() == Severity.ERROR)
                        .count());
    assessed.sort(byImpact);
    List<Comparison.RankedCandidate> ranked = new ArrayList<>();
    for (int i = 0; i < assessed.size(); i++) {
      Comparison.RankedCandidate r = assessed.get(i);
      int rank =
          i > 0 && byImpact.compare(assessed.get(i - 1), r) == 0 ? ranked.get(i - 1).rank() : i + 1;
      ranked.add(new Comparison.RankedCandidate(rank, r.name(), r.assessment()));
    }
    return new Comparison.Ranked(ranked);
  }

  private static int count(Comparison.RankedCandidate r, Verdict v) {
    return r.assessment().summary().verdicts().get(v);
  }

  /** Groups with equal profiles (callers may pass them apart) become one evaluation. */
  private static List<DeviceGroup> merge(List<DeviceGroup> fleet) {
    Map<dev.fleettrust.trust.DeviceProfile, DeviceGroup> byProfile = new LinkedHashMap<>();
    boolean merged = false;
    for (DeviceGroup g : fleet) {
      DeviceGroup seen = byProfile.putIfAbsent(g.profile(), g);
      if (seen != null) {
        byProfile.put(g.profile(), seen.with(g));
        merged = true;
      }
    }
    return merged ? new ArrayList<>(byProfile.values()) : fleet;
  }

  private static List<Certificate> fleetHeld(List<DeviceGroup> groups) {
    Set<Certificate> held = new LinkedHashSet<>();
    for (DeviceGroup g : groups) {
      for (HeldCertificate h : g.profile().held()) {
        held.add(h.certificate());
      }
    }
    return List.copyOf(held);
  }

  /**
   * Pre-flight lint of the chains the change introduces; with no new chain (no change, or only
   * configuration changes), of every chain in the environment, as the nightly report wants.
   */
  private static List<LintFinding> lint(Environment env, List<Change> changes, Instant at) {
    List<LintFinding> out = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      Change c = changes.get(i);
      List<Certificate> chain =
          c instanceof Change.ReplaceCertificate r
              ? r.chain()
              : c instanceof Change.ReplaceExchangeCertificate x ? x.chain() : null;
      if (chain != null) {
        String field = "$.changes[" + i + "].chain";
        ChainLinter.lint(chain, at).forEach(f -> out.add(new LintFinding(field, f)));
      }
    }
    if (!out.isEmpty() || changes.stream().anyMatch(ImpactEngine::bringsChain)) {
      return out;
    }
    Set<List<Certificate>> seen = new java.util.HashSet<>();
    for (int i = 0; i < env.pools().size(); i++) {
      for (Map.Entry<Usage, List<Certificate>> e : env.pools().get(i).certificates().entrySet()) {
        if (seen.add(e.getValue())) {
          String field = "$.pools[" + i + "].certificates." + e.getKey();
          ChainLinter.lint(e.getValue(), at).forEach(f -> out.add(new LintFinding(field, f)));
        }
      }
    }
    for (int i = 0; i < env.exchange().size(); i++) {
      String field = "$.exchange[" + i + "].certificate";
      ChainLinter.lint(env.exchange().get(i).chain(), at)
          .forEach(f -> out.add(new LintFinding(field, f)));
    }
    return out;
  }

  private static boolean bringsChain(Change c) {
    return c instanceof Change.ReplaceCertificate || c instanceof Change.ReplaceExchangeCertificate;
  }

  private static AssessmentSummary summarise(
      List<GroupResult> results,
      List<RemediationAction> plan,
      String catalogVersion,
      List<LintFinding> lint) {
    int devices = 0;
    Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
    Map<List<String>, Map<Verdict, Integer>> byModelBuild = new TreeMap<>(LIST_ORDER);
    Map<Rule, Integer> byRule = new EnumMap<>(Rule.class);
    for (GroupResult r : results) {
      int n = r.group().size();
      devices += n;
      verdicts.merge(r.verdict(), n, Integer::sum);
      List<String> key =
          List.of(r.group().profile().model(), r.family().orElse(""), r.group().profile().build());
      byModelBuild
          .computeIfAbsent(key, k -> new EnumMap<>(Verdict.class))
          .merge(r.verdict(), n, Integer::sum);
      Set<Rule> rules = new LinkedHashSet<>();
      r.findings().forEach(f -> rules.add(f.rule()));
      rules.forEach(rule -> byRule.merge(rule, n, Integer::sum));
    }
    List<ModelBuildCount> mb = new ArrayList<>();
    byModelBuild.forEach(
        (k, v) ->
            mb.add(
                new ModelBuildCount(
                    k.get(0),
                    Optional.of(k.get(1)).filter(f -> !f.isEmpty()),
                    k.get(2),
                    v.values().stream().mapToInt(Integer::intValue).sum(),
                    v)));
    // Most BREAKS first (api-spec), then the order of model, family and build.
    mb.sort(
        Comparator.comparingInt(
            (ModelBuildCount m) -> -m.verdicts().getOrDefault(Verdict.BREAKS, 0)));
    List<RuleCount> rules = new ArrayList<>();
    byRule.forEach((rule, n) -> rules.add(new RuleCount(rule, n, Advice.summary(rule))));
    rules.sort(
        Comparator.comparingInt(RuleCount::devices).reversed().thenComparing(RuleCount::rule));
    return new AssessmentSummary(devices, verdicts, mb, rules, plan, catalogVersion, lint);
  }

  private static final Comparator<List<String>> LIST_ORDER =
      (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
          int c = a.get(i).compareTo(b.get(i));
          if (c != 0) {
            return c;
          }
        }
        return Integer.compare(a.size(), b.size());
      };
}
