package dev.fleettrust.api.problem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One RFC 9457 problem: its type, a human-readable detail and the type's extension members. Build
 * it with the factory for its type so the members the spec requires are there.
 */
public record Problem(ProblemType type, String detail, Map<String, Object> members) {

  public Problem {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(detail, "detail");
    members = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members));
  }

  /** Where a validation error is: in the body, the query, the path or a header. */
  public enum Location {
    BODY("body"),
    QUERY("query"),
    PATH("path"),
    HEADER("header");

    private final String value;

    Location(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }
  }

  /**
   * One violation in a 400: for {@link Location#BODY} the field is a JSONPath ({@code
   * $.changes[0].usage}), absent when the body is not JSON at all; otherwise a parameter name.
   */
  public record ValidationError(Location location, Optional<String> field, String message) {
    public ValidationError {
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(message, "message");
    }

    public static ValidationError query(String parameter, String message) {
      return new ValidationError(Location.QUERY, Optional.of(parameter), message);
    }

    public static ValidationError path(String parameter, String message) {
      return new ValidationError(Location.PATH, Optional.of(parameter), message);
    }

    public static ValidationError body(String jsonPath, String message) {
      return new ValidationError(Location.BODY, Optional.ofNullable(jsonPath), message);
    }

    Map<String, Object> toMap() {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("location", location.value());
      field.ifPresent(f -> error.put("field", f));
      error.put("message", message);
      return error;
    }
  }

  /** What kind of thing an unknown reference names (the spec's {@code kind} values). */
  public enum ReferenceKind {
    POOL,
    USAGE,
    FAMILY,
    EXCHANGE_HOST
  }

  public static Problem of(ProblemType type, String detail) {
    return new Problem(type, detail, Map.of());
  }

  public static Problem validation(List<ValidationError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("A validation problem lists at least one violation");
    }
    List<Map<String, Object>> list = new ArrayList<>();
    errors.forEach(e -> list.add(e.toMap()));
    String detail = errors.size() == 1 ? errors.get(0).message() : errors.size() + " violations.";
    return new Problem(ProblemType.VALIDATION, detail, Map.of("errors", list));
  }

  public static Problem validation(ValidationError error) {
    return validation(List.of(error));
  }

  public static Problem forbidden(String requiredRole, String detail) {
    return new Problem(ProblemType.FORBIDDEN, detail, Map.of("requiredRole", requiredRole));
  }

  public static Problem payloadTooLarge(long limitBytes, String detail) {
    return new Problem(ProblemType.PAYLOAD_TOO_LARGE, detail, Map.of("limitBytes", limitBytes));
  }

  public static Problem unsupportedMediaType(List<String> supported, String detail) {
    return new Problem(
        ProblemType.UNSUPPORTED_MEDIA_TYPE, detail, Map.of("supported", List.copyOf(supported)));
  }

  public static Problem notAcceptable(List<String> available, String detail) {
    return new Problem(
        ProblemType.NOT_ACCEPTABLE, detail, Map.of("available", List.copyOf(available)));
  }

  /**
   * A PEM field that does not parse.
   *
   * @param field JSONPath of the PEM field, {@code $} when the whole body is the PEM
   * @param block 1-based block within the field, empty when the reason concerns the whole field
   * @param reason one of the spec's {@code CertificateParseFailure} values, e.g. {@code
   *     MALFORMED_DER}
   */
  public static Problem invalidCertificate(
      String field, OptionalInt block, String reason, String detail) {
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("field", field);
    members.put("block", block.isPresent() ? block.getAsInt() : null);
    members.put("reason", reason);
    return new Problem(ProblemType.INVALID_CERTIFICATE, detail, members);
  }

  /**
   * A body or path that names something unknown.
   *
   * @param field the JSONPath ({@code $.changes[0].pool}) for the body, the parameter name for the
   *     path
   */
  public static Problem unknownReference(
      String field, Location location, ReferenceKind kind, String value, String detail) {
    if (location != Location.BODY && location != Location.PATH) {
      throw new IllegalArgumentException("An unknown reference is in the body or the path");
    }
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("field", field);
    members.put("location", location.value());
    members.put("kind", kind.name());
    members.put("value", value);
    return new Problem(ProblemType.UNKNOWN_REFERENCE, detail, members);
  }

  /** This problem with one more extension member. */
  public Problem with(String name, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(members);
    more.put(name, value);
    return new Problem(type, detail, more);
  }

  /** The JSON document: {@code type}, {@code title}, {@code status}, {@code detail}, members. */
  public Map<String, Object> body(Optional<String> instance) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type.uri().toString());
    body.put("title", type.title());
    body.put("status", type.status());
    body.put("detail", detail);
    instance.ifPresent(i -> body.put("instance", i));
    body.putAll(members);
    return body;
  }
}
