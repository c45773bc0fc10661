package dev.fleettrust.testing.contract;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.util.List;

/**
 * Checks every API response any test receives against the spec. Drift is recorded and fails the
 * test that saw it ({@link ContractExtension}), wherever the test's own assertions point.
 */
@ClientFilter("/**")
@Requires(env = Environment.TEST)
final class ContractValidatingClientFilter {
  private static final OpenApiContract CONTRACT = OpenApiContract.fromBuild();

  @ResponseFilter
  void checkResponse(HttpRequest<?> request, HttpResponse<?> response) {
    check(request, response);
  }

  @ResponseFilter
  void checkErrorResponse(HttpRequest<?> request, HttpClientResponseException error) {
    check(request, error.getResponse());
  }

  private static void check(HttpRequest<?> request, HttpResponse<?> response) {
    String path = request.getPath();
    if (!path.startsWith("/api/") && !path.equals("/health")) {
      return;
    }
    String body = response.getBody(String.class).orElse("");
    List<String> violations =
        CONTRACT.violations(
            request.getMethodName(),
            path,
            response.code(),
            response.getHeaders().get(HttpHeaders.CONTENT_TYPE),
            body);
    ContractViolations.record(violations);
  }
}
