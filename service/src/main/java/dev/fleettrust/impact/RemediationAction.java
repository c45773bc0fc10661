package dev.fleettrust.impact;

import dev.fleettrust.trust.Rule;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One proposed action, with the devices it fixes, measured by re-running the simulation with the
 * action applied (issue 4, item 5).
 *
 * @param action what to do, in an administrator's words
 * @param devicesFixed devices whose verdict becomes OK (or DEGRADED from BREAKS: sign-in restored)
 * @param devicesBroken devices the action would make worse
 * @param addresses the rules behind it
 * @param changes the action as change-set entries an assessment accepts, when it is an edit of the
 *     environment; empty for reissues, firmware and device actions
 * @param details named facts: pool, usage, hosts, family, build, certificates
 */
public record RemediationAction(
    ActionType type,
    String action,
    int devicesFixed,
    int devicesBroken,
    List<Rule> addresses,
    List<Change> changes,
    Map<String, String> details) {
  public RemediationAction {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(action, "action");
    addresses = List.copyOf(addresses);
    changes = List.copyOf(changes);
    details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
  }
}
