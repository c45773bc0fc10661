package dev.fleettrust.inventory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A fact about one device, decoded and validated (issue 5, "Contract"; contract.md, "Events").
 * Optional fields are the ones the contract lets a producer leave out.
 */
public sealed interface DeviceEvent {
  EventHeader header();

  EventType type();

  /**
   * A sign-in attempt seen by a registrar. Model and firmware are the ones the event names or, when
   * it names none, the ones its User-Agent names; the raw User-Agent is kept either way. The vendor
   * is known only from a recognised User-Agent. Host names are lower case.
   */
  record Registered(
      EventHeader header,
      Optional<String> vendor,
      Optional<String> model,
      Optional<String> firmware,
      Optional<String> userAgent,
      String pool,
      String site,
      String dialedFqdn,
      SignInOutcome outcome,
      Optional<String> failureReason,
      Optional<Integer> tlsAlert)
      implements DeviceEvent {
    public Registered {
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(vendor, "vendor");
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(firmware, "firmware");
      Objects.requireNonNull(userAgent, "userAgent");
      Objects.requireNonNull(pool, "pool");
      Objects.requireNonNull(site, "site");
      Objects.requireNonNull(dialedFqdn, "dialedFqdn");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(failureReason, "failureReason");
      Objects.requireNonNull(tlsAlert, "tlsAlert");
    }

    @Override
    public EventType type() {
      return EventType.REGISTERED;
    }
  }

  /** A provisioning step, with the CA certificates the device received and their provenance. */
  record Provisioned(
      EventHeader header,
      ProvisioningMethod method,
      String site,
      List<HeldCertificate> certificates)
      implements DeviceEvent {
    public Provisioned {
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(site, "site");
      certificates = List.copyOf(certificates);
    }

    @Override
    public EventType type() {
      return EventType.PROVISIONED;
    }
  }

  record FirmwareUpdated(EventHeader header, Optional<String> fromBuild, String toBuild)
      implements DeviceEvent {
    public FirmwareUpdated {
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(fromBuild, "fromBuild");
      Objects.requireNonNull(toBuild, "toBuild");
    }

    @Override
    public EventType type() {
      return EventType.FIRMWARE_UPDATED;
    }
  }

  /**
   * The full list of CA certificates a managed phone says it holds: it replaces the device's
   * earlier {@link AnchorProvenance#REPORTED} anchors.
   */
  record TrustStoreReported(EventHeader header, List<HeldCertificate> certificates)
      implements DeviceEvent {
    public TrustStoreReported {
      Objects.requireNonNull(header, "header");
      certificates = List.copyOf(certificates);
    }

    @Override
    public EventType type() {
      return EventType.TRUST_STORE_REPORTED;
    }
  }

  /** A factory reset: downloaded anchors are gone, firmware built-ins stay. */
  record Reset(EventHeader header) implements DeviceEvent {
    public Reset {
      Objects.requireNonNull(header, "header");
    }

    @Override
    public EventType type() {
      return EventType.RESET;
    }
  }

  /** The device leaves the active set (and every assessment) from this time on. */
  record Retired(EventHeader header) implements DeviceEvent {
    public Retired {
      Objects.requireNonNull(header, "header");
    }

    @Override
    public EventType type() {
      return EventType.RETIRED;
    }
  }
}
