package dev.fleettrust.ingest;

import dev.fleettrust.inventory.AnchorProvenance;
import dev.fleettrust.inventory.CaCertificate;
import dev.fleettrust.inventory.DeviceEvent;
import dev.fleettrust.inventory.EventHeader;
import dev.fleettrust.inventory.EventType;
import dev.fleettrust.inventory.HeldCertificate;
import dev.fleettrust.inventory.ProvisioningMethod;
import dev.fleettrust.inventory.RejectionReason;
import dev.fleettrust.inventory.SignInOutcome;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an event's {@code data} against its type's schema in {@code api-spec/events/} and builds
 * the {@link DeviceEvent}. Unknown fields are refused, as the schemas' {@code additionalProperties:
 * false} says, so a misspelt field is a rejection and not a silent loss. Every refusal names the
 * JSONPath of the offending value.
 *
 * <p>Beyond the schemas, text that ends up in a trust profile (model, firmware, site) may not
 * contain control characters, which keeps the profile's canonical text unambiguous.
 */
@Singleton
final class EventDataReader {
  private static final int MAX_FIRMWARE_BUILD = 64;
  private static final int MAX_HOST_LABEL = 63;
  private static final int MAX_PEM_CHARS = 1024 * 1024;
  private static final Set<String> REGISTERED_FIELDS =
      Set.of(
          "model",
          "firmware",
          "userAgent",
          "pool",
          "site",
          "dialedFqdn",
          "outcome",
          "failureReason",
          "tlsAlert");
  private static final Set<String> PROVISIONED_FIELDS = Set.of("method", "site", "certificates");
  private static final Set<String> FIRMWARE_UPDATED_FIELDS = Set.of("fromBuild", "toBuild");
  private static final Set<String> TRUST_STORE_REPORTED_FIELDS = Set.of("certificates");
  private static final Set<String> REASON_FIELDS = Set.of("reason");
  private static final Set<String> CERTIFICATE_FIELDS = Set.of("pem", "source");

  /** The outcome of reading the data: an event, or why not. */
  sealed interface Result {
    record Read(DeviceEvent event) implements Result {}

    record Invalid(RejectionReason reason, String message, String field) implements Result {
      public Invalid {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(field, "field");
      }
    }
  }

  /** A refusal found deep in the data; caught in {@link #read} and returned as a value. */
  private static final class Violation extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Result.Invalid invalid;

    Violation(RejectionReason reason, String field, String message) {
      super(message, null, false, false);
      this.invalid = new Result.Invalid(reason, message, field);
    }
  }

  Result read(EventHeader header, EventType type, Optional<JsonNode> data) {
    try {
      return new Result.Read(
          switch (type) {
            case REGISTERED -> registered(header, object(data, "$.data"));
            case PROVISIONED -> provisioned(header, object(data, "$.data"));
            case FIRMWARE_UPDATED -> firmwareUpdated(header, object(data, "$.data"));
            case TRUST_STORE_REPORTED -> trustStoreReported(header, object(data, "$.data"));
            case RESET -> {
              optionalReason(data);
              yield new DeviceEvent.Reset(header);
            }
            case RETIRED -> {
              optionalReason(data);
              yield new DeviceEvent.Retired(header);
            }
          });
    } catch (Violation violation) {
      return violation.invalid;
    }
  }

  private DeviceEvent registered(EventHeader header, JsonNode data) throws Violation {
    allowOnly(data, "$.data", REGISTERED_FIELDS);
    Optional<String> model = nullableText(data, "model", 64);
    Optional<String> firmware = nullableBuild(data, "firmware");
    Optional<String> userAgentText = optionalText(data, "userAgent", 512, false);
    String pool = hostname(data, "pool");
    String site = requiredText(data, "site", 128);
    String dialedFqdn = hostname(data, "dialedFqdn");
    SignInOutcome outcome = enumValue(data, "outcome", SignInOutcome.class);
    Optional<String> failureReason = nullableText(data, "failureReason", 1024);
    Optional<Integer> tlsAlert = tlsAlert(data);
    if (userAgentText.isEmpty() && (model.isEmpty() || firmware.isEmpty())) {
      throw violation(
          "$.data",
          "data needs userAgent, or both model and firmware, so that model and build can be known");
    }
    Optional<UserAgent> userAgent = userAgentText.map(UserAgentParser::parse);
    return new DeviceEvent.Registered(
        header,
        userAgent.flatMap(UserAgent::vendor),
        model.or(() -> userAgent.flatMap(UserAgent::model)),
        firmware.or(() -> userAgent.flatMap(UserAgent::firmware)),
        userAgentText,
        pool,
        site,
        dialedFqdn,
        outcome,
        failureReason,
        tlsAlert);
  }

  private DeviceEvent provisioned(EventHeader header, JsonNode data) throws Violation {
    allowOnly(data, "$.data", PROVISIONED_FIELDS);
    ProvisioningMethod method = enumValue(data, "method", ProvisioningMethod.class);
    String site = requiredText(data, "site", 128);
    List<HeldCertificate> certificates =
        certificates(
            data,
            200,
            method.defaultProvenance(),
            EnumSet.of(
                AnchorProvenance.PROVISIONING_SERVICE,
                AnchorProvenance.ACTIVE_DIRECTORY,
                AnchorProvenance.VENDOR_PROFILE));
    return new DeviceEvent.Provisioned(header, method, site, certificates);
  }

  private DeviceEvent firmwareUpdated(EventHeader header, JsonNode data) throws Violation {
    allowOnly(data, "$.data", FIRMWARE_UPDATED_FIELDS);
    if (data.get("fromBuild") == null) {
      throw violation("$.data.fromBuild", "data.fromBuild is required (null when not known)");
    }
    Optional<String> fromBuild = nullableBuild(data, "fromBuild");
    Optional<String> toBuild = nullableBuild(data, "toBuild");
    if (toBuild.isEmpty()) {
      throw violation("$.data.toBuild", "data.toBuild is required");
    }
    return new DeviceEvent.FirmwareUpdated(header, fromBuild, toBuild.get());
  }

  private DeviceEvent trustStoreReported(EventHeader header, JsonNode data) throws Violation {
    allowOnly(data, "$.data", TRUST_STORE_REPORTED_FIELDS);
    return new DeviceEvent.TrustStoreReported(
        header,
        certificates(data, 500, AnchorProvenance.REPORTED, EnumSet.of(AnchorProvenance.REPORTED)));
  }

  private void optionalReason(Optional<JsonNode> data) throws Violation {
    if (data.isEmpty()) {
      return;
    }
    JsonNode object = object(data, "$.data");
    allowOnly(object, "$.data", REASON_FIELDS);
    optionalText(object, "reason", 1024, true);
  }

  private List<HeldCertificate> certificates(
      JsonNode data, int maxItems, AnchorProvenance defaultSource, Set<AnchorProvenance> sources)
      throws Violation {
    JsonNode items = data.get("certificates");
    if (items == null || items.isNull()) {
      throw violation("$.data.certificates", "data.certificates is required");
    }
    if (!items.isArray()) {
      throw violation("$.data.certificates", "data.certificates must be an array");
    }
    if (items.size() > maxItems) {
      throw violation(
          "$.data.certificates",
          "data.certificates holds " + items.size() + " items; at most " + maxItems);
    }
    List<HeldCertificate> held = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String path = "$.data.certificates[" + i + "]";
      JsonNode item = items.get(i);
      String pem;
      AnchorProvenance source = defaultSource;
      if (item.isString()) {
        pem = item.getStringValue();
      } else if (item.isObject()) {
        allowOnly(item, path, CERTIFICATE_FIELDS);
        JsonNode pemNode = item.get("pem");
        if (pemNode == null || !pemNode.isString()) {
          throw violation(path + ".pem", path.substring(2) + ".pem must be a PEM string");
        }
        pem = pemNode.getStringValue();
        JsonNode sourceNode = item.get("source");
        Optional<AnchorProvenance> named =
            sourceNode != null && sourceNode.isString()
                ? parseEnum(AnchorProvenance.class, sourceNode.getStringValue())
                : Optional.empty();
        if (named.isEmpty() || !sources.contains(named.get())) {
          throw violation(
              path + ".source", path.substring(2) + ".source must be one of " + sources);
        }
        source = named.get();
      } else {
        throw violation(path, path.substring(2) + " must be a PEM string or {pem, source}");
      }
      if (pem.isEmpty() || pem.length() > MAX_PEM_CHARS) {
        throw violation(path, path.substring(2) + " must hold 1 to 1 MiB of PEM");
      }
      PemCertificates.Parsed parsed = PemCertificates.parse(pem);
      if (parsed instanceof PemCertificates.Parsed.Unparseable unparseable) {
        throw new Violation(
            RejectionReason.UNPARSEABLE_PEM,
            path,
            "Certificate " + (i + 1) + " (" + path + ") does not parse: " + unparseable.message());
      }
      for (CaCertificate certificate :
          ((PemCertificates.Parsed.Certificates) parsed).certificates()) {
        held.add(new HeldCertificate(certificate, source));
      }
    }
    return held;
  }

  private static JsonNode object(Optional<JsonNode> data, String path) throws Violation {
    if (data.isEmpty()) {
      throw violation(path, "data is required for this type");
    }
    if (!data.get().isObject()) {
      throw violation(path, "data must be a JSON object");
    }
    return data.get();
  }

  private static void allowOnly(JsonNode object, String path, Set<String> names) throws Violation {
    for (Map.Entry<String, JsonNode> entry : object.entries()) {
      if (!names.contains(entry.getKey())) {
        throw violation(
            path + "." + entry.getKey(),
            path.substring(2) + "." + entry.getKey() + " is not a field of this event type");
      }
    }
  }

  private static String requiredText(JsonNode data, String name, int maxLength) throws Violation {
    return optionalText(data, name, maxLength, false)
        .orElseThrow(() -> violation("$.data." + name, "data." + name + " is required"));
  }

  /** A string field that may be absent; {@code null} is refused unless the schema allows it. */
  private static Optional<String> optionalText(
      JsonNode data, String name, int maxLength, boolean allowControl) throws Violation {
    JsonNode node = data.get(name);
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isString()) {
      throw violation("$.data." + name, "data." + name + " must be a string");
    }
    return Optional.of(checkedText(node.getStringValue(), name, maxLength, allowControl));
  }

  private static Optional<String> nullableText(JsonNode data, String name, int maxLength)
      throws Violation {
    JsonNode node = data.get(name);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isString()) {
      throw violation("$.data." + name, "data." + name + " must be a string or null");
    }
    return Optional.of(checkedText(node.getStringValue(), name, maxLength, false));
  }

  private static String checkedText(String value, String name, int maxLength, boolean allowControl)
      throws Violation {
    String text = value.strip();
    if (text.isEmpty() || text.length() > maxLength) {
      throw violation(
          "$.data." + name, "data." + name + " must be 1 to " + maxLength + " characters");
    }
    if (!allowControl) {
      for (int i = 0; i < text.length(); i++) {
        if (Character.isISOControl(text.charAt(i))) {
          throw violation("$.data." + name, "data." + name + " contains control characters");
        }
      }
    }
    return text;
  }

  private static Optional<String> nullableBuild(JsonNode data, String name) throws Violation {
    JsonNode node = data.get(name);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isString() || !isFirmwareBuild(node.getStringValue())) {
      throw violation(
          "$.data." + name,
          "data." + name + " must be a firmware build such as 4.0.7577.4420, or null");
    }
    return Optional.of(node.getStringValue());
  }

  /**
   * {@code [0-9A-Za-z][0-9A-Za-z._-]{0,63}}, scanned by hand: it runs on most events, where a
   * regular expression's matcher cost more than the rest of the check.
   */
  private static boolean isFirmwareBuild(String build) {
    if (build.isEmpty()
        || build.length() > MAX_FIRMWARE_BUILD
        || !isAlphanumeric(build.charAt(0))) {
      return false;
    }
    for (int i = 1; i < build.length(); i++) {
      char c = build.charAt(i);
      if (!isAlphanumeric(c) && c != '.' && c != '_' && c != '-') {
        return false;
      }
    }
    return true;
  }

  /**
   * A DNS host name (RFC 1123), lower-cased: host names compare case-insensitively. Scanned by hand
   * for the same reason as {@link #isFirmwareBuild}: every label {@code
   * [A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?}, one optional trailing dot.
   */
  private static String hostname(JsonNode data, String name) throws Violation {
    String value = requiredText(data, name, 253);
    String host = value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
    int labelStart = 0;
    for (int i = 0; i <= host.length(); i++) {
      if (i == host.length() || host.charAt(i) == '.') {
        if (!isHostLabel(host, labelStart, i)) {
          throw violation("$.data." + name, "data." + name + " must be a host name; got " + value);
        }
        labelStart = i + 1;
      }
    }
    return host.toLowerCase(Locale.ROOT);
  }

  private static boolean isHostLabel(String host, int start, int end) {
    int length = end - start;
    if (length < 1
        || length > MAX_HOST_LABEL
        || !isAlphanumeric(host.charAt(start))
        || !isAlphanumeric(host.charAt(end - 1))) {
      return false;
    }
    for (int i = start + 1; i < end - 1; i++) {
      char c = host.charAt(i);
      if (!isAlphanumeric(c) && c != '-') {
        return false;
      }
    }
    return true;
  }

  /** ASCII only, as the regular expressions' {@code [0-9A-Za-z]} was. */
  private static boolean isAlphanumeric(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  private static Optional<Integer> tlsAlert(JsonNode data) throws Violation {
    JsonNode node = data.get("tlsAlert");
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isNumber()
        || node.getDoubleValue() != Math.rint(node.getDoubleValue())
        || node.getDoubleValue() < 0
        || node.getDoubleValue() > 255) {
      throw violation("$.data.tlsAlert", "data.tlsAlert must be an integer from 0 to 255, or null");
    }
    return Optional.of(node.getIntValue());
  }

  private static <E extends Enum<E>> E enumValue(JsonNode data, String name, Class<E> type)
      throws Violation {
    JsonNode node = data.get(name);
    Optional<E> value =
        node != null && node.isString() ? parseEnum(type, node.getStringValue()) : Optional.empty();
    if (value.isEmpty()) {
      StringBuilder allowed = new StringBuilder();
      for (E constant : type.getEnumConstants()) {
        allowed.append(allowed.length() == 0 ? "" : ", ").append(constant.name());
      }
      String got = node == null ? "nothing" : String.valueOf(node.getValue());
      throw violation(
          "$.data." + name,
          "data."
              + name
              + " must be one of "
              + allowed
              + "; got "
              + (node == null ? got : "\"" + got + "\""));
    }
    return value.get();
  }

  private static <E extends Enum<E>> Optional<E> parseEnum(Class<E> type, String name) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(name)) {
        return Optional.of(constant);
      }
    }
    return Optional.empty();
  }

  private static Violation violation(String field, String message) {
    return new Violation(RejectionReason.SCHEMA_VIOLATION, field, message);
  }
}
