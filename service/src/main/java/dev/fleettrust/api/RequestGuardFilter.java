package dev.fleettrust.api;

import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import dev.fleettrust.api.problem.ProblemResponses;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Turns hostile input away with a {@code 4xx} before the database sees it. The filter checks the
 * path and query of every operation under {@code /api/v1}, present and future; each controller that
 * reads a body passes it to {@link #checkBody}:
 *
 * <ul>
 *   <li>a body over its operation's limit however it is framed: {@link BodyLimitFilter} refuses a
 *       declared {@code Content-Length} before reading; a chunked body is counted here ({@code
 *       413});
 *   <li>U+0000 (NUL), which PostgreSQL refuses in every text and JSON value, in the path, the query
 *       or a text or JSON body, escaped or raw ({@code 400}); {@code POST /events} is exempt,
 *       because it answers per event and its decoder rejects such an event on its own;
 *   <li>JSON nested deeper than {@value #MAX_DEPTH} levels, which no document of the API needs and
 *       which recursive readers pay for ({@code 400}).
 * </ul>
 *
 * It runs after security, so an anonymous caller gets {@code 401}.
 */
@Filter("/api/v1/**")
final class RequestGuardFilter implements HttpServerFilter {
  static final int MAX_DEPTH = 32;
  private static final Set<HttpMethod> WITH_BODY =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

  @Override
  public int getOrder() {
    return ServerFilterPhase.SECURITY.after();
  }

  @Override
  public Publisher<MutableHttpResponse<?>> doFilter(
      HttpRequest<?> request, ServerFilterChain chain) {
    String rawPath = request.getUri().getRawPath();
    String rawQuery = Optional.ofNullable(request.getUri().getRawQuery()).orElse("");
    if (hasEncodedNul(rawPath)) {
      return refuse(
          request,
          Problem.validation(
              new Problem.ValidationError(
                  Problem.Location.PATH,
                  Optional.empty(),
                  "The path holds U+0000 (NUL), which no identifier may contain.")));
    }
    Optional<String> parameter = parameterWithNul(rawQuery);
    if (parameter.isPresent()) {
      return refuse(
          request,
          Problem.validation(
              Problem.ValidationError.query(
                  parameter.get(), "holds U+0000 (NUL), which no parameter may contain")));
    }
    return chain.proceed(request);
  }

  /**
   * Checks a body its controller has read: over {@code limit} however it was framed (a chunked body
   * has no length to refuse early) is a {@code 413}; NUL or nesting deeper than {@value #MAX_DEPTH}
   * a {@code 400}. Reading the body here, in the controller, rather than in the filter keeps the
   * server's own handling of an unread body (the connection is reused) intact.
   *
   * @param refuseNul false for the event batch, which rejects such events one by one
   */
  static void checkBody(byte[] body, long limit, boolean refuseNul) {
    if (body == null) {
      return;
    }
    if (body.length > limit) {
      throw new ProblemException(
          Problem.payloadTooLarge(
              limit,
              "This operation takes at most "
                  + limit
                  + " bytes; the body has "
                  + body.length
                  + "."));
    }
    JsonScan.problem(body, true, refuseNul)
        .ifPresent(
            message -> {
              throw new ProblemException(
                  Problem.validation(Problem.ValidationError.body(null, message)));
            });
  }

  private static Mono<MutableHttpResponse<?>> refuse(HttpRequest<?> request, Problem problem) {
    return Mono.just(ProblemResponses.of(problem, request));
  }

  /** The (decoded) name of the first query parameter whose name or value holds NUL. */
  private static Optional<String> parameterWithNul(String rawQuery) {
    if (!hasEncodedNul(rawQuery)) {
      return Optional.empty();
    }
    for (String pair : rawQuery.split("&")) {
      if (hasEncodedNul(pair)) {
        String name = pair.split("=", 2)[0];
        return Optional.of(URLDecoder.decode(name, StandardCharsets.UTF_8).replace('\0', '\uFFFD'));
      }
    }
    return Optional.of("?");
  }

  private static boolean hasEncodedNul(String raw) {
    return raw.indexOf('\0') >= 0 || raw.contains("%00");
  }

  private static boolean isText(MediaType type) {
    String name = type.getName().toLowerCase(Locale.ROOT);
    return name.startsWith("text/") || name.equals("application/x-pem-file");
  }

  private static boolean isJson(MediaType type) {
    String name = type.getName().toLowerCase(Locale.ROOT);
    return name.equals(MediaType.APPLICATION_JSON) || name.endsWith("+json");
  }

  /** One pass over a body's bytes: NUL (raw, or escaped inside a JSON string) and JSON depth. */
  static final class JsonScan {
    private JsonScan() {}

    /**
     * What is wrong with the body, if anything.
     *
     * @param json whether the body is JSON (its depth and escapes are then checked)
     * @param refuseNul whether NUL is refused (everywhere but the event batch)
     */
    static Optional<String> problem(byte[] body, boolean json, boolean refuseNul) {
      int depth = 0;
      boolean inString = false;
      for (int i = 0; i < body.length; i++) {
        byte b = body[i];
        if (b == 0) {
          if (refuseNul) {
            return Optional.of("The body holds a NUL byte, which no text may contain.");
          }
          continue;
        }
        if (!json) {
          continue;
        }
        if (inString) {
          if (b == '"') {
            inString = false;
          } else if (b == '\\' && i + 1 < body.length) {
            if (body[i + 1] == 'u' && refuseNul && isEscapedNul(body, i + 2)) {
              return Optional.of(
                  "The body holds \\u0000 (NUL) in a string, which no text may contain.");
            }
            i += body[i + 1] == 'u' ? 5 : 1;
          }
        } else if (b == '"') {
          inString = true;
        } else if (b == '[' || b == '{') {
          if (++depth > MAX_DEPTH) {
            return Optional.of(
                "The JSON is nested deeper than " + MAX_DEPTH + " levels; no document needs that.");
          }
        } else if (b == ']' || b == '}') {
          depth--;
        }
      }
      return Optional.empty();
    }

    private static boolean isEscapedNul(byte[] body, int from) {
      if (from + 4 > body.length) {
        return false;
      }
      for (int i = from; i < from + 4; i++) {
        if (body[i] != '0') {
          return false;
        }
      }
      return true;
    }
  }
}
