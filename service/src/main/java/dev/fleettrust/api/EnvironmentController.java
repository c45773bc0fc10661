package dev.fleettrust.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import dev.fleettrust.api.security.Role;
import dev.fleettrust.environment.EnvironmentDocuments;
import dev.fleettrust.environment.EnvironmentService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import java.util.List;

/**
 * {@code GET|PUT /api/v1/environment} (api-spec/openapi.yaml, {@code getEnvironment}, {@code
 * putEnvironment}): the whole UC environment as one document. Every {@code PUT} becomes a new
 * revision; an unknown usage key is {@code 422 unknown-reference} and a PEM that does not parse
 * {@code 422 invalid-certificate}, both with the JSONPath of the field.
 */
@Controller("/api/v1/environment")
final class EnvironmentController {
  private final EnvironmentService environment;

  EnvironmentController(EnvironmentService environment) {
    this.environment = environment;
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  @Secured(Role.VIEWER_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  EnvironmentWire.Environment get() {
    return EnvironmentWire.Environment.of(environment.latest());
  }

  @Put(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  @Secured(Role.ADMIN_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  EnvironmentWire.Environment put(@Body @Nullable byte[] body, Authentication authentication) {
    RequestGuardFilter.checkBody(body, BodyLimitFilter.DOCUMENT_LIMIT, true);
    EnvironmentDocuments.Parsed parsed = EnvironmentDocuments.read(json(body));
    if (parsed instanceof EnvironmentDocuments.Parsed.Invalid invalid) {
      List<Problem.ValidationError> errors =
          invalid.violations().stream()
              .map(v -> Problem.ValidationError.body(v.field(), v.field() + " " + v.message()))
              .toList();
      throw new ProblemException(Problem.validation(errors));
    }
    if (parsed instanceof EnvironmentDocuments.Parsed.UnknownUsage unknown) {
      throw new ProblemException(
          Problem.unknownReference(
              unknown.field(),
              Problem.Location.BODY,
              Problem.ReferenceKind.USAGE,
              unknown.value(),
              unknown.value()
                  + " is not a usage; use DEFAULT, WEB_SERVICES_INTERNAL or"
                  + " WEB_SERVICES_EXTERNAL."));
    }
    EnvironmentService.PutOutcome outcome =
        environment.put(
            ((EnvironmentDocuments.Parsed.Ok) parsed).document(), authentication.getName());
    if (outcome instanceof EnvironmentService.PutOutcome.InvalidCertificate bad) {
      throw new ProblemException(CertificateProblems.of(bad.field(), bad.pem(), bad.error()));
    }
    return EnvironmentWire.Environment.of(
        ((EnvironmentService.PutOutcome.Saved) outcome).revision());
  }

  private static JsonNode json(byte[] body) {
    if (body != null && body.length > EnvironmentDocuments.MAX_BODY_BYTES) {
      throw new ProblemException(
          Problem.payloadTooLarge(
              EnvironmentDocuments.MAX_BODY_BYTES,
              "The body is over 10 MiB; environment documents are limited to 10 MiB."));
    }
    return EnvironmentDocuments.readTree(body)
        .orElseThrow(
            () ->
                new ProblemException(
                    Problem.validation(
                        Problem.ValidationError.body(null, "The body is not a JSON document."))));
  }
}
