package dev.fleettrust.api.problem;

import java.net.URI;

/**
 * Every problem type the API sends, as listed in {@code x-problem-types} of api-spec/openapi.yaml.
 * The type URI is {@code https://fleettrust.dev/problems/<slug>} and never changes once published.
 * Extension members each type carries are set through {@link Problem}'s factories.
 */
public enum ProblemType {
  /** 400: malformed JSON, a schema violation, a bad parameter or cursor; carries {@code errors}. */
  VALIDATION("validation", 400, "Request is not valid"),
  /** 401: no bearer token, or one that is malformed, expired or wrongly signed. */
  UNAUTHORIZED("unauthorized", 401, "Authentication required"),
  /** 403: the token lacks the role; carries {@code requiredRole}. */
  FORBIDDEN("forbidden", 403, "Role not sufficient"),
  /** 404: nothing at this path. */
  NOT_FOUND("not-found", 404, "Resource not found"),
  /** 405: the path exists but not with this method (not yet in the spec's list). */
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
  /** 406: no acceptable representation; carries {@code available}. */
  NOT_ACCEPTABLE("not-acceptable", 406, "Representation not available"),
  /** 409: the resource is not in a state that allows the request. */
  CONFLICT("conflict", 409, "Resource is not in a state that allows this"),
  /** 413: the body is over the operation's limit; carries {@code limitBytes}. */
  PAYLOAD_TOO_LARGE("payload-too-large", 413, "Request body too large"),
  /** 415: the content type is not accepted; carries {@code supported}. */
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Content type not supported"),
  /** 422: a PEM field does not parse; carries {@code field}, {@code block} and {@code reason}. */
  INVALID_CERTIFICATE("invalid-certificate", 422, "Certificate does not parse"),
  /**
   * 422: the body names a pool, usage, family or host the service does not know; carries {@code
   * field} (JSONPath), {@code location}, {@code kind} and {@code value}.
   */
  UNKNOWN_REFERENCE("unknown-reference", 422, "Unknown reference"),
  /** 500: a defect, never bad input. */
  INTERNAL("internal", 500, "Internal error"),
  /** 503: PostgreSQL or Kafka is down; retrying later can succeed. */
  UNAVAILABLE("unavailable", 503, "Service unavailable");

  public static final String BASE = "https://fleettrust.dev/problems/";
  public static final String MEDIA_TYPE = "application/problem+json";

  private final String slug;
  private final int status;
  private final String title;

  ProblemType(String slug, int status, String title) {
    this.slug = slug;
    this.status = status;
    this.title = title;
  }

  public URI uri() {
    return URI.create(BASE + slug);
  }

  public String slug() {
    return slug;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** Whether the same request may succeed later without change. */
  public boolean isTransient() {
    return this == UNAVAILABLE;
  }

  /** The type for a status no handler described more precisely. */
  static ProblemType forStatus(int status) {
    for (ProblemType type : values()) {
      if (type.status == status && type != INVALID_CERTIFICATE && type != UNKNOWN_REFERENCE) {
        return type;
      }
    }
    return status >= 500 ? INTERNAL : VALIDATION;
  }
}
