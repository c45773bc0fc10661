package dev.fleettrust.ingest;

import dev.fleettrust.inventory.DeviceId;
import dev.fleettrust.inventory.EventHeader;
import dev.fleettrust.inventory.EventType;
import dev.fleettrust.inventory.RejectionReason;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads CloudEvents 1.0 (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md) in
 * the JSON event format, and in both modes of the Kafka protocol binding: structured ({@code
 * content-type: application/cloudevents+json}, the whole event in the record value) and binary
 * (attributes in {@code ce_} headers, the data in the value). A record with neither marker is read
 * as structured, since a CloudEvent names its own {@code specversion}.
 *
 * <p>The envelope rules are those of {@code api-spec/events/cloudevent-envelope.schema.json}:
 * {@code subject} (the device ID, normalised here) and {@code time} are required, extension
 * attributes are allowed and ignored, {@code data_base64} is refused. The data is checked by {@link
 * EventDataReader}.
 */
@Singleton
public final class CloudEventDecoder {
  static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";

  private static final Set<String> CONTEXT_ATTRIBUTES =
      Set.of(
          "specversion",
          "id",
          "source",
          "type",
          "subject",
          "time",
          "datacontenttype",
          "dataschema",
          "data");
  private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]{1,20}");
  private static final Pattern JSON_MEDIA_TYPE =
      Pattern.compile("^application/(?:[a-z0-9.+-]+\\+)?json\\s*(?:;.*)?$");

  private final JsonMapper json;
  private final EventDataReader dataReader;
  private final Clock clock;
  private final Duration maxFutureSkew;

  @Inject
  CloudEventDecoder(JsonMapper json, EventDataReader dataReader, IngestSettings settings) {
    this(json, dataReader, Clock.systemUTC(), settings.maxFutureSkew());
  }

  CloudEventDecoder(
      JsonMapper json, EventDataReader dataReader, Clock clock, Duration maxFutureSkew) {
    this.json = json;
    this.dataReader = dataReader;
    this.clock = clock;
    this.maxFutureSkew = maxFutureSkew;
  }

  /** Parses JSON text; empty when it is not JSON at all. */
  public Optional<JsonNode> parseJson(byte[] bytes) {
    try {
      return Optional.ofNullable(json.readValue(bytes, Argument.of(JsonNode.class)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Decodes a Kafka record's value and headers (header values are UTF-8, as the binding says). */
  public DecodedEvent decodeKafka(byte[] value, Map<String, byte[]> headers) {
    if (headers.containsKey("ce_specversion")) {
      return decodeBinary(value, headers);
    }
    Optional<String> contentType = header(headers, "content-type");
    if (contentType.isPresent()
        && contentType.get().toLowerCase().startsWith("application/cloudevents")
        && !contentType.get().toLowerCase().startsWith(STRUCTURED_CONTENT_TYPE)) {
      return refuse(
          RejectionReason.SCHEMA_VIOLATION,
          "content-type " + contentType.get() + " is not an event format FleetTrust reads",
          Optional.empty());
    }
    if (value == null || value.length == 0) {
      return refuse(
          RejectionReason.NOT_JSON,
          "The record has no value and no ce_ headers: it is not a CloudEvent",
          Optional.empty());
    }
    return parseJson(value)
        .map(this::decodeStructured)
        .orElseGet(
            () ->
                refuse(RejectionReason.NOT_JSON, "The record value is not JSON", Optional.empty()));
  }

  /** Decodes one event in the JSON event format (a structured-mode record or an HTTP item). */
  public DecodedEvent decodeStructured(JsonNode event) {
    if (!event.isObject()) {
      return refuse(
          RejectionReason.SCHEMA_VIOLATION, "A CloudEvent is a JSON object", Optional.of("$"));
    }
    Attributes attributes =
        new Attributes(
            text(event.get("specversion")),
            text(event.get("id")),
            text(event.get("source")),
            text(event.get("type")),
            text(event.get("subject")),
            text(event.get("time")),
            text(event.get("datacontenttype")));
    for (Map.Entry<String, JsonNode> attribute : event.entries()) {
      String name = attribute.getKey();
      JsonNode value = attribute.getValue();
      if (CONTEXT_ATTRIBUTES.contains(name)) {
        if (!name.equals("data") && !value.isString()) {
          return attributes.refuse(
              RejectionReason.SCHEMA_VIOLATION, name + " must be a string", "$." + name);
        }
      } else if (name.equals("data_base64")) {
        return attributes.refuse(
            RejectionReason.SCHEMA_VIOLATION,
            "data_base64 is not accepted: events carry JSON data",
            "$.data_base64");
      } else if (!EXTENSION_NAME.matcher(name).matches()
          || !(value.isString() || value.isBoolean() || isInteger(value))) {
        return attributes.refuse(
            RejectionReason.SCHEMA_VIOLATION,
            name
                + " is neither a CloudEvents attribute nor an extension attribute"
                + " (lower-case alphanumeric name, string, integer or boolean value)",
            "$." + name);
      }
    }
    JsonNode dataschema = event.get("dataschema");
    if (dataschema != null && !isAbsoluteUri(dataschema.getStringValue())) {
      return attributes.refuse(
          RejectionReason.SCHEMA_VIOLATION, "dataschema must be an absolute URI", "$.dataschema");
    }
    JsonNode data = event.get("data");
    return decode(attributes, Optional.ofNullable(data).filter(d -> !d.isNull()));
  }

  private DecodedEvent decodeBinary(byte[] value, Map<String, byte[]> headers) {
    Attributes attributes =
        new Attributes(
            header(headers, "ce_specversion"),
            header(headers, "ce_id"),
            header(headers, "ce_source"),
            header(headers, "ce_type"),
            header(headers, "ce_subject"),
            header(headers, "ce_time"),
            header(headers, "content-type"));
    if (value == null || value.length == 0) {
      return decode(attributes, Optional.empty());
    }
    Optional<JsonNode> data = parseJson(value);
    if (data.isEmpty()) {
      return attributes.refuse(
          RejectionReason.NOT_JSON, "The record value (the event's data) is not JSON", "$.data");
    }
    return decode(attributes, data.filter(d -> !d.isNull()));
  }

  private DecodedEvent decode(Attributes attributes, Optional<JsonNode> data) {
    if (attributes.specversion.isEmpty()) {
      return attributes.refuse(
          RejectionReason.SCHEMA_VIOLATION, "specversion is required", "$.specversion");
    }
    if (!attributes.specversion.get().equals("1.0")) {
      return attributes.refuse(
          RejectionReason.SCHEMA_VIOLATION,
          "specversion must be 1.0; got " + attributes.specversion.get(),
          "$.specversion");
    }
    if (attributes.type.isEmpty()) {
      return attributes.refuse(RejectionReason.SCHEMA_VIOLATION, "type is required", "$.type");
    }
    Optional<EventType> type = EventType.fromCloudEventType(attributes.type.get());
    if (type.isEmpty()) {
      return attributes.refuse(
          RejectionReason.UNKNOWN_TYPE,
          "type " + attributes.type.get() + " is not a known event type",
          "$.type");
    }
    Optional<DecodedEvent> invalid =
        length(attributes, "id", attributes.id, 256)
            .or(() -> length(attributes, "source", attributes.source, 1024));
    if (invalid.isPresent()) {
      return invalid.get();
    }
    if (!isUriReference(attributes.source.get())) {
      return attributes.refuse(
          RejectionReason.SCHEMA_VIOLATION, "source must be a URI-reference", "$.source");
    }
    if (attributes.subject.isEmpty()) {
      return attributes.refuse(
          RejectionReason.SCHEMA_VIOLATION,
          "subject is required: the device's MAC address",
          "$.subject");
    }
    Optional<DeviceId> deviceId = DeviceId.parse(attributes.subject.get());
    if (deviceId.isEmpty()) {
      return attributes.refuse(
          RejectionReason.SCHEMA_VIOLATION,
          "subject must be a MAC address; got " + attributes.subject.get(),
          "$.subject");
    }
    if (attributes.time.isEmpty()) {
      return attributes.refuse(RejectionReason.SCHEMA_VIOLATION, "time is required", "$.time");
    }
    Instant time;
    try {
      time = OffsetDateTime.parse(attributes.time.get()).toInstant();
    } catch (DateTimeParseException e) {
      return attributes.refuse(
          RejectionReason.SCHEMA_VIOLATION,
          "time must be an RFC 3339 date-time; got " + attributes.time.get(),
          "$.time");
    }
    if (time.isAfter(clock.instant().plus(maxFutureSkew))) {
      return attributes.refuse(
          RejectionReason.SCHEMA_VIOLATION,
          "time " + attributes.time.get() + " is more than " + maxFutureSkew + " in the future",
          "$.time");
    }
    if (attributes.dataContentType.isPresent()
        && !JSON_MEDIA_TYPE.matcher(attributes.dataContentType.get()).matches()) {
      return attributes.refuse(
          RejectionReason.SCHEMA_VIOLATION,
          "datacontenttype must be a JSON media type; got " + attributes.dataContentType.get(),
          "$.datacontenttype");
    }
    EventHeader header =
        new EventHeader(attributes.id.get(), attributes.source.get(), time, deviceId.get());
    EventDataReader.Result result = dataReader.read(header, type.get(), data);
    if (result instanceof EventDataReader.Result.Invalid invalidData) {
      return attributes.refuse(invalidData.reason(), invalidData.message(), invalidData.field());
    }
    EventDataReader.Result.Read read = (EventDataReader.Result.Read) result;
    return new DecodedEvent.Valid(read.event(), data.map(this::toJson));
  }

  private String toJson(JsonNode node) {
    try {
      return json.writeValueAsString(node);
    } catch (IOException e) {
      throw new IllegalStateException("A parsed JSON tree always serialises", e);
    }
  }

  private static Optional<DecodedEvent> length(
      Attributes attributes, String name, Optional<String> value, int maxLength) {
    if (value.isEmpty()) {
      return Optional.of(
          attributes.refuse(RejectionReason.SCHEMA_VIOLATION, name + " is required", "$." + name));
    }
    if (value.get().length() > maxLength) {
      return Optional.of(
          attributes.refuse(
              RejectionReason.SCHEMA_VIOLATION,
              name + " must be at most " + maxLength + " characters",
              "$." + name));
    }
    return Optional.empty();
  }

  private static boolean isInteger(JsonNode value) {
    return value.isNumber() && value.getDoubleValue() == Math.rint(value.getDoubleValue());
  }

  private static boolean isUriReference(String source) {
    try {
      new URI(source);
      return true;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static boolean isAbsoluteUri(String value) {
    try {
      return new URI(value).isAbsolute();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static Optional<String> text(JsonNode node) {
    return node != null && node.isString() && !node.getStringValue().isEmpty()
        ? Optional.of(node.getStringValue())
        : Optional.empty();
  }

  private static Optional<String> header(Map<String, byte[]> headers, String name) {
    byte[] value = headers.get(name);
    return value == null || value.length == 0
        ? Optional.empty()
        : Optional.of(new String(value, StandardCharsets.UTF_8));
  }

  private static DecodedEvent refuse(
      RejectionReason reason, String message, Optional<String> field) {
    return new DecodedEvent.Refused(
        reason, message, field, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** The context attributes as read, before they are checked. */
  private record Attributes(
      Optional<String> specversion,
      Optional<String> id,
      Optional<String> source,
      Optional<String> type,
      Optional<String> subject,
      Optional<String> time,
      Optional<String> dataContentType) {

    DecodedEvent refuse(RejectionReason reason, String message, String field) {
      return new DecodedEvent.Refused(reason, message, Optional.of(field), id, type, subject);
    }
  }
}
