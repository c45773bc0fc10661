package dev.fleettrust.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import dev.fleettrust.api.problem.ProblemType;
import dev.fleettrust.api.security.Role;
import dev.fleettrust.catalog.BuildView;
import dev.fleettrust.catalog.CatalogDocuments;
import dev.fleettrust.catalog.CatalogEditSpec;
import dev.fleettrust.catalog.CatalogEditSpec.BuildSpec;
import dev.fleettrust.catalog.CatalogEditSpec.FamilySpec;
import dev.fleettrust.catalog.CatalogEditSpec.ModelSpec;
import dev.fleettrust.catalog.CatalogService;
import dev.fleettrust.catalog.CatalogState;
import dev.fleettrust.trust.DeviceModel;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import java.util.List;
import java.util.Optional;

/**
 * The firmware catalog (api-spec/openapi.yaml, tag {@code catalog}): models, family defaults and
 * builds. Reads need {@code viewer}, writes {@code admin}. Every {@code PUT} is stored as a {@code
 * catalog_edit} row and changes the catalog in force on every replica ({@link CatalogService}).
 */
@Controller("/api/v1/catalog")
final class CatalogController {
  private final CatalogService catalog;

  CatalogController(CatalogService catalog) {
    this.catalog = catalog;
  }

  @Get(uri = "/models/{model}", produces = MediaType.APPLICATION_JSON)
  @Secured(Role.VIEWER_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  CatalogWire.Model getModel(@PathVariable String model) {
    pathCheck("model", CatalogDocuments.modelNameProblem(model));
    CatalogState state = catalog.state();
    DeviceModel found =
        state
            .catalog()
            .model(model)
            .orElseThrow(() -> notFound("No model " + model + " in the catalog."));
    return CatalogWire.Model.of(found, state.catalog().version());
  }

  @Put(
      uri = "/models/{model}",
      consumes = MediaType.APPLICATION_JSON,
      produces = MediaType.APPLICATION_JSON)
  @Secured(Role.ADMIN_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  HttpResponse<CatalogWire.Model> putModel(
      @PathVariable String model, @Body @Nullable byte[] body, Authentication authentication) {
    RequestGuardFilter.checkBody(body, BodyLimitFilter.CERTIFICATE_PAYLOAD_LIMIT, true);
    pathCheck("model", CatalogDocuments.modelNameProblem(model));
    ModelSpec spec = parsed(CatalogDocuments.readModel(model, json(body)));
    CatalogService.PutOutcome.Saved saved = save(spec, authentication);
    DeviceModel stored = saved.state().catalog().model(model).orElseThrow();
    return respond(saved, CatalogWire.Model.of(stored, saved.state().catalog().version()));
  }

  @Get(uri = "/families/{family}", produces = MediaType.APPLICATION_JSON)
  @Secured(Role.VIEWER_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  CatalogWire.Family getFamily(@PathVariable String family) {
    pathCheck("family", CatalogDocuments.familyIdProblem(family));
    CatalogState state = catalog.state();
    FamilySpec found =
        state
            .family(family)
            .orElseThrow(() -> notFound("No family " + family + " in the catalog."));
    return CatalogWire.Family.of(found, state.catalog().version());
  }

  @Put(
      uri = "/families/{family}",
      consumes = MediaType.APPLICATION_JSON,
      produces = MediaType.APPLICATION_JSON)
  @Secured(Role.ADMIN_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  HttpResponse<CatalogWire.Family> putFamily(
      @PathVariable String family, @Body @Nullable byte[] body, Authentication authentication) {
    RequestGuardFilter.checkBody(body, BodyLimitFilter.CERTIFICATE_PAYLOAD_LIMIT, true);
    pathCheck("family", CatalogDocuments.familyIdProblem(family));
    FamilySpec spec = parsed(CatalogDocuments.readFamily(family, json(body)));
    CatalogService.PutOutcome.Saved saved = save(spec, authentication);
    CatalogState state = saved.state();
    return respond(
        saved,
        CatalogWire.Family.of(state.family(family).orElseThrow(), state.catalog().version()));
  }

  @Get(uri = "/families/{family}/builds/{build}", produces = MediaType.APPLICATION_JSON)
  @Secured(Role.VIEWER_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  CatalogWire.Build getBuild(@PathVariable String family, @PathVariable String build) {
    pathCheck("family", CatalogDocuments.familyIdProblem(family));
    pathCheck("build", CatalogDocuments.buildProblem(build));
    CatalogState state = catalog.state();
    BuildView found =
        state
            .build(family, build)
            .orElseThrow(
                () ->
                    notFound(
                        state.catalog().family(family).isEmpty()
                            ? "No family " + family + " in the catalog."
                            : "No build " + build + " of " + family + " in the catalog."));
    return CatalogWire.Build.of(found, state.catalog().version());
  }

  @Put(
      uri = "/families/{family}/builds/{build}",
      consumes = MediaType.APPLICATION_JSON,
      produces = MediaType.APPLICATION_JSON)
  @Secured(Role.ADMIN_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  HttpResponse<CatalogWire.Build> putBuild(
      @PathVariable String family,
      @PathVariable String build,
      @Body @Nullable byte[] body,
      Authentication authentication) {
    RequestGuardFilter.checkBody(body, BodyLimitFilter.CERTIFICATE_PAYLOAD_LIMIT, true);
    pathCheck("family", CatalogDocuments.familyIdProblem(family));
    pathCheck("build", CatalogDocuments.buildProblem(build));
    BuildSpec spec = parsed(CatalogDocuments.readBuild(family, build, json(body)));
    CatalogService.PutOutcome.Saved saved = save(spec, authentication);
    CatalogState state = saved.state();
    return respond(
        saved,
        CatalogWire.Build.of(state.build(family, build).orElseThrow(), state.catalog().version()));
  }

  // ------------------------------------------------------------------ shared steps

  private CatalogService.PutOutcome.Saved save(CatalogEditSpec spec, Authentication who) {
    CatalogService.PutOutcome outcome = catalog.put(spec, who.getName());
    if (outcome instanceof CatalogService.PutOutcome.Saved saved) {
      return saved;
    }
    if (outcome instanceof CatalogService.PutOutcome.InvalidCertificate bad) {
      throw new ProblemException(CertificateProblems.of(bad.field(), bad.pem(), bad.error()));
    }
    String family = ((CatalogService.PutOutcome.UnknownFamily) outcome).family();
    if (spec instanceof ModelSpec) {
      throw new ProblemException(
          Problem.unknownReference(
              "$.family",
              Problem.Location.BODY,
              Problem.ReferenceKind.FAMILY,
              family,
              "No family "
                  + family
                  + " in the catalog; PUT /api/v1/catalog/families/"
                  + family
                  + " first, or use an existing family."));
    }
    throw new ProblemException(
        Problem.unknownReference(
            "family",
            Problem.Location.PATH,
            Problem.ReferenceKind.FAMILY,
            family,
            "No family " + family + " in the catalog."));
  }

  private static <T> HttpResponse<T> respond(CatalogService.PutOutcome.Saved saved, T body) {
    return saved.created() ? HttpResponse.created(body) : HttpResponse.ok(body);
  }

  private static JsonNode json(byte[] body) {
    if (body != null && body.length > CatalogDocuments.MAX_BODY_BYTES) {
      throw new ProblemException(
          Problem.payloadTooLarge(
              CatalogDocuments.MAX_BODY_BYTES,
              "The body is "
                  + body.length
                  + " bytes; catalog documents are limited to 1 MiB (1,048,576 bytes)."));
    }
    return CatalogDocuments.readTree(body)
        .orElseThrow(
            () ->
                new ProblemException(
                    Problem.validation(
                        Problem.ValidationError.body(null, "The body is not a JSON document."))));
  }

  private static <T> T parsed(CatalogDocuments.Parsed<T> parsed) {
    if (parsed instanceof CatalogDocuments.Parsed.Ok<T> ok) {
      return ok.value();
    }
    List<Problem.ValidationError> errors =
        ((CatalogDocuments.Parsed.Invalid<T>) parsed)
            .violations().stream()
                .map(v -> Problem.ValidationError.body(v.field(), v.field() + " " + v.message()))
                .toList();
    throw new ProblemException(Problem.validation(errors));
  }

  private static void pathCheck(String parameter, Optional<String> problem) {
    if (problem.isPresent()) {
      throw new ProblemException(
          Problem.validation(
              Problem.ValidationError.path(parameter, parameter + " " + problem.get())));
    }
  }

  private static ProblemException notFound(String detail) {
    return new ProblemException(Problem.of(ProblemType.NOT_FOUND, detail));
  }
}
