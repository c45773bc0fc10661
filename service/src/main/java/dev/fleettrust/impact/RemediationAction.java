package dev.fleettrust.impact;

import dev.fleettrust.trust.Rule;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One proposed action, with the devices it fixes, measured by re-running the simulation with the
 * action applied (issue 4, item 5; api-spec {@code RemediationAction}).
 *
 * @param description what to do, in an administrator's words
 * @param devicesFixed devices whose verdict becomes OK when the action is added to the change
 * @param devicesImproved devices whose verdict gets better without becoming OK (sign-in restored
 *     but Exchange still failing, say)
 * @param devicesBroken devices the action would make worse
 * @param rules the rules whose findings it clears
 * @param changes the action as change-set entries an assessment accepts, when it is an edit of the
 *     environment; empty for reissues, firmware and device actions
 * @param details named facts: {@code family} and {@code build} for an upgrade, {@code pool}, {@code
 *     usage}, {@code hosts}, {@code names}, {@code reissue}, {@code certificates} ...
 * @param devicesStillNotOk devices not OK once this action and every action before it in the plan
 *     are applied together (the cumulative plan: where it ends), measured by re-running the
 *     simulation
 */
public record RemediationAction(
    ActionType action,
    String description,
    int devicesFixed,
    int devicesImproved,
    int devicesBroken,
    List<Rule> rules,
    List<Change> changes,
    Map<String, String> details,
    int devicesStillNotOk) {
  public RemediationAction {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(description, "description");
    rules = List.copyOf(rules);
    changes = List.copyOf(changes);
    details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
  }

  /** For {@code UPGRADE_FIRMWARE}, the family. */
  public Optional<String> family() {
    return Optional.ofNullable(details.get("family"));
  }

  /** For {@code UPGRADE_FIRMWARE}, the first build that fixes the most devices. */
  public Optional<String> build() {
    return Optional.ofNullable(details.get("build"));
  }
}
