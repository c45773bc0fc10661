package dev.fleettrust.api.problem;

import dev.fleettrust.inventory.InventoryStoreException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database outage is {@code 503 unavailable} with {@code Retry-After}: the same request succeeds
 * once PostgreSQL is back. A refusal that retrying cannot fix is a defect ({@code 500}).
 */
@Singleton
final class StoreFailureHandler
    implements ExceptionHandler<InventoryStoreException, HttpResponse<?>> {
  private static final Logger LOG = LoggerFactory.getLogger(StoreFailureHandler.class);

  @Override
  public HttpResponse<?> handle(HttpRequest request, InventoryStoreException exception) {
    if (exception.retryable()) {
      LOG.warn(
          "{} {}: the database is unavailable: {}",
          request.getMethod(),
          request.getPath(),
          exception.getMessage());
      return ProblemResponses.of(
          Problem.of(ProblemType.UNAVAILABLE, "The database is unavailable; retry later."),
          request);
    }
    LOG.error(
        "{} {}: the database refused the request",
        request.getMethod(),
        request.getPath(),
        exception);
    return ProblemResponses.of(
        Problem.of(
            ProblemType.INTERNAL, "The request failed unexpectedly; the cause has been logged."),
        request);
  }
}
