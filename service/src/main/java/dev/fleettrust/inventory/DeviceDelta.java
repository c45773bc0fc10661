package dev.fleettrust.inventory;

import java.time.Instant;
import java.util.Optional;

/**
 * One device's share of a batch, folded in arrival order with the rule the SQL applies against the
 * stored row: for each part of the state, the event with the newest time wins, and of two with the
 * same time the later arrival. Parts no event in the batch touched stay null and leave the row as
 * it is.
 */
final class DeviceDelta {
  /** A value and the event time that set it. */
  record Timed<T>(T value, Instant at) {}

  /** The newest sign-in attempt: where it went and how it ended. */
  record SignIn(
      String pool,
      String dialedFqdn,
      SignInOutcome outcome,
      String failureReason,
      Integer tlsAlert,
      String site,
      String eventId,
      Instant at) {}

  final DeviceId deviceId;
  Timed<String> vendor;
  Timed<String> model;
  Timed<String> firmware;
  Timed<String> userAgent;
  Timed<String> site;
  Timed<ProvisioningMethod> provisioningMethod;
  SignIn signIn;
  Instant retiredAt;
  Instant anchorsResetAt;
  Instant reportedAt;
  Instant stateTime;
  Instant firstSeen;

  DeviceDelta(DeviceId deviceId) {
    this.deviceId = deviceId;
  }

  void apply(DeviceEvent event) {
    Instant at = event.header().time();
    stateTime = latest(stateTime, at);
    firstSeen = firstSeen == null || at.isBefore(firstSeen) ? at : firstSeen;
    if (event instanceof DeviceEvent.Registered registered) {
      vendor = newer(vendor, registered.vendor(), at);
      model = newer(model, registered.model(), at);
      firmware = newer(firmware, registered.firmware(), at);
      userAgent = newer(userAgent, registered.userAgent(), at);
      site = newer(site, Optional.of(registered.site()), at);
      if (signIn == null || !at.isBefore(signIn.at())) {
        signIn =
            new SignIn(
                registered.pool(),
                registered.dialedFqdn(),
                registered.outcome(),
                registered.failureReason().orElse(null),
                registered.tlsAlert().orElse(null),
                registered.site(),
                registered.header().id(),
                at);
      }
    } else if (event instanceof DeviceEvent.Provisioned provisioned) {
      provisioningMethod = newer(provisioningMethod, Optional.of(provisioned.method()), at);
      site = newer(site, Optional.of(provisioned.site()), at);
    } else if (event instanceof DeviceEvent.FirmwareUpdated updated) {
      firmware = newer(firmware, Optional.of(updated.toBuild()), at);
    } else if (event instanceof DeviceEvent.TrustStoreReported) {
      reportedAt = latest(reportedAt, at);
    } else if (event instanceof DeviceEvent.Reset) {
      anchorsResetAt = latest(anchorsResetAt, at);
    } else if (event instanceof DeviceEvent.Retired) {
      retiredAt = latest(retiredAt, at);
    }
  }

  /** The profile this device has if it is new to the inventory after this batch, anchors aside. */
  TrustProfile profileIfNew() {
    return new TrustProfile(
        value(model),
        value(firmware),
        value(provisioningMethod),
        value(site),
        java.util.Collections.emptySortedSet());
  }

  private static <T> Optional<T> value(Timed<T> timed) {
    return timed == null ? Optional.empty() : Optional.of(timed.value());
  }

  private static <T> Timed<T> newer(Timed<T> current, Optional<T> candidate, Instant at) {
    if (candidate.isEmpty()) {
      return current;
    }
    return current == null || !at.isBefore(current.at())
        ? new Timed<>(candidate.get(), at)
        : current;
  }

  private static Instant latest(Instant current, Instant candidate) {
    return current == null || candidate.isAfter(current) ? candidate : current;
  }
}
