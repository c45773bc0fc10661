package dev.fleettrust.api.problem;

import dev.fleettrust.api.security.Role;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.exceptions.NotAcceptableException;
import io.micronaut.http.server.exceptions.UnsupportedMediaException;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteInfo;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every error response Micronaut and Micronaut Security produce on their own (route not found,
 * wrong method, wrong content type, body too large, unreadable parameters, 401, 403, unhandled
 * exceptions) passes through here and leaves as {@code application/problem+json}, typed from {@link
 * ProblemType}. Internal details of a 500 are logged by Micronaut, never sent.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
final class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Map<String, Object>> {
  private final long maxRequestSize;

  ProblemErrorResponseProcessor(
      @Value("${micronaut.server.max-request-size:10485760}") long maxRequestSize) {
    this.maxRequestSize = maxRequestSize;
  }

  @Override
  public MutableHttpResponse<Map<String, Object>> processResponse(
      ErrorContext context, MutableHttpResponse<?> response) {
    HttpRequest<?> request = context.getRequest();
    Optional<Throwable> cause = context.getRootCause();
    Problem problem =
        cause
            .filter(ProblemException.class::isInstance)
            .map(c -> ((ProblemException) c).problem())
            .orElseGet(() -> describe(context, response.code(), cause));
    MutableHttpResponse<Map<String, Object>> rendered =
        ProblemResponses.render(response, problem, request);
    if (request.getMethod() == HttpMethod.HEAD) {
      rendered.body(null);
    }
    return rendered;
  }

  private Problem describe(ErrorContext context, int status, Optional<Throwable> cause) {
    HttpRequest<?> request = context.getRequest();
    return switch (status) {
      case 400 -> Problem.validation(validationErrors(context, cause));
      case 401 ->
          Problem.of(
              ProblemType.UNAUTHORIZED,
              "A valid bearer token is required (Authorization: Bearer <JWT>).");
      case 403 -> forbidden(request, cause);
      case 404 -> Problem.of(ProblemType.NOT_FOUND, "Nothing at " + request.getPath() + ".");
      case 405 ->
          Problem.of(
              ProblemType.METHOD_NOT_ALLOWED,
              request.getMethodName() + " is not allowed on " + request.getPath() + ".");
      case 406 ->
          Problem.notAcceptable(
              cause
                  .filter(NotAcceptableException.class::isInstance)
                  .map(c -> List.copyOf(((NotAcceptableException) c).getProduceableContentTypes()))
                  .orElse(List.of(MediaType.APPLICATION_JSON)),
              "None of the media types in Accept can be produced.");
      case 413 ->
          Problem.payloadTooLarge(
              maxRequestSize,
              "The body is over " + (maxRequestSize / (1024 * 1024)) + " MiB; split it.");
      case 415 -> unsupportedMediaType(request, cause);
      case 503 -> Problem.of(ProblemType.UNAVAILABLE, "A dependency is unavailable; retry later.");
      default ->
          status >= 500
              ? Problem.of(
                  ProblemType.INTERNAL,
                  "The request failed unexpectedly; the cause has been logged.")
              : Problem.validation(
                  Problem.ValidationError.body(
                      null, "The request cannot be served (" + status + ")."));
    };
  }

  private static Problem forbidden(HttpRequest<?> request, Optional<Throwable> cause) {
    String required =
        RouteAttributes.getRouteInfo(request)
            .map(RouteInfo::getAnnotationMetadata)
            .map(metadata -> metadata.stringValues(Secured.class))
            .flatMap(ProblemErrorResponseProcessor::lowestRole)
            .orElse(Role.VIEWER_NAME);
    Optional<Authentication> authentication =
        cause
            .filter(AuthorizationException.class::isInstance)
            .map(c -> ((AuthorizationException) c).getAuthentication())
            .or(() -> request.getUserPrincipal(Authentication.class));
    String held =
        authentication
            .map(Authentication::getRoles)
            .filter(roles -> !roles.isEmpty())
            .map(roles -> "the token has " + String.join(", ", roles))
            .orElse("the token has no role");
    return Problem.forbidden(
        required, "This operation needs the " + required + " role; " + held + ".");
  }

  private static Optional<String> lowestRole(String[] secured) {
    for (Role role : Role.values()) {
      for (String name : secured) {
        if (role.claimValue().equals(name)) {
          return Optional.of(role.claimValue());
        }
      }
    }
    return Optional.empty();
  }

  private static Problem unsupportedMediaType(HttpRequest<?> request, Optional<Throwable> cause) {
    Collection<String> supported =
        cause
            .filter(UnsupportedMediaException.class::isInstance)
            .map(c -> ((UnsupportedMediaException) c).getAcceptableContentTypes())
            .filter(types -> !types.isEmpty())
            .orElse(List.of(MediaType.APPLICATION_JSON));
    String sent = request.getContentType().map(MediaType::toString).orElse("none");
    return Problem.unsupportedMediaType(
        List.copyOf(supported),
        "Content-Type: " + sent + " is not accepted; send " + String.join(" or ", supported) + ".");
  }

  private static List<Problem.ValidationError> validationErrors(
      ErrorContext context, Optional<Throwable> cause) {
    Problem.Location location =
        cause
            .filter(ConversionErrorException.class::isInstance)
            .map(c -> locationOf(((ConversionErrorException) c).getArgument()))
            .orElse(Problem.Location.BODY);
    List<Problem.ValidationError> errors = new ArrayList<>();
    for (Error error : context.getErrors()) {
      Optional<String> field =
          location == Problem.Location.BODY
              ? error.getPath().map(p -> p.startsWith("$") ? p : "$." + p)
              : error.getPath();
      errors.add(new Problem.ValidationError(location, field, error.getMessage()));
    }
    if (errors.isEmpty()) {
      errors.add(Problem.ValidationError.body(null, "The request is not valid."));
    }
    return errors;
  }

  private static Problem.Location locationOf(Argument<?> argument) {
    if (argument.isAnnotationPresent(QueryValue.class)) {
      return Problem.Location.QUERY;
    }
    if (argument.isAnnotationPresent(PathVariable.class)) {
      return Problem.Location.PATH;
    }
    if (argument.isAnnotationPresent(Header.class)) {
      return Problem.Location.HEADER;
    }
    return Problem.Location.BODY;
  }
}
