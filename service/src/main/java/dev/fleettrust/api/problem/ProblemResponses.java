package dev.fleettrust.api.problem;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import java.util.Map;
import java.util.Optional;

/** Renders a {@link Problem} as an {@code application/problem+json} response. */
public final class ProblemResponses {
  private ProblemResponses() {}

  public static MutableHttpResponse<Map<String, Object>> of(
      Problem problem, HttpRequest<?> request) {
    return render(
        HttpResponse.status(HttpStatus.valueOf(problem.type().status())), problem, request);
  }

  /** Fills an existing response (status, headers already set by Micronaut or security). */
  @SuppressWarnings("unchecked")
  static MutableHttpResponse<Map<String, Object>> render(
      MutableHttpResponse<?> response, Problem problem, HttpRequest<?> request) {
    MutableHttpResponse<Map<String, Object>> typed =
        (MutableHttpResponse<Map<String, Object>>) response;
    typed.status(HttpStatus.valueOf(problem.type().status()));
    if (problem.type().isTransient()) {
      typed.header("Retry-After", "5");
    }
    return typed
        .body(problem.body(Optional.ofNullable(request).map(ProblemResponses::instance)))
        .contentType(ProblemType.MEDIA_TYPE);
  }

  private static String instance(HttpRequest<?> request) {
    String query = request.getUri().getRawQuery();
    return request.getPath() + (query == null ? "" : "?" + query);
  }
}
