package dev.fleettrust.report;

import dev.fleettrust.impact.AssessmentOutcome;
import dev.fleettrust.impact.AssessmentRequest;
import dev.fleettrust.impact.DeviceGroup;
import dev.fleettrust.impact.Environment;
import dev.fleettrust.impact.Finding;
import dev.fleettrust.impact.GroupResult;
import dev.fleettrust.impact.ImpactEngine;
import dev.fleettrust.impact.Pool;
import dev.fleettrust.impact.Verdict;
import dev.fleettrust.trust.Catalog;
import dev.fleettrust.trust.DeviceProfile;
import dev.fleettrust.trust.FirmwareResolution;
import dev.fleettrust.x509.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What breaks with no change at all: the engine's no-change run on today's environment now (drift)
 * and at each horizon ahead (expiry), plus the CRLs that pass their {@code nextUpdate} for the
 * devices that check revocation. Works on profile groups, so a million devices cost as many
 * evaluations as there are distinct profiles, four times.
 */
final class FleetForecast {
  static final List<Integer> HORIZON_DAYS = List.of(30, 60, 90);

  private final ImpactEngine engine;

  FleetForecast(ImpactEngine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  /**
   * A CA's current CRL as the environment holds it.
   *
   * @param issuer the CRL issuer's distinguished name, canonical form (as {@code
   *     DistinguishedName#canonical})
   * @param issuerName the same, as people read it (RFC 4514)
   */
  record RevocationList(String issuer, String issuerName, Instant nextUpdate) {
    RevocationList {
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(issuerName, "issuerName");
      Objects.requireNonNull(nextUpdate, "nextUpdate");
    }
  }

  /** A group of devices in a section, with the rule IDs that put it there. */
  record GroupFinding(
      DeviceGroup group,
      Verdict verdict,
      Set<String> ruleIds,
      Optional<Integer> horizonDays,
      String detail) {
    GroupFinding {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(verdict, "verdict");
      ruleIds = Set.copyOf(new LinkedHashSet<>(ruleIds));
      Objects.requireNonNull(horizonDays, "horizonDays");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * @param failingToday groups that are BREAKS or DEGRADED now, with no change
   * @param horizon groups that are not failing now but will within 90 days
   * @param crlDevices per CRL issuer (RFC 4514), how many devices its nextUpdate affects
   */
  record Forecast(
      List<GroupFinding> failingToday,
      List<GroupFinding> horizon,
      Map<String, Integer> crlDevices) {}

  Forecast forecast(
      Catalog catalog,
      Environment environment,
      List<DeviceGroup> fleet,
      Instant now,
      List<RevocationList> crls) {
    Map<String, GroupResult> today = assess(catalog, environment, fleet, now);
    List<Map<String, GroupResult>> ahead = new ArrayList<>();
    for (int days : HORIZON_DAYS) {
      ahead.add(assess(catalog, environment, fleet, now.plus(Duration.ofDays(days))));
    }
    List<GroupFinding> failing = new ArrayList<>();
    List<GroupFinding> horizon = new ArrayList<>();
    Map<String, Integer> crlDevices = new LinkedHashMap<>();
    crls.forEach(c -> crlDevices.put(c.issuerName(), 0));
    for (GroupResult now0 : today.values()) {
      if (fails(now0.verdict())) {
        failing.add(
            new GroupFinding(
                now0.group(), now0.verdict(), failingRules(now0), Optional.empty(), message(now0)));
        continue;
      }
      Optional<Integer> first = Optional.empty();
      Set<String> rules = new LinkedHashSet<>();
      Verdict verdict = now0.verdict();
      String detail = "";
      for (int i = 0; i < HORIZON_DAYS.size(); i++) {
        GroupResult later = ahead.get(i).get(now0.profileHash());
        if (later != null && fails(later.verdict())) {
          first = Optional.of(HORIZON_DAYS.get(i));
          rules.addAll(failingRules(later));
          verdict = later.verdict();
          detail = message(later);
          break;
        }
      }
      for (RevocationList crl : crlsInPath(catalog, environment, now0.group().profile(), crls)) {
        long days = Duration.between(now, crl.nextUpdate()).toDays();
        Optional<Integer> due = HORIZON_DAYS.stream().filter(h -> days < h).findFirst();
        if (due.isEmpty()) {
          continue;
        }
        crlDevices.merge(crl.issuerName(), now0.group().size(), Integer::sum);
        rules.add(ReportRule.CRL_NEXT_UPDATE_DUE.name());
        if (first.isEmpty() || due.get() < first.get()) {
          first = due;
          verdict = Verdict.BREAKS;
          detail = "CRL of " + crl.issuerName() + " passes its nextUpdate " + crl.nextUpdate();
        }
      }
      if (first.isPresent()) {
        horizon.add(new GroupFinding(now0.group(), verdict, rules, first, detail));
      }
    }
    return new Forecast(failing, horizon, crlDevices);
  }

  private Map<String, GroupResult> assess(
      Catalog catalog, Environment environment, List<DeviceGroup> fleet, Instant at) {
    AssessmentOutcome outcome =
        engine.assess(new AssessmentRequest(catalog, environment, fleet, List.of(), at, false));
    if (!(outcome instanceof AssessmentOutcome.Assessed assessed)) {
      throw new IllegalStateException("A run with no change was rejected: " + outcome);
    }
    Map<String, GroupResult> byProfile = new LinkedHashMap<>();
    assessed.assessment().groups().forEach(g -> byProfile.put(g.profileHash(), g));
    return byProfile;
  }

  private static boolean fails(Verdict verdict) {
    return verdict == Verdict.BREAKS || verdict == Verdict.DEGRADED;
  }

  private static Set<String> failingRules(GroupResult result) {
    Set<String> rules = new LinkedHashSet<>();
    for (Finding f : result.findings()) {
      if (fails(f.effect())) {
        rules.add(f.rule().name());
      }
    }
    return rules;
  }

  private static String message(GroupResult result) {
    return result.findings().stream()
        .filter(f -> fails(f.effect()))
        .map(Finding::message)
        .findFirst()
        .orElse("");
  }

  /**
   * The CRLs a device's validation needs: those of the CAs that issued a certificate the pool it
   * dials presents, for builds that check revocation (trust-rules.md, {@code
   * REVOCATION_UNREACHABLE}: VVX and other certified phones fetch CDPs; a lapsed CRL fails them).
   */
  private static List<RevocationList> crlsInPath(
      Catalog catalog, Environment environment, DeviceProfile profile, List<RevocationList> crls) {
    if (crls.isEmpty()) {
      return List.of();
    }
    if (!(catalog.resolve(profile.model(), profile.build())
            instanceof FirmwareResolution.Resolved resolved)
        || !resolved.firmware().capabilities().checksRevocationReachability()) {
      return List.of();
    }
    Optional<Pool> pool =
        profile
            .dialedFqdn()
            .flatMap(environment::poolFor)
            .or(() -> profile.pool().flatMap(environment::poolFor));
    if (pool.isEmpty()) {
      return List.of();
    }
    Set<String> issuers = new LinkedHashSet<>();
    for (List<Certificate> chain : pool.get().certificates().values()) {
      chain.forEach(c -> issuers.add(c.facts().issuer().canonical()));
    }
    return crls.stream().filter(c -> issuers.contains(c.issuer())).toList();
  }
}
