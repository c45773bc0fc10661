package dev.fleettrust.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleettrust.api.problem.DateTimes;
import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import dev.fleettrust.api.security.Role;
import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.CertificateInputException;
import dev.fleettrust.x509.CertificateParser;
import dev.fleettrust.x509.ChainLinter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /api/v1/certificates/lint} (api-spec/openapi.yaml, {@code lintCertificates}): a PEM
 * bundle's facts and x509's pre-flight findings ({@link ChainLinter}), as JSON ({@code pem}, {@code
 * evaluateAt}) or as a raw {@code application/x-pem-file} body with {@code evaluateAt} in the
 * query.
 */
@Controller("/api/v1/certificates/lint")
@Secured(Role.PLANNER_NAME)
final class CertificateLintController {
  static final String PEM_FILE = "application/x-pem-file";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Set<String> FIELDS = Set.of("pem", "evaluateAt");

  @Post(
      consumes = {MediaType.APPLICATION_JSON, PEM_FILE},
      produces = MediaType.APPLICATION_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  LintWire.Result lint(
      HttpRequest<?> request,
      @Body @Nullable byte[] body,
      @QueryValue @Nullable String evaluateAt) {
    if (body != null && body.length > CertificateParser.MAX_INPUT_BYTES) {
      throw new ProblemException(
          Problem.payloadTooLarge(
              CertificateParser.MAX_INPUT_BYTES,
              "The body is "
                  + body.length
                  + " bytes; certificate payloads are limited to 1 MiB (1,048,576 bytes)."));
    }
    RequestGuardFilter.checkBody(body, CertificateParser.MAX_INPUT_BYTES, true);
    boolean raw = request.getContentType().map(t -> t.getName().equals(PEM_FILE)).orElse(false);
    Instant at;
    String field;
    String text;
    if (raw) {
      at = evaluateAt == null ? now() : instant(evaluateAt, true);
      field = "$";
      text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
    } else {
      JsonNode doc = json(body);
      List<Problem.ValidationError> errors = new ArrayList<>();
      for (Iterator<String> names = doc.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!FIELDS.contains(name)) {
          errors.add(
              Problem.ValidationError.body("$." + name, "$." + name + " is not a known property"));
        }
      }
      JsonNode pem = doc.get("pem");
      if (pem == null || !pem.isTextual() || pem.asText().isEmpty()) {
        errors.add(
            Problem.ValidationError.body(
                "$.pem", "$.pem must be a non-empty string of PEM certificates"));
      }
      JsonNode when = doc.get("evaluateAt");
      if (when != null && !when.isTextual()) {
        errors.add(
            Problem.ValidationError.body(
                "$.evaluateAt", "$.evaluateAt must be an RFC 3339 date-time"));
      }
      if (!errors.isEmpty()) {
        throw new ProblemException(Problem.validation(errors));
      }
      at =
          when != null
              ? instant(when.asText(), false)
              : evaluateAt == null ? now() : instant(evaluateAt, true);
      field = "$.pem";
      text = pem.asText();
    }
    List<Certificate> certificates;
    try {
      certificates =
          raw
              ? CertificateParser.parse(body == null ? new byte[0] : body)
              : CertificateParser.parse(text);
    } catch (CertificateInputException e) {
      throw new ProblemException(CertificateProblems.of(field, text, e));
    }
    return LintWire.Result.of(at, certificates, ChainLinter.lint(certificates, at));
  }

  private static JsonNode json(byte[] body) {
    JsonNode doc = null;
    if (body != null && body.length > 0) {
      try {
        doc = JSON.readTree(body);
      } catch (IOException e) {
        doc = null;
      }
    }
    if (doc == null || doc.isMissingNode()) {
      throw new ProblemException(
          Problem.validation(
              Problem.ValidationError.body(null, "The body is not a JSON document.")));
    }
    if (!doc.isObject()) {
      throw new ProblemException(
          Problem.validation(Problem.ValidationError.body("$", "$ must be a JSON object")));
    }
    return doc;
  }

  private static Instant instant(String text, boolean query) {
    Optional<Instant> parsed = DateTimes.rfc3339(text);
    if (parsed.isEmpty()) {
      String message = "evaluateAt must be an RFC 3339 date-time such as 2026-12-01T22:00:00Z";
      throw new ProblemException(
          Problem.validation(
              query
                  ? Problem.ValidationError.query("evaluateAt", message)
                  : Problem.ValidationError.body("$.evaluateAt", "$." + message)));
    }
    return parsed.get();
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }
}
