package dev.fleettrust.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import dev.fleettrust.api.problem.ProblemType;
import dev.fleettrust.api.problem.QueryParameters;
import dev.fleettrust.api.security.Role;
import dev.fleettrust.catalog.CatalogSource;
import dev.fleettrust.inventory.DeviceId;
import dev.fleettrust.inventory.DeviceViews;
import dev.fleettrust.inventory.DeviceViews.DeviceDetails;
import dev.fleettrust.inventory.DeviceViews.DeviceFilter;
import dev.fleettrust.inventory.DeviceViews.DeviceSummary;
import dev.fleettrust.inventory.DeviceViews.Page;
import dev.fleettrust.inventory.InventoryReader;
import dev.fleettrust.trust.BuiltInRoot;
import dev.fleettrust.trust.Catalog;
import dev.fleettrust.trust.DeviceModel;
import dev.fleettrust.trust.FirmwareFamily;
import dev.fleettrust.trust.FirmwareResolution;
import dev.fleettrust.trust.RootStore;
import dev.fleettrust.x509.TrustAnchor;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/devices} and {@code GET /api/v1/devices/{deviceId}} (api-spec/openapi.yaml,
 * {@code listDevices}, {@code getDevice}). Device IDs are accepted in any common MAC spelling and
 * returned lower case with colons.
 *
 * <p>{@code family} comes from the firmware catalog in force; a {@code verdict} filter reads the
 * assessment named by {@code assessmentId}, or the latest completed one, and matches nothing when
 * there is none. Fingerprints are upper-case hex as the spec's {@code Sha256Hex} says.
 */
@Controller("/api/v1/devices")
@Secured(Role.VIEWER_NAME)
final class DevicesController {
  private static final Pattern FIRMWARE_BUILD = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._-]{0,63}");
  private static final Pattern FAMILY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern CURSOR =
      Pattern.compile("\\{\"after\":\"([0-9a-f]{2}(?::[0-9a-f]{2}){5})\"\\}");
  private static final List<String> VERDICTS =
      List.of("BREAKS", "DEGRADED", "AT_RISK", "OK", "UNKNOWN");

  private final InventoryReader inventory;
  private final CatalogSource catalogs;

  DevicesController(InventoryReader inventory, CatalogSource catalogs) {
    this.inventory = inventory;
    this.catalogs = catalogs;
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  DevicePage list(
      @QueryValue @Nullable String model,
      @QueryValue @Nullable String family,
      @QueryValue @Nullable String firmware,
      @QueryValue @Nullable String site,
      @QueryValue @Nullable String verdict,
      @QueryValue @Nullable String assessmentId,
      @QueryValue @Nullable String includeRetired,
      @QueryValue @Nullable String limit,
      @QueryValue @Nullable String cursor) {
    List<Problem.ValidationError> errors = new ArrayList<>();
    Optional<String> modelFilter = QueryParameters.text("model", model, 64, errors);
    Optional<String> familyFilter = QueryParameters.matching("family", family, FAMILY, errors);
    Optional<String> firmwareFilter =
        QueryParameters.matching("firmware", firmware, FIRMWARE_BUILD, errors);
    Optional<String> siteFilter = QueryParameters.text("site", site, 128, errors);
    Optional<String> verdictFilter = Optional.ofNullable(verdict);
    if (verdict != null && !VERDICTS.contains(verdict)) {
      errors.add(
          Problem.ValidationError.query(
              "verdict", "must be one of " + String.join(", ", VERDICTS)));
    }
    Optional<UUID> assessment = Optional.empty();
    if (assessmentId != null) {
      try {
        assessment = Optional.of(UUID.fromString(assessmentId));
      } catch (IllegalArgumentException e) {
        errors.add(Problem.ValidationError.query("assessmentId", "must be a UUID"));
      }
    }
    boolean retired = false;
    if (includeRetired != null) {
      switch (includeRetired.toLowerCase(Locale.ROOT)) {
        case "true" -> retired = true;
        case "false" -> retired = false;
        default ->
            errors.add(Problem.ValidationError.query("includeRetired", "must be true or false"));
      }
    }
    int pageSize = QueryParameters.limit(limit, errors);
    Optional<DeviceId> after = decodeCursor(cursor, errors);
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.validation(errors));
    }
    Catalog catalog = catalogs.current();
    Optional<Set<String>> familyModels = familyFilter.map(f -> modelsOf(catalog, f));
    Page<DeviceSummary, DeviceId> page =
        inventory.devices(
            new DeviceFilter(
                modelFilter,
                familyModels,
                firmwareFilter,
                siteFilter,
                verdictFilter,
                assessment,
                retired),
            pageSize,
            after);
    List<DeviceItem> items = new ArrayList<>(page.items().size());
    for (DeviceSummary device : page.items()) {
      items.add(
          new DeviceItem(
              device.deviceId().value(),
              device.vendor().orElse(null),
              device.model().orElse(null),
              device.model().flatMap(catalog::model).map(DeviceModel::family).orElse(null),
              device.firmware().orElse(null),
              device.site().orElse(null),
              device.active() ? "ACTIVE" : "RETIRED",
              device.lastSeenAt().toString()));
    }
    return new DevicePage(
        items, page.continueAfter().map(DevicesController::encodeCursor).orElse(null));
  }

  @Get(uri = "/{deviceId}", produces = MediaType.APPLICATION_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  Device get(@PathVariable String deviceId) {
    DeviceId id =
        DeviceId.parse(deviceId)
            .orElseThrow(
                () ->
                    new ProblemException(
                        Problem.validation(
                            Problem.ValidationError.path(
                                "deviceId", "must be a MAC address; got " + deviceId))));
    DeviceDetails device =
        inventory
            .device(id)
            .orElseThrow(
                () ->
                    new ProblemException(
                        Problem.of(ProblemType.NOT_FOUND, "No device " + id + ".")));
    List<ProvisioningPath> paths = new ArrayList<>();
    for (DeviceViews.ProvisioningPath path : device.provisioningPaths()) {
      paths.add(
          new ProvisioningPath(
              path.method().name(),
              path.firstSeenAt().toString(),
              path.lastSeenAt().toString(),
              path.site()));
    }
    List<Anchor> anchors = new ArrayList<>();
    for (DeviceViews.HeldAnchor anchor : device.anchors()) {
      anchors.add(
          new Anchor(
              anchor.subject(),
              anchor.sha256().toUpperCase(Locale.ROOT),
              anchor.spkiSha256().toUpperCase(Locale.ROOT),
              anchor.notAfter().toString(),
              anchor.provenance().name(),
              anchor.acquiredAt().toString(),
              anchor.eventId()));
    }
    List<EventRef> events = new ArrayList<>();
    for (DeviceViews.EventSummary event : device.lastEvents()) {
      events.add(
          new EventRef(
              event.id(),
              event.type(),
              event.source(),
              event.time().toString(),
              event.receivedAt().toString()));
    }
    SignIn lastSignIn =
        device
            .lastSignIn()
            .map(
                s ->
                    new SignIn(
                        s.outcome().name(),
                        s.time().toString(),
                        s.pool(),
                        s.dialedFqdn(),
                        s.site(),
                        s.failureReason().orElse(null),
                        s.tlsAlert().orElse(null),
                        s.eventId()))
            .orElse(null);
    Catalog catalog = catalogs.current();
    Optional<DeviceModel> model = device.model().flatMap(catalog::model);
    FirmwareResolution firmware =
        catalog.resolve(device.model().orElse(""), device.firmware().orElse(""));
    if (firmware instanceof FirmwareResolution.Resolved resolved) {
      anchors.addAll(firmwareAnchors(resolved.firmware().builtInRoots(), anchors));
    }
    CatalogStatus catalogStatus =
        new CatalogStatus(
            model.isPresent(),
            firmware instanceof FirmwareResolution.Resolved,
            firmware instanceof FirmwareResolution.Resolved resolved
                && resolved.firmware().builtInRoots().isKnown());
    return new Device(
        device.deviceId().value(),
        device.vendor().orElse(null),
        device.model().orElse(null),
        model.map(DeviceModel::family).orElse(null),
        device.firmware().orElse(null),
        device.userAgent().orElse(null),
        device.site().orElse(null),
        device.active() ? "ACTIVE" : "RETIRED",
        device.firstSeenAt().toString(),
        device.lastSeenAt().toString(),
        device.retiredAt().map(Instant::toString).orElse(null),
        catalogStatus,
        device.lastProvisioningMethod().map(Enum::name).orElse(null),
        paths,
        anchors,
        events,
        lastSignIn,
        device.trustProfileHash());
  }

  /**
   * The build's built-in roots as {@code FIRMWARE} anchors (contract.md, "Firmware built-ins in the
   * inventory"). A device that reported its trust store lists only the built-ins its report holds:
   * the report is its whole store, built-ins included ("Trust-store reports").
   */
  private static List<Anchor> firmwareAnchors(RootStore store, List<Anchor> held) {
    Set<String> reportedKeys = new HashSet<>();
    for (Anchor a : held) {
      if (a.provenance().equals("REPORTED")) {
        reportedKeys.add(a.spkiSha256());
      }
    }
    List<Anchor> out = new ArrayList<>();
    for (BuiltInRoot root : store.rootsOrEmpty()) {
      TrustAnchor anchor = root.anchor();
      String spki = anchor.spkiSha256().toUpperCase(Locale.ROOT);
      if (!reportedKeys.isEmpty() && !reportedKeys.contains(spki)) {
        continue;
      }
      String subject =
          anchor instanceof TrustAnchor.OfCertificate c
              ? c.certificate().facts().subject().rfc4514()
              : root.label();
      String sha256 =
          anchor instanceof TrustAnchor.OfCertificate c
              ? c.certificate().sha256().toUpperCase(Locale.ROOT)
              : null;
      out.add(
          new Anchor(
              subject,
              sha256,
              spki,
              anchor.notAfter().map(Instant::toString).orElse(null),
              "FIRMWARE",
              null,
              null));
    }
    return out;
  }

  /** The models the catalog puts in a family (its ID or an alias); none for an unknown one. */
  private static Set<String> modelsOf(Catalog catalog, String family) {
    Optional<String> id = catalog.family(family).map(FirmwareFamily::id);
    Set<String> models = new HashSet<>();
    for (DeviceModel model : catalog.models()) {
      if (id.isPresent() && model.family().equals(id.get())) {
        models.add(model.model());
      }
    }
    return models;
  }

  private static String encodeCursor(DeviceId after) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("{\"after\":\"" + after.value() + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<DeviceId> decodeCursor(
      String cursor, List<Problem.ValidationError> errors) {
    if (cursor == null) {
      return Optional.empty();
    }
    try {
      Matcher matcher =
          CURSOR.matcher(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
      if (matcher.matches()) {
        return DeviceId.parse(matcher.group(1));
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    errors.add(Problem.ValidationError.query("cursor", "is not a cursor this list handed out"));
    return Optional.empty();
  }

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record DevicePage(List<DeviceItem> items, String nextCursor) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record DeviceItem(
      String deviceId,
      String vendor,
      String model,
      String family,
      String firmware,
      String site,
      String status,
      String lastSeenAt) {}

  @Serdeable
  record CatalogStatus(boolean modelKnown, boolean buildKnown, boolean builtInRootsKnown) {}

  @Serdeable
  record ProvisioningPath(String method, String firstSeenAt, String lastSeenAt, String site) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record Anchor(
      String subject,
      String sha256Fingerprint,
      String spkiSha256,
      String notAfter,
      String provenance,
      String acquiredAt,
      String eventId) {}

  @Serdeable
  record EventRef(String id, String type, String source, String time, String receivedAt) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record SignIn(
      String outcome,
      String time,
      String pool,
      String dialedFqdn,
      String site,
      String failureReason,
      Integer tlsAlert,
      String eventId) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record Device(
      String deviceId,
      String vendor,
      String model,
      String family,
      String firmware,
      String userAgent,
      String site,
      String status,
      String firstSeenAt,
      String lastSeenAt,
      String retiredAt,
      CatalogStatus catalogStatus,
      String lastProvisioningMethod,
      List<ProvisioningPath> provisioningPaths,
      List<Anchor> anchors,
      List<EventRef> lastEvents,
      SignIn lastSignIn,
      String trustProfileHash) {}
}
