package dev.fleettrust.api.problem;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Answers a {@link ProblemException} with its problem. */
@Singleton
final class ProblemExceptionHandler implements ExceptionHandler<ProblemException, HttpResponse<?>> {
  @Override
  public HttpResponse<?> handle(HttpRequest request, ProblemException exception) {
    return ProblemResponses.of(exception.problem(), request);
  }
}
