package dev.fleettrust.impact;

import dev.fleettrust.trust.ResolvedFirmware;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** The simulated next sign-in of one profile: its verdict and the findings that produced it. */
record Outcome(Verdict verdict, List<Finding> findings, Optional<ResolvedFirmware> firmware) {
  Outcome {
    findings = List.copyOf(new LinkedHashSet<>(findings));
  }

  /** The verdict the findings give: the worst effect among them, OK when there are none. */
  static Outcome of(List<Finding> findings, Optional<ResolvedFirmware> firmware) {
    Verdict v = Verdict.OK;
    for (Finding f : findings) {
      v = v.worst(f.effect());
    }
    return new Outcome(v, findings, firmware);
  }

  static Outcome unknown(Finding finding, Optional<ResolvedFirmware> firmware) {
    return new Outcome(Verdict.UNKNOWN, List.of(finding), firmware);
  }

  /** Worse than, for a device: BREAKS, then DEGRADED, then AT_RISK, then OK. */
  static int badness(Verdict v) {
    return switch (v) {
      case BREAKS -> 3;
      case DEGRADED -> 2;
      case AT_RISK, UNKNOWN -> 1;
      case OK -> 0;
    };
  }

  /**
   * One outcome for a device when it may take several courses (pools, SRV targets, provisioning
   * paths) whose outcome FleetTrust cannot choose between: the common verdict when they agree,
   * otherwise AT_RISK with the failing courses' findings, naming the deciding fact (contract.md:
   * "the verdict is AT_RISK with the deciding fact named").
   */
  static Outcome eitherWay(List<String> labels, List<Outcome> outcomes, String decidingFact) {
    Verdict first = outcomes.get(0).verdict();
    boolean agree = outcomes.stream().allMatch(o -> o.verdict() == first);
    List<Finding> findings = new ArrayList<>();
    if (agree) {
      outcomes.forEach(o -> findings.addAll(o.findings()));
      return new Outcome(first, findings, outcomes.get(0).firmware());
    }
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome o = outcomes.get(i);
      for (Finding f : o.findings()) {
        java.util.Map<String, String> ev = new java.util.LinkedHashMap<>(f.evidence());
        ev.put("dependsOn", decidingFact);
        ev.put("case", labels.get(i));
        findings.add(
            new Finding(
                f.rule(),
                Verdict.AT_RISK,
                f.stage(),
                f.message()
                    + " This happens only if "
                    + labels.get(i)
                    + ": it depends on "
                    + decidingFact
                    + ".",
                ev,
                f.remediation()));
      }
    }
    return new Outcome(Verdict.AT_RISK, findings, outcomes.get(0).firmware());
  }
}
