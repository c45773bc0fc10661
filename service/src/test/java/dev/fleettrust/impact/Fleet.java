package dev.fleettrust.impact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.trust.CatalogJson;
import dev.fleettrust.trust.DeviceProfile;
import dev.fleettrust.trust.HeldCertificate;
import dev.fleettrust.trust.Provenance;
import dev.fleettrust.trust.ProvisioningMethod;
import dev.fleettrust.trust.Rule;
import dev.fleettrust.trust.TestPki;
import dev.fleettrust.x509.Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Test fixtures: a fleet of named device groups, and reading an assessment back per group. */
final class Fleet {
  static final dev.fleettrust.trust.Catalog CATALOG = CatalogJson.loadBundled();
  static final ImpactEngine ENGINE = new ImpactEngine();

  private final List<DeviceGroup> groups = new ArrayList<>();
  private final Map<String, String> firstIdByName = new java.util.LinkedHashMap<>();
  private int serial;

  /** A group of {@code count} devices named {@code name}, all with {@code profile}. */
  Fleet add(String name, int count, DeviceProfile profile) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(
          String.format(
              "00:04:f2:%02x:%02x:%02x",
              (serial >> 16) & 0xff, (serial >> 8) & 0xff, serial & 0xff));
      serial++;
    }
    firstIdByName.put(name, ids.get(0));
    groups.add(new DeviceGroup(profile, ids));
    return this;
  }

  List<DeviceGroup> groups() {
    return groups;
  }

  static Device device(String id, DeviceProfile p) {
    return new Device(id, p);
  }

  /** A profile builder with the defaults a seed scenario mostly needs. */
  static P profile(String model, String build) {
    return new P(model, build);
  }

  static final class P {
    private final String model;
    private final String build;
    private final List<ProvisioningMethod> methods = new ArrayList<>();
    private final List<HeldCertificate> held = new ArrayList<>();
    private Optional<String> pool = Optional.empty();
    private Optional<String> site = Optional.of("HQ");
    private Optional<String> dialed = Optional.empty();

    P(String model, String build) {
      this.model = model;
      this.build = build;
    }

    P signedInBy(ProvisioningMethod... ms) {
      methods.addAll(List.of(ms));
      return this;
    }

    P holds(Provenance provenance, TestPki.Issued... certs) {
      for (TestPki.Issued c : certs) {
        held.add(new HeldCertificate(c.cert(), provenance));
      }
      return this;
    }

    P pool(String fqdn) {
      pool = Optional.of(fqdn);
      return this;
    }

    P site(String name) {
      site = Optional.of(name);
      return this;
    }

    P dials(String fqdn) {
      dialed = Optional.of(fqdn);
      return this;
    }

    DeviceProfile get() {
      return new DeviceProfile(model, build, methods, held, pool, site, dialed);
    }
  }

  Assessment assess(Environment env, List<Change> changes, Instant at) {
    return assess(CATALOG, env, changes, at);
  }

  Assessment assess(
      dev.fleettrust.trust.Catalog catalog, Environment env, List<Change> changes, Instant at) {
    AssessmentOutcome o = ENGINE.assess(new AssessmentRequest(catalog, env, groups, changes, at));
    assertThat(o).isInstanceOf(AssessmentOutcome.Assessed.class);
    return ((AssessmentOutcome.Assessed) o).assessment();
  }

  GroupResult result(Assessment a, String name) {
    return a.forDevice(firstIdByName.get(name)).orElseThrow();
  }

  Verdict verdict(Assessment a, String name) {
    return result(a, name).verdict();
  }

  Set<Rule> rules(Assessment a, String name) {
    return result(a, name).findings().stream()
        .map(Finding::rule)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Verdict and rule IDs of every group, for one readable assertion. */
  Map<String, String> outcome(Assessment a) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (String name : firstIdByName.keySet()) {
      m.put(name, verdict(a, name) + " " + rules(a, name));
    }
    return m;
  }

  static Map<Verdict, Integer> counts(Object... pairs) {
    Map<Verdict, Integer> m = new EnumMap<>(Verdict.class);
    for (Verdict v : Verdict.values()) {
      m.put(v, 0);
    }
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((Verdict) pairs[i], (Integer) pairs[i + 1]);
    }
    return m;
  }

  static List<Certificate> certs(TestPki.Issued... issued) {
    return TestPki.chain(issued);
  }

  static Optional<RemediationAction> action(Assessment a, ActionType type) {
    return a.summary().remediation().stream().filter(r -> r.action() == type).findFirst();
  }
}
