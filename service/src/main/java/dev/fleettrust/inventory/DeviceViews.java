package dev.fleettrust.inventory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** What the inventory answers about devices and rejected events; the API maps these to JSON. */
public final class DeviceViews {
  private DeviceViews() {}

  /** A page of items and, unless it is the last page, the key to continue after. */
  public record Page<T, K>(List<T> items, Optional<K> continueAfter) {
    public Page {
      items = List.copyOf(items);
      Objects.requireNonNull(continueAfter, "continueAfter");
    }
  }

  /**
   * Filters of the device list. A family arrives as the models the catalog puts in it ({@code
   * familyModels}); a verdict is read from {@code assessmentId}, or from the latest completed
   * assessment when none is named, and matches nothing when there is none.
   */
  public record DeviceFilter(
      Optional<String> model,
      Optional<java.util.Set<String>> familyModels,
      Optional<String> firmware,
      Optional<String> site,
      Optional<String> verdict,
      Optional<UUID> assessmentId,
      boolean includeRetired) {
    public DeviceFilter {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(familyModels, "familyModels");
      Objects.requireNonNull(firmware, "firmware");
      Objects.requireNonNull(site, "site");
      Objects.requireNonNull(verdict, "verdict");
      Objects.requireNonNull(assessmentId, "assessmentId");
    }
  }

  public record DeviceSummary(
      DeviceId deviceId,
      Optional<String> vendor,
      Optional<String> model,
      Optional<String> firmware,
      Optional<String> site,
      boolean active,
      Instant lastSeenAt) {}

  public record ProvisioningPath(
      ProvisioningMethod method, Instant firstSeenAt, Instant lastSeenAt, String site) {}

  public record HeldAnchor(
      String subject,
      String sha256,
      String spkiSha256,
      Instant notAfter,
      AnchorProvenance provenance,
      Instant acquiredAt,
      String eventId) {}

  public record EventSummary(
      String id, String type, String source, Instant time, Instant receivedAt, boolean late) {}

  public record LastSignIn(
      SignInOutcome outcome,
      Instant time,
      String pool,
      String dialedFqdn,
      String site,
      Optional<String> failureReason,
      Optional<Integer> tlsAlert,
      String eventId) {}

  public record DeviceDetails(
      DeviceId deviceId,
      Optional<String> vendor,
      Optional<String> model,
      Optional<String> firmware,
      Optional<String> userAgent,
      Optional<String> site,
      boolean active,
      Instant firstSeenAt,
      Instant lastSeenAt,
      Optional<Instant> retiredAt,
      Optional<ProvisioningMethod> lastProvisioningMethod,
      List<ProvisioningPath> provisioningPaths,
      List<HeldAnchor> anchors,
      List<EventSummary> lastEvents,
      Optional<LastSignIn> lastSignIn,
      String trustProfileHash) {}

  public record RejectedFilter(
      Optional<RejectionReason> reason, Optional<Channel> channel, Optional<Instant> since) {}

  /** Where to continue a newest-first list of rejections. */
  public record RejectedKey(Instant receivedAt, UUID id) {}

  public record RejectedEventView(
      UUID id,
      Instant receivedAt,
      Channel channel,
      String reason,
      String message,
      Optional<String> field,
      Optional<String> eventId,
      Optional<String> eventType,
      Optional<String> subject,
      Optional<Rejection.KafkaCoordinates> kafka,
      String payload,
      boolean payloadTruncated) {}
}
