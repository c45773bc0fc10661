package dev.fleettrust.api;

import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Content-type checks made by the controller itself. The catalog, environment and lint routes
 * consume any type and refuse the wrong ones here: a route that does not match on content type is
 * "not found" to Micronaut Security, which answers an authenticated caller {@code 403} instead of
 * the {@code 415} the spec documents.
 */
final class JsonBodies {
  private JsonBodies() {}

  static void requireJson(HttpRequest<?> request) {
    requireOneOf(request, MediaType.APPLICATION_JSON);
  }

  /** The accepted type the request names, else {@code 415} listing {@code supported}. */
  static String requireOneOf(HttpRequest<?> request, String... supported) {
    Optional<String> sent = request.getContentType().map(t -> t.getName().toLowerCase(Locale.ROOT));
    for (String type : supported) {
      if (sent.isPresent() && sent.get().equals(type)) {
        return type;
      }
    }
    throw new ProblemException(
        Problem.unsupportedMediaType(
            List.of(supported),
            "Content-Type: "
                + sent.orElse("none")
                + " is not accepted; send "
                + String.join(" or ", supported)
                + "."));
  }
}
