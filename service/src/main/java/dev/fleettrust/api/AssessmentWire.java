package dev.fleettrust.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the impact-assessment operations, field for field as api-spec/openapi.yaml
 * names them. Mapping to and from the engine's values lives in {@link AssessmentMapping}.
 */
final class AssessmentWire {
  private AssessmentWire() {}

  @Serdeable
  record AssessmentRequest(
      @Nullable String description,
      @Nullable String changeRef,
      @Nullable String evaluateAt,
      @Nullable List<Change> changes) {}

  /** One planned change; which fields it carries depends on {@code type}. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Change(
      @Nullable String type,
      @Nullable String pool,
      @Nullable String usage,
      @Nullable String chain,
      @Nullable String ewsFqdn,
      @Nullable List<TrustedCaCert> trustedCaCerts,
      @Nullable Boolean inferCertChainFromSsl,
      @Nullable String pem,
      @Nullable List<String> tlsVersions,
      @Nullable List<String> hosts) {}

  @Serdeable
  record TrustedCaCert(@Nullable String store, @Nullable String pem) {}

  @Serdeable
  record Candidate(@Nullable String name, @Nullable List<Change> changes) {}

  @Serdeable
  record CompareRequest(
      @Nullable String evaluateAt,
      @Nullable String description,
      @Nullable List<Candidate> candidates) {}

  /** A completed assessment (the only state a synchronous run produces). */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record Assessment(
      String id,
      String status,
      @Nullable String description,
      @Nullable String changeRef,
      String evaluateAt,
      String createdAt,
      String createdBy,
      List<Change> changes,
      String catalogVersion,
      long environmentVersion,
      String inventorySnapshotAt,
      String completedAt,
      Summary summary) {}

  /** A {@code PENDING} or {@code RUNNING} assessment. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record AssessmentInProgress(
      String id,
      String status,
      @Nullable String description,
      @Nullable String changeRef,
      String evaluateAt,
      String createdAt,
      String createdBy,
      List<Change> changes,
      String catalogVersion,
      long environmentVersion,
      String inventorySnapshotAt,
      Progress progress) {}

  @Serdeable
  record Progress(int profilesEvaluated, int profilesTotal) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record AssessmentFailed(
      String id,
      String status,
      @Nullable String description,
      @Nullable String changeRef,
      String evaluateAt,
      String createdAt,
      String createdBy,
      List<Change> changes,
      String catalogVersion,
      long environmentVersion,
      String inventorySnapshotAt,
      String completedAt,
      Map<String, Object> error) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record AssessmentCancelled(
      String id,
      String status,
      @Nullable String description,
      String evaluateAt,
      String createdAt,
      String createdBy,
      List<Change> changes,
      String catalogVersion,
      long environmentVersion,
      String inventorySnapshotAt,
      String completedAt,
      String cancelledBy) {}

  /** One past assessment as listed: what only some states have is left out when absent. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record AssessmentListItem(
      String id,
      String status,
      @Nullable String description,
      String evaluateAt,
      String createdAt,
      String createdBy,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String completedAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Integer devices,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Map<String, Integer> verdicts,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Progress progress) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record AssessmentListPage(List<AssessmentListItem> items, @Nullable String nextCursor) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record Summary(
      int devices,
      Map<String, Integer> verdicts,
      List<ModelBuildVerdicts> byModelAndBuild,
      List<RuleCount> findings,
      List<RemediationAction> remediation,
      String catalogVersion,
      List<LintFinding> lint) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record ModelBuildVerdicts(
      @Nullable String model,
      @Nullable String family,
      @Nullable String build,
      int devices,
      Map<String, Integer> verdicts) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RuleCount(String rule, int devices, @Nullable String message) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RemediationAction(
      String action,
      int devicesFixed,
      String description,
      List<String> rules,
      @Nullable String family,
      @Nullable String build,
      @Nullable List<Change> changes,
      @Nullable Integer devicesStillNotOk,
      @Nullable String pool,
      @Nullable String usage,
      @Nullable List<String> names,
      @Nullable String signatureAlgorithm,
      @Nullable String issuer,
      @Nullable String evaluateAt,
      @Nullable List<ActionCertificate> certificates,
      @Nullable Boolean inferCertChainFromSsl,
      @Nullable List<String> hosts,
      @Nullable List<String> tlsVersions,
      @Nullable String model,
      @Nullable Integer devices) {}

  /** A CA certificate an action names, as Windows shows it (contract.md). */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ActionCertificate(String thumbprint, String subject, @Nullable String store) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record LintFinding(
      String rule,
      String severity,
      String message,
      @Nullable String field,
      @Nullable CertificateRef certificate) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record CertificateRef(@Nullable Integer index, String subject, String sha256Fingerprint) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record AssessedDevice(
      String deviceId,
      @Nullable String model,
      @Nullable String family,
      @Nullable String build,
      @Nullable String site,
      String verdict,
      List<DeviceFinding> findings) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record DeviceFinding(
      String rule, String message, String remediation, @Nullable Evidence evidence) {}

  /**
   * The facts behind a finding: the structured ones the spec names, and {@code details}, every fact
   * the engine recorded, by name.
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  record Evidence(
      @Nullable String build,
      @Nullable String pool,
      @Nullable String usage,
      @Nullable Map<String, String> details) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record AssessedDevicePage(List<AssessedDevice> items, @Nullable String nextCursor) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record RankedCandidate(int rank, String name, Summary summary) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record CompareResult(
      String evaluateAt,
      String catalogVersion,
      long environmentVersion,
      String inventorySnapshotAt,
      List<RankedCandidate> candidates) {}
}
