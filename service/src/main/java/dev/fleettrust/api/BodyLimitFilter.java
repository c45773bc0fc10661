package dev.fleettrust.api;

import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Set;

/**
 * Refuses a body over its operation's limit before it is read (contract.md, "Errors and limits"): 1
 * MiB for certificate payloads (lint, catalog, planned changes), 10 MiB for event batches and
 * environment documents, which {@code micronaut.server.max-request-size} also enforces for bodies
 * sent without a length.
 */
@ServerFilter("/api/v1/**")
final class BodyLimitFilter {
  static final long CERTIFICATE_PAYLOAD_LIMIT = 1024L * 1024;
  static final long DOCUMENT_LIMIT = 10L * 1024 * 1024;
  private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT);

  @RequestFilter
  void checkDeclaredLength(HttpRequest<?> request) {
    if (!WITH_BODY.contains(request.getMethod())) {
      return;
    }
    long declared = request.getContentLength();
    long limit = limitFor(request.getPath());
    if (declared > limit) {
      throw new ProblemException(
          Problem.payloadTooLarge(
              limit,
              "This operation takes at most " + limit + " bytes; the body has " + declared + "."));
    }
  }

  static long limitFor(String path) {
    return path.startsWith("/api/v1/events") || path.startsWith("/api/v1/environment")
        ? DOCUMENT_LIMIT
        : CERTIFICATE_PAYLOAD_LIMIT;
  }
}
