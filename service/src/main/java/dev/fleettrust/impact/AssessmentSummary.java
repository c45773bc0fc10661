package dev.fleettrust.impact;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The summary issue 6 returns for an assessment: {@code devices}, {@code verdicts} (all five keys),
 * {@code byModelAndBuild}, {@code findings} (rule, devices), {@code remediation} (action,
 * devicesFixed), {@code catalogVersion}, {@code lint}.
 */
public record AssessmentSummary(
    int devices,
    Map<Verdict, Integer> verdicts,
    List<ModelBuildCount> byModelAndBuild,
    List<RuleCount> findings,
    List<RemediationAction> remediation,
    String catalogVersion,
    List<LintFinding> lint) {
  public AssessmentSummary {
    Map<Verdict, Integer> all = new EnumMap<>(Verdict.class);
    for (Verdict v : Verdict.values()) {
      all.put(v, verdicts.getOrDefault(v, 0));
    }
    verdicts = java.util.Collections.unmodifiableMap(all);
    byModelAndBuild = List.copyOf(byModelAndBuild);
    findings = List.copyOf(findings);
    remediation = List.copyOf(remediation);
    Objects.requireNonNull(catalogVersion, "catalogVersion");
    lint = List.copyOf(lint);
  }
}
