package dev.fleettrust.inventory;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One device row as a set of registers (migration V2). Each part of the state carries the event
 * time that set it; an event replaces a part only when it is at least as new, and of two with the
 * same time the later arrival wins (for one device on one Kafka partition that is the producer's
 * order). Times that only move one way ({@code state_time}, resets, reports, retirement) keep their
 * extreme. Applying the same events in any order therefore gives the same state, and a late event
 * changes nothing newer.
 *
 * <p>Mutable on purpose: a batch reads the stored rows once, applies its events in arrival order
 * and writes back the rows that changed.
 */
final class DeviceState {
  /**
   * How long sign-ins that change nothing may leave the row alone: the row is rewritten at least
   * once per this much sign-in time, so catching a row up with the parts of those sign-ins ({@code
   * DeviceTable.withNewerSignInParts}) never reads more than about a day of them.
   */
  static final Duration UNWRITTEN_SIGN_INS_AT_MOST = Duration.ofDays(1);

  final DeviceId deviceId;
  final long version;
  final boolean stored;

  String vendor;
  Instant vendorAt;
  String model;
  Instant modelAt;
  String firmware;
  Instant firmwareAt;
  String userAgent;
  Instant userAgentAt;
  String site;
  Instant siteAt;
  // The newest sign-in attempt: where it went and how it ended.
  String pool;
  String dialedFqdn;
  String lastOutcome;
  String lastFailureReason;
  Integer lastTlsAlert;
  String lastSignInSite;
  String lastSignInEvent;
  Instant registeredAt;

  String provisioningMethod;
  Instant provisionedAt;
  Instant retiredAt;
  Instant anchorsResetAt;
  Instant reportedAt;
  Instant stateTime;
  Instant firstSeenAt;
  String profileHash;

  private DeviceState(DeviceId deviceId, long version, boolean stored) {
    this.deviceId = deviceId;
    this.version = version;
    this.stored = stored;
  }

  /** A device the inventory has never seen. */
  static DeviceState unseen(DeviceId deviceId) {
    return new DeviceState(deviceId, 0, false);
  }

  /** A row as read from {@code device}; {@link #copy()} it before applying events. */
  static DeviceState stored(DeviceId deviceId, long version) {
    return new DeviceState(deviceId, version, true);
  }

  DeviceState copy() {
    DeviceState copy = new DeviceState(deviceId, version, stored);
    copy.vendor = vendor;
    copy.vendorAt = vendorAt;
    copy.model = model;
    copy.modelAt = modelAt;
    copy.firmware = firmware;
    copy.firmwareAt = firmwareAt;
    copy.userAgent = userAgent;
    copy.userAgentAt = userAgentAt;
    copy.site = site;
    copy.siteAt = siteAt;
    copy.pool = pool;
    copy.dialedFqdn = dialedFqdn;
    copy.lastOutcome = lastOutcome;
    copy.lastFailureReason = lastFailureReason;
    copy.lastTlsAlert = lastTlsAlert;
    copy.lastSignInSite = lastSignInSite;
    copy.lastSignInEvent = lastSignInEvent;
    copy.registeredAt = registeredAt;
    copy.provisioningMethod = provisioningMethod;
    copy.provisionedAt = provisionedAt;
    copy.retiredAt = retiredAt;
    copy.anchorsResetAt = anchorsResetAt;
    copy.reportedAt = reportedAt;
    copy.stateTime = stateTime;
    copy.firstSeenAt = firstSeenAt;
    copy.profileHash = profileHash;
    return copy;
  }

  /**
   * Applies one event; returns whether it was late, i.e. older than the newest event already
   * applied to this device. A late event changes only parts no newer event has set yet (a model
   * first named by a late sign-in, say), never a newer value.
   */
  boolean apply(DeviceEvent event) {
    Instant at = event.header().time();
    boolean late = stateTime != null && at.isBefore(stateTime);
    stateTime = latest(stateTime, at);
    firstSeenAt = firstSeenAt == null || at.isBefore(firstSeenAt) ? at : firstSeenAt;
    if (event instanceof DeviceEvent.Registered registered) {
      if (registered.vendor().isPresent() && newer(at, vendorAt)) {
        vendor = registered.vendor().get();
        vendorAt = at;
      }
      if (registered.model().isPresent() && newer(at, modelAt)) {
        model = registered.model().get();
        modelAt = at;
      }
      if (registered.firmware().isPresent() && newer(at, firmwareAt)) {
        firmware = registered.firmware().get();
        firmwareAt = at;
      }
      if (registered.userAgent().isPresent() && newer(at, userAgentAt)) {
        userAgent = registered.userAgent().get();
        userAgentAt = at;
      }
      if (newer(at, siteAt)) {
        site = registered.site();
        siteAt = at;
      }
      if (newer(at, registeredAt)) {
        pool = registered.pool();
        dialedFqdn = registered.dialedFqdn();
        lastOutcome = registered.outcome().name();
        lastFailureReason = registered.failureReason().orElse(null);
        lastTlsAlert = registered.tlsAlert().orElse(null);
        lastSignInSite = registered.site();
        lastSignInEvent = registered.header().id();
        registeredAt = at;
      }
    } else if (event instanceof DeviceEvent.Provisioned provisioned) {
      if (newer(at, provisionedAt)) {
        provisioningMethod = provisioned.method().name();
        provisionedAt = at;
      }
      if (newer(at, siteAt)) {
        site = provisioned.site();
        siteAt = at;
      }
    } else if (event instanceof DeviceEvent.FirmwareUpdated updated) {
      if (newer(at, firmwareAt)) {
        firmware = updated.toBuild();
        firmwareAt = at;
      }
    } else if (event instanceof DeviceEvent.TrustStoreReported) {
      reportedAt = latest(reportedAt, at);
    } else if (event instanceof DeviceEvent.Reset) {
      anchorsResetAt = latest(anchorsResetAt, at);
    } else if (event instanceof DeviceEvent.Retired) {
      retiredAt = latest(retiredAt, at);
    }
    return late;
  }

  /** The trust profile these registers give with the given anchors. */
  TrustProfile profile(java.util.SortedSet<TrustProfile.Anchor> anchors) {
    return new TrustProfile(
        Optional.ofNullable(model),
        Optional.ofNullable(firmware),
        Optional.ofNullable(provisioningMethod).map(ProvisioningMethod::valueOf),
        Optional.ofNullable(site),
        anchors);
  }

  /** Whether any profile input besides the anchors differs from {@code other}. */
  boolean profileFieldsDiffer(DeviceState other) {
    return !Objects.equals(model, other.model)
        || !Objects.equals(firmware, other.firmware)
        || !Objects.equals(provisioningMethod, other.provisioningMethod)
        || !Objects.equals(site, other.site);
  }

  /** Whether anything stored differs from {@code other}. */
  boolean differsFrom(DeviceState other) {
    return !Objects.equals(vendor, other.vendor)
        || !Objects.equals(vendorAt, other.vendorAt)
        || !Objects.equals(model, other.model)
        || !Objects.equals(modelAt, other.modelAt)
        || !Objects.equals(firmware, other.firmware)
        || !Objects.equals(firmwareAt, other.firmwareAt)
        || !Objects.equals(userAgent, other.userAgent)
        || !Objects.equals(userAgentAt, other.userAgentAt)
        || !Objects.equals(site, other.site)
        || !Objects.equals(siteAt, other.siteAt)
        || !Objects.equals(pool, other.pool)
        || !Objects.equals(dialedFqdn, other.dialedFqdn)
        || !Objects.equals(lastOutcome, other.lastOutcome)
        || !Objects.equals(lastFailureReason, other.lastFailureReason)
        || !Objects.equals(lastTlsAlert, other.lastTlsAlert)
        || !Objects.equals(lastSignInSite, other.lastSignInSite)
        || !Objects.equals(lastSignInEvent, other.lastSignInEvent)
        || !Objects.equals(registeredAt, other.registeredAt)
        || !Objects.equals(provisioningMethod, other.provisioningMethod)
        || !Objects.equals(provisionedAt, other.provisionedAt)
        || !Objects.equals(retiredAt, other.retiredAt)
        || !Objects.equals(anchorsResetAt, other.anchorsResetAt)
        || !Objects.equals(reportedAt, other.reportedAt)
        || !Objects.equals(stateTime, other.stateTime)
        || !Objects.equals(firstSeenAt, other.firstSeenAt)
        || !Objects.equals(profileHash, other.profileHash);
  }

  /**
   * Whether this event may leave the stored row alone, if it turns out to change nothing but times
   * ({@link #movedOnlySignInTimes}): a sign-in of a device whose row a sign-in has written before,
   * less than {@link #UNWRITTEN_SIGN_INS_AT_MOST} after that write. A retired device is always
   * written: a sign-in after the retirement brings it back, which its row must show.
   */
  boolean mayLeaveRowAlone(DeviceEvent event, Instant rowSignInWrittenAt) {
    return stored
        && rowSignInWrittenAt != null
        && retiredAt == null
        && event instanceof DeviceEvent.Registered
        && event.header().time().isBefore(rowSignInWrittenAt.plus(UNWRITTEN_SIGN_INS_AT_MOST));
  }

  /**
   * Counts the sign-ins stored in {@code sign_in_outcome} after the one that last wrote the row.
   * They changed nothing but times, so the newest of them set the sign-in registers, the site and
   * the state time, and for each optional part the newest one carrying it set that part's time.
   */
  void catchUpSignIns(NewerSignIns newer) {
    if (registeredAt == null || newer.newest().isAfter(registeredAt)) {
      registeredAt = newer.newest();
      lastSignInEvent = newer.newestEventId();
    }
    stateTime = latest(stateTime, newer.newest());
    siteAt = latest(siteAt, newer.newest());
    newer.vendorAt().ifPresent(at -> vendorAt = latest(vendorAt, at));
    newer.modelAt().ifPresent(at -> modelAt = latest(modelAt, at));
    newer.firmwareAt().ifPresent(at -> firmwareAt = latest(firmwareAt, at));
    newer.userAgentAt().ifPresent(at -> userAgentAt = latest(userAgentAt, at));
  }

  /**
   * What {@code sign_in_outcome} holds for a device beyond its row; see {@link #catchUpSignIns}.
   */
  record NewerSignIns(
      Instant newest,
      String newestEventId,
      Optional<Instant> vendorAt,
      Optional<Instant> modelAt,
      Optional<Instant> firmwareAt,
      Optional<Instant> userAgentAt) {}

  /**
   * Whether everything that differs from {@code current} is a time that {@link #catchUpSignIns}
   * restores from {@code sign_in_outcome}: then the row need not be written.
   */
  boolean movedOnlySignInTimes(DeviceState current) {
    DeviceState timesAsCurrent = copy();
    timesAsCurrent.registeredAt = current.registeredAt;
    timesAsCurrent.lastSignInEvent = current.lastSignInEvent;
    timesAsCurrent.stateTime = current.stateTime;
    timesAsCurrent.siteAt = current.siteAt;
    timesAsCurrent.vendorAt = current.vendorAt;
    timesAsCurrent.modelAt = current.modelAt;
    timesAsCurrent.firmwareAt = current.firmwareAt;
    timesAsCurrent.userAgentAt = current.userAgentAt;
    return !timesAsCurrent.differsFrom(current);
  }

  private static boolean newer(Instant candidate, Instant current) {
    return current == null || !candidate.isBefore(current);
  }

  private static Instant latest(Instant current, Instant candidate) {
    return current == null || candidate.isAfter(current) ? candidate : current;
  }
}
