package dev.fleettrust.api.security;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * Headers every response carries, whatever produced it (a controller, a security rejection, an
 * error handler): {@code X-Content-Type-Options: nosniff} everywhere; {@code Cache-Control:
 * no-store} on API data and management views, which hold inventory and are per caller; a
 * Content-Security-Policy on Swagger UI, whose page loads only its own scripts; and {@code
 * WWW-Authenticate: Bearer} on a 401 (RFC 6750 section 3), so a client learns how to authenticate.
 */
@Filter("/**")
final class SecurityHeadersFilter implements HttpServerFilter {
  static final String SWAGGER_UI_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
          + " img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none';"
          + " form-action 'none'; frame-ancestors 'none'";
  static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";

  @Override
  public int getOrder() {
    // Outside every other filter, so it also sees what security and error handling answer.
    return ServerFilterPhase.FIRST.order();
  }

  @Override
  public Publisher<MutableHttpResponse<?>> doFilter(
      HttpRequest<?> request, ServerFilterChain chain) {
    String path = request.getPath();
    return Flux.from(chain.proceed(request))
        .map(
            response -> {
              response.header("X-Content-Type-Options", "nosniff");
              response.header("Referrer-Policy", "no-referrer");
              if (path.startsWith("/swagger-ui")) {
                response.header("Content-Security-Policy", SWAGGER_UI_POLICY);
                response.header("X-Frame-Options", "DENY");
              } else if (!path.startsWith("/api-spec")) {
                response.header(HttpHeaders.CACHE_CONTROL, "no-store");
                response.header("Content-Security-Policy", API_POLICY);
              }
              if (response.getStatus() == HttpStatus.UNAUTHORIZED
                  && !response.getHeaders().contains(HttpHeaders.WWW_AUTHENTICATE)) {
                response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"fleettrust\"");
              }
              return response;
            });
  }
}
