package dev.fleettrust.itsm;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One compliance violation as the nightly report found it: a rule broken by devices of one model on
 * one firmware build. 1,500 phones on one build are one group, hence one ticket.
 *
 * @param rule the rule ID (trust-rules.md, contract.md), e.g. {@code ANCHOR_EXPIRED}
 * @param model the device model; an empty string where the devices' model is unknown
 * @param build the firmware build; an empty string where it is unknown
 * @param devices how many devices are affected (at least 1: a group without devices is not a
 *     violation, leave it out and it resolves)
 * @param counts further named counts the report keeps for the group (by verdict, by site ...); a
 *     change in {@code devices} or in any of these sends {@code .updated}
 * @param summary one line for the ticket's title, e.g. "30 CX600 on 4.0.7577.107 hold only an
 *     expired root"
 * @param deviceList the link to the affected devices (a URL the ITSM tool's users can open)
 */
public record ViolationGroup(
    String rule,
    String model,
    String build,
    int devices,
    Map<String, Integer> counts,
    String summary,
    URI deviceList) {
  public ViolationGroup {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(build, "build");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(deviceList, "deviceList");
    if (rule.isBlank()) {
      throw new IllegalArgumentException("rule must not be blank");
    }
    if (devices < 1) {
      throw new IllegalArgumentException("a violation has at least one device; got " + devices);
    }
    counts = java.util.Collections.unmodifiableMap(new TreeMap<>(counts));
  }

  /** The stable key of this (rule, model, build): see {@link ViolationFeed#dedupKey}. */
  public String dedupKey() {
    return ViolationFeed.dedupKey(rule, model, build);
  }
}
