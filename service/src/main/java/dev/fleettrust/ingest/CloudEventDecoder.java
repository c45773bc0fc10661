package dev.fleettrust.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.fleettrust.inventory.DeviceId;
import dev.fleettrust.inventory.EventHeader;
import dev.fleettrust.inventory.EventType;
import dev.fleettrust.inventory.RejectionReason;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>A Kafka record is read once, with Jackson's streaming parser straight into the same {@link
 * JsonNode} tree micronaut-serde would build, and the {@code data} kept for the history is the
 * record's own bytes for that value rather than the tree written out again (see {@link
 * #storedData}). Both were the larger part of the consumer's CPU per event outside the database.
 */
@Singleton
public final class CloudEventDecoder {
  static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";
  private static final char REPLACEMENT_CHARACTER = '\uFFFD';

  private static final String JSON_MEDIA_TYPE_ITSELF = "application/json";
  private static final Pattern JSON_MEDIA_TYPE =
      Pattern.compile("^application/(?:[a-z0-9.+-]+\\+)?json\\s*(?:;.*)?$");

  /**
   * Jackson's defaults, which are also what micronaut-serde's {@link JsonMapper} parses with while
   * the application sets no {@code micronaut.serde.jackson} features (it sets none): the same
   * grammar, the same nesting and size limits.
   */
  private static final JsonFactory JSON_FACTORY = JsonFactory.builder().build();

  private static final int MAX_KNOWN_SOURCES = 1024;

  private final JsonMapper json;
  private final EventDataReader dataReader;
  private final Clock clock;
  private final Duration maxFutureSkew;

  /**
   * Sources already found to be URI-references. Producers reuse a handful of sources, and parsing
   * each one again with {@link URI} cost more than the rest of the envelope's checks; the bound
   * keeps a producer with a source per event from growing it.
   */
  private final Set<String> knownSources = ConcurrentHashMap.newKeySet();

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

  /**
   * Parses JSON text into the tree {@code json.readValue(bytes, JsonNode.class)} gives; empty when
   * it is not JSON at all (or is {@code null}).
   */
  public Optional<JsonNode> parseJson(byte[] bytes) {
    return ParsedRecord.read(bytes, false).map(ParsedRecord::root);
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
    Optional<ParsedRecord> parsed = ParsedRecord.read(value, true);
    if (parsed.isEmpty()) {
      return refuse(RejectionReason.NOT_JSON, "The record value is not JSON", Optional.empty());
    }
    return decodeStructured(parsed.get().root(), parsed.get().data());
  }

  /** Decodes one event in the JSON event format (a structured-mode record or an HTTP item). */
  public DecodedEvent decodeStructured(JsonNode event) {
    return decodeStructured(event, RawData.NONE);
  }

  private DecodedEvent decodeStructured(JsonNode event, RawData rawData) {
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
      if (isContextAttribute(name)) {
        if (!name.equals("data") && !value.isString()) {
          return attributes.refuse(
              RejectionReason.SCHEMA_VIOLATION, name + " must be a string", "$." + name);
        }
      } else if (name.equals("data_base64")) {
        return attributes.refuse(
            RejectionReason.SCHEMA_VIOLATION,
            "data_base64 is not accepted: events carry JSON data",
            "$.data_base64");
      } else if (!isExtensionName(name)
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
    return decode(attributes, Optional.ofNullable(data).filter(d -> !d.isNull()), rawData);
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
      return decode(attributes, Optional.empty(), RawData.NONE);
    }
    Optional<ParsedRecord> data = ParsedRecord.read(value, false);
    if (data.isEmpty()) {
      return attributes.refuse(
          RejectionReason.NOT_JSON, "The record value (the event's data) is not JSON", "$.data");
    }
    return decode(attributes, Optional.of(data.get().root()), data.get().data());
  }

  private DecodedEvent decode(Attributes attributes, Optional<JsonNode> data, RawData rawData) {
    Optional<String> nul =
        attributes.fieldWithNul().or(() -> data.flatMap(d -> withNul(d, "$.data")));
    if (nul.isPresent()) {
      return attributes.refuse(
          RejectionReason.SCHEMA_VIOLATION,
          nul.get() + " holds U+0000 (NUL), which no text may contain",
          nul.get());
    }
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
    if (!isKnownUriReference(attributes.source.get())) {
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
    Optional<Instant> parsedTime = parseTime(attributes.time.get());
    if (parsedTime.isEmpty()) {
      return attributes.refuse(
          RejectionReason.SCHEMA_VIOLATION,
          "time must be an RFC 3339 date-time; got " + attributes.time.get(),
          "$.time");
    }
    Instant time = parsedTime.get();
    if (time.isAfter(clock.instant().plus(maxFutureSkew))) {
      return attributes.refuse(
          RejectionReason.SCHEMA_VIOLATION,
          "time " + attributes.time.get() + " is more than " + maxFutureSkew + " in the future",
          "$.time");
    }
    if (attributes.dataContentType.isPresent()
        && !isJsonMediaType(attributes.dataContentType.get())) {
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
    return new DecodedEvent.Valid(read.event(), data.map(d -> storedData(d, rawData)));
  }

  /**
   * The data as JSON text for the history: the record's own bytes for it when they say exactly what
   * the tree says, else the tree written out, as before. The column is {@code jsonb}, which keeps
   * neither white space, key order, duplicate keys nor escapes as sent, so both texts store the
   * same value. The tree is used when the value holds a non-integer number (written out, {@code
   * 4e1} becomes {@code 40.0}, which {@code jsonb} keeps as a different numeric text) or when the
   * bytes are not well-formed UTF-8 (Jackson reads some such sequences, for instance encoded
   * surrogates, that Java's decoder would turn into U+FFFD).
   */
  private String storedData(JsonNode data, RawData raw) {
    if (raw.exact()) {
      String text =
          new String(raw.bytes(), raw.start(), raw.end() - raw.start(), StandardCharsets.UTF_8);
      if (text.indexOf(REPLACEMENT_CHARACTER) < 0) {
        return text;
      }
    }
    return toJson(data);
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

  private boolean isKnownUriReference(String source) {
    if (knownSources.contains(source)) {
      return true;
    }
    boolean valid = isUriReference(source);
    if (valid && knownSources.size() < MAX_KNOWN_SOURCES) {
      knownSources.add(source);
    }
    return valid;
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

  /**
   * Parses an RFC 3339 {@code date-time} exactly as {@link OffsetDateTime#parse(CharSequence)}
   * does; that parser stays the definition (optional seconds, 0 to 9 fraction digits, {@code t} and
   * {@code z} in either case, no leap second, signed years beyond four digits, {@code +hh}
   * offsets). The one form producers send, {@code 2026-11-22T10:15:30[.fraction](Z|±hh:mm)}, is
   * read by hand, because the JDK's general formatter machinery (a parse context and field maps per
   * call) was a fifth of the decoder's CPU; any other text, valid or not, goes to the JDK.
   * CloudEventDecoderTimeTest compares the two.
   */
  static Optional<Instant> parseTime(String text) {
    Instant usual = parseUsualTime(text);
    if (usual != null) {
      return Optional.of(usual);
    }
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** {@code yyyy-MM-dd'T'HH:mm:ss[.f{1,9}](Z|±hh:mm)} with valid fields, else null. */
  private static Instant parseUsualTime(String text) {
    int length = text.length();
    if (length < 20
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || (text.charAt(10) != 'T' && text.charAt(10) != 't')
        || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > Month.of(month).length(Year.isLeap(year))
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return null;
    }
    int at = 19;
    int nanos = 0;
    if (text.charAt(at) == '.') {
      int start = ++at;
      while (at < length && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
        at++;
      }
      if (at == start || at - start > 9) {
        return null;
      }
      nanos = digits(text, start, at - start);
      for (int i = at - start; i < 9; i++) {
        nanos *= 10;
      }
    }
    if (at == length) {
      return null;
    }
    int offsetSeconds;
    char zone = text.charAt(at);
    if ((zone == 'Z' || zone == 'z') && at + 1 == length) {
      offsetSeconds = 0;
    } else if ((zone == '+' || zone == '-') && at + 6 == length && text.charAt(at + 3) == ':') {
      int offsetHours = digits(text, at + 1, 2);
      int offsetMinutes = digits(text, at + 4, 2);
      // ±18:00 is the JDK's limit; leave that edge, and everything beyond it, to the JDK.
      if (offsetHours < 0 || offsetHours > 17 || offsetMinutes < 0 || offsetMinutes > 59) {
        return null;
      }
      offsetSeconds = (zone == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
    } else {
      return null;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(
        epochDay * 86_400L + hour * 3600 + minute * 60 + second - offsetSeconds, nanos);
  }

  /** The value of {@code count} ASCII digits from {@code from}, or -1. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isContextAttribute(String name) {
    return switch (name) {
      case "specversion",
              "id",
              "source",
              "type",
              "subject",
              "time",
              "datacontenttype",
              "dataschema",
              "data" ->
          true;
      default -> false;
    };
  }

  /** {@code [a-z0-9]{1,20}}, the CloudEvents extension attribute naming rule. */
  private static boolean isExtensionName(String name) {
    if (name.isEmpty() || name.length() > 20) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if ((c < 'a' || c > 'z') && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isJsonMediaType(String contentType) {
    return contentType.equals(JSON_MEDIA_TYPE_ITSELF)
        || JSON_MEDIA_TYPE.matcher(contentType).matches();
  }

  /**
   * The JSONPath of the first member name or string value holding U+0000, which PostgreSQL refuses
   * in text and JSON alike: such an event is a schema violation, not a storage failure.
   */
  static Optional<String> withNul(JsonNode node, String path) {
    if (node.isString()) {
      return node.getStringValue().indexOf('\0') >= 0 ? Optional.of(path) : Optional.empty();
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> member : node.entries()) {
        String memberPath = path + "." + member.getKey();
        if (member.getKey().indexOf('\0') >= 0) {
          return Optional.of(memberPath);
        }
        Optional<String> found = withNul(member.getValue(), memberPath);
        if (found.isPresent()) {
          return found;
        }
      }
    } else if (node.isArray()) {
      int index = 0;
      for (JsonNode item : node.values()) {
        Optional<String> found = withNul(item, path + "[" + index++ + "]");
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
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

  /**
   * Where a record's data lies in its bytes; {@code exact} when those bytes are a JSON object whose
   * numbers are all integers, so that they say what the tree says.
   */
  private record RawData(byte[] bytes, int start, int end, boolean exact) {
    static final RawData NONE = new RawData(new byte[0], 0, 0, false);
  }

  /**
   * A record value parsed once: the tree, built as micronaut-serde's {@code JacksonDecoder} builds
   * it (the same node for every token, numbers by {@link JsonParser#getNumberValue()}, objects in a
   * {@link LinkedHashMap} where a repeated key keeps its last value, nothing read past the first
   * value), and where the data lies: the whole value in binary mode, the {@code data} member in
   * structured mode. CloudEventDecoderJsonTest compares the trees with the mapper's.
   */
  private record ParsedRecord(JsonNode root, RawData data) {
    /** Empty for what is not JSON, and for {@code null}, as {@code readValue} gives null for it. */
    static Optional<ParsedRecord> read(byte[] bytes, boolean structured) {
      try (JsonParser parser = JSON_FACTORY.createParser(bytes)) {
        JsonToken first = parser.nextToken();
        if (first == null || first == JsonToken.VALUE_NULL) {
          return Optional.empty();
        }
        TreeBuilder builder = new TreeBuilder(parser, bytes);
        JsonNode root =
            structured && first == JsonToken.START_OBJECT
                ? builder.event()
                : builder.rootData(first);
        return Optional.of(new ParsedRecord(root, builder.data));
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
  }

  private static final class TreeBuilder {
    private final JsonParser parser;
    private final byte[] bytes;
    private boolean nonInteger;
    private RawData data = RawData.NONE;

    TreeBuilder(JsonParser parser, byte[] bytes) {
      this.parser = parser;
      this.bytes = bytes;
    }

    /** A structured-mode event: an object whose {@code data} member is located. */
    JsonNode event() throws IOException {
      Map<String, JsonNode> members = new LinkedHashMap<>();
      String name;
      while ((name = parser.nextFieldName()) != null) {
        JsonToken token = parser.nextToken();
        members.put(name, name.equals("data") ? located(token) : value(token));
      }
      return JsonNode.createObjectNode(members);
    }

    JsonNode rootData(JsonToken token) throws IOException {
      return located(token);
    }

    private JsonNode located(JsonToken token) throws IOException {
      long start = parser.currentTokenLocation().getByteOffset();
      nonInteger = false;
      JsonNode node = value(token);
      long last = parser.currentTokenLocation().getByteOffset();
      boolean exact = token == JsonToken.START_OBJECT && !nonInteger && start >= 0 && last > start;
      data = exact ? new RawData(bytes, (int) start, (int) last + 1, true) : RawData.NONE;
      return node;
    }

    private JsonNode value(JsonToken token) throws IOException {
      return switch (token) {
        case START_OBJECT -> object();
        case START_ARRAY -> array();
        case VALUE_STRING -> JsonNode.createStringNode(parser.getText());
        case VALUE_NUMBER_INT -> number();
        case VALUE_NUMBER_FLOAT -> {
          nonInteger = true;
          yield number();
        }
        case VALUE_TRUE -> JsonNode.createBooleanNode(true);
        case VALUE_FALSE -> JsonNode.createBooleanNode(false);
        case VALUE_NULL -> JsonNode.nullNode();
        default -> throw new JsonParseException(parser, "Unexpected token " + token);
      };
    }

    private JsonNode object() throws IOException {
      Map<String, JsonNode> members = new LinkedHashMap<>();
      String name;
      while ((name = parser.nextFieldName()) != null) {
        members.put(name, value(parser.nextToken()));
      }
      return JsonNode.createObjectNode(members);
    }

    private JsonNode array() throws IOException {
      List<JsonNode> items = new ArrayList<>();
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        items.add(value(token));
      }
      return JsonNode.createArrayNode(items);
    }

    /** As micronaut-serde picks the node for a number: by the type Jackson reads it as. */
    private JsonNode number() throws IOException {
      Number number = parser.getNumberValue();
      if (number instanceof Byte || number instanceof Short || number instanceof Integer) {
        return JsonNode.createNumberNode(number.intValue());
      } else if (number instanceof Long) {
        return JsonNode.createNumberNode(number.longValue());
      } else if (number instanceof Float) {
        return JsonNode.createNumberNode(number.floatValue());
      } else if (number instanceof Double) {
        return JsonNode.createNumberNode(number.doubleValue());
      } else if (number instanceof BigInteger big) {
        return JsonNode.createNumberNode(big);
      } else if (number instanceof BigDecimal decimal) {
        return JsonNode.createNumberNode(decimal);
      }
      return JsonNode.createNumberNode(parser.getDecimalValue());
    }
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

    Optional<String> fieldWithNul() {
      String field =
          hasNul(id)
              ? "$.id"
              : hasNul(subject)
                  ? "$.subject"
                  : hasNul(source)
                      ? "$.source"
                      : hasNul(type)
                          ? "$.type"
                          : hasNul(time)
                              ? "$.time"
                              : hasNul(dataContentType)
                                  ? "$.datacontenttype"
                                  : hasNul(specversion) ? "$.specversion" : null;
      return Optional.ofNullable(field);
    }

    private static boolean hasNul(Optional<String> value) {
      return value.isPresent() && value.get().indexOf('\0') >= 0;
    }

    DecodedEvent refuse(RejectionReason reason, String message, String field) {
      return new DecodedEvent.Refused(reason, message, Optional.of(field), id, type, subject);
    }
  }
}
