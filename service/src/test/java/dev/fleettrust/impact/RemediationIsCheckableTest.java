package dev.fleettrust.impact;

import static dev.fleettrust.impact.Fleet.certs;
import static dev.fleettrust.impact.Fleet.profile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.trust.Provenance;
import dev.fleettrust.trust.ProvisioningMethod;
import dev.fleettrust.trust.TestPki;
import dev.fleettrust.trust.TestPki.Issued;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * contract.md, "Remediation actions are checkable": a re-assessment with one action applied alone
 * moves exactly {@code devicesFixed} devices to OK.
 */
class RemediationIsCheckableTest {
  static final String POOL = "pool.example.com";
  static final Instant AT = Instant.parse("2024-06-01T00:00:00Z");

  /** The devices that are OK in {@code after} but not in {@code before}. */
  static int becameOk(Assessment before, Assessment after) {
    int n = 0;
    for (GroupResult b : before.groups()) {
      GroupResult a = after.forDevice(b.group().deviceIds().get(0)).orElseThrow();
      if (b.verdict() != Verdict.OK && a.verdict() == Verdict.OK) {
        n += b.group().size();
      }
    }
    return n;
  }

  /** Applies an environment-edit action alone to the assessed change and re-assesses. */
  static Assessment withChangesOf(
      Fleet fleet, Environment env, List<Change> change, RemediationAction action, Instant at) {
    List<Change> all = new ArrayList<>(change);
    all.addAll(action.changes());
    return fleet.assess(env, all, at);
  }

  @Test
  void reschedulingMovesTheWholeAssessmentToTheEarliestDateEveryNewChainIsValid() {
    TestPki pki = new TestPki();
    Issued root = pki.root("CN=Root,DC=example,DC=com").build();
    Issued sub = pki.ca("CN=Issuing,DC=example,DC=com", root).build();
    Issued sipLeaf =
        pki.leaf("CN=" + POOL, sub)
            .sans(POOL)
            .valid(AT.plus(Duration.ofDays(5)), AT.plus(Duration.ofDays(400)))
            .build();
    Issued webLeaf =
        pki.leaf("CN=" + POOL, sub)
            .sans(POOL)
            .valid(AT.plus(Duration.ofDays(7)), AT.plus(Duration.ofDays(400)))
            .build();
    Map<Usage, List<dev.fleettrust.x509.Certificate>> byUsage = new EnumMap<>(Usage.class);
    byUsage.put(Usage.DEFAULT, certs(sipLeaf, sub));
    Environment env =
        new Environment(
            List.of(new Pool(POOL, List.of(), byUsage, List.of(), true, Set.of())),
            List.of(),
            certs(root),
            List.of(new Site("HQ", true)),
            Set.of());
    Fleet fleet =
        new Fleet()
            .add(
                "usb",
                6,
                profile("CX600", "4.0.7577.4494")
                    .signedInBy(ProvisioningMethod.USB_TETHER)
                    .holds(Provenance.ACTIVE_DIRECTORY, root)
                    .get())
            .add(
                "pin",
                5,
                profile("CX600", "4.0.7577.4494")
                    .signedInBy(ProvisioningMethod.PIN_AUTH)
                    .holds(Provenance.PROVISIONING_SERVICE, root, sub)
                    .get());
    List<Change> change =
        List.of(
            new Change.ReplaceCertificate(POOL, Usage.WEB_SERVICES_INTERNAL, certs(webLeaf, sub)));

    Assessment a = fleet.assess(env, change, AT);
    assertThat(fleet.outcome(a))
        .containsEntry("usb", "BREAKS [NOT_YET_VALID]")
        .containsEntry("pin", "BREAKS [NOT_YET_VALID]");
    RemediationAction reschedule = Fleet.action(a, ActionType.RESCHEDULE_CHANGE).orElseThrow();
    Instant earliest = AT.plus(Duration.ofDays(7));
    assertThat(reschedule.details()).containsEntry("evaluateAt", earliest.toString());
    assertThat(reschedule.devicesFixed()).isEqualTo(11);
    assertThat(becameOk(a, fleet.assess(env, change, earliest))).isEqualTo(11);
  }
}
