package dev.fleettrust.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fleettrust.backtest.Backtest;
import dev.fleettrust.backtest.BacktestDevice;
import dev.fleettrust.backtest.Deployment;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The backtest responses of api-spec/openapi.yaml ({@code Deployment}, {@code Backtest}, {@code
 * BacktestDevice}, {@code CatalogProposal} and their pages), mapped from the backtest package.
 */
final class BacktestWire {
  private BacktestWire() {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record DeploymentView(
      String id,
      String assessmentId,
      String deployedAt,
      String changeRef,
      List<String> pools,
      String recordedBy,
      String recordedAt) {
    static DeploymentView of(Deployment d) {
      return new DeploymentView(
          d.id().toString(),
          d.assessmentId().toString(),
          d.deployedAt().toString(),
          d.changeRef().orElse(null),
          d.pools(),
          d.recordedBy(),
          d.recordedAt().toString());
    }
  }

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Page<T>(List<T> items, String nextCursor) {}

  @Serdeable
  record Cells(
      long predictedBreaksFailed,
      long predictedBreaksSignedIn,
      long predictedOkFailed,
      long predictedOkSignedIn,
      long notSeen) {
    static Cells of(Backtest.Cells c) {
      return new Cells(
          c.predictedBreaksFailed(),
          c.predictedBreaksSignedIn(),
          c.predictedOkFailed(),
          c.predictedOkSignedIn(),
          c.notSeen());
    }
  }

  @Serdeable
  record VerdictRow(
      String verdict,
      long devices,
      long failed,
      long signedIn,
      long notSeen,
      long failedSilently) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record ModelBuildRuleRow(String model, String build, String rule, Cells cells) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record Breaks(Double precision, Double recall) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record BacktestView(
      String assessmentId,
      String deploymentId,
      String deployedAt,
      int windowHours,
      String windowEnd,
      boolean windowClosed,
      long devices,
      long notDeployed,
      Cells cells,
      Breaks breaks,
      long failedSilently,
      List<VerdictRow> byVerdict,
      List<ModelBuildRuleRow> byModelBuildRule,
      List<String> notes) {
    static BacktestView of(Backtest b) {
      return new BacktestView(
          b.deployment().assessmentId().toString(),
          b.deployment().id().toString(),
          b.deployment().deployedAt().toString(),
          b.windowHours(),
          b.windowEnd().toString(),
          b.windowClosed(),
          b.devices(),
          b.notDeployed(),
          Cells.of(b.cells()),
          new Breaks(
              b.breaksPrecision().isPresent() ? b.breaksPrecision().getAsDouble() : null,
              b.breaksRecall().isPresent() ? b.breaksRecall().getAsDouble() : null),
          b.failedSilently(),
          b.byVerdict().stream()
              .map(
                  v ->
                      new VerdictRow(
                          v.verdict(),
                          v.devices(),
                          v.failed(),
                          v.signedIn(),
                          v.notSeen(),
                          v.failedSilently()))
              .toList(),
          b.byModelBuildRule().stream()
              .map(
                  r ->
                      new ModelBuildRuleRow(
                          r.model().orElse(null),
                          r.build().orElse(null),
                          r.rule().orElse(null),
                          Cells.of(r.cells())))
              .toList(),
          notes(b));
    }

    private static List<String> notes(Backtest b) {
      String silent =
          b.windowClosed()
              ? b.failedSilently()
                  + " devices with no sign-in at all since the go-live count as failed; the window"
                  + " has closed."
              : "The window is still open: devices with no sign-in yet count as not seen, not"
                  + " failed.";
      return List.of(
          silent,
          "Recall counts every failed device whatever its predicted verdict; precision counts the"
              + " devices predicted BREAKS that were seen in the window.");
    }
  }

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record DeviceView(
      String deviceId,
      String model,
      String family,
      String build,
      String verdict,
      List<String> rules,
      String observed,
      boolean failedSilently,
      int attempts,
      String lastAttemptAt,
      String failureReason) {
    static DeviceView of(BacktestDevice d) {
      return new DeviceView(
          d.deviceId(),
          d.model().orElse(null),
          d.family().orElse(null),
          d.build().orElse(null),
          d.verdict(),
          d.rules(),
          d.observed().name(),
          d.failedSilently(),
          d.attempts(),
          d.lastAttemptAt().map(Object::toString).orElse(null),
          d.failureReason().orElse(null));
    }
  }

  @Serdeable
  record ReasonCount(String reason, long devices) {}

  @Serdeable
  record Evidence(
      String assessmentId,
      String deploymentId,
      String failureReason,
      List<String> devices,
      int deviceCount,
      long observedDevices,
      List<ReasonCount> failureReasons) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record ProposalView(
      String id,
      String status,
      String family,
      String build,
      String capability,
      JsonNode currentValue,
      JsonNode proposedValue,
      Evidence evidence,
      String createdAt,
      String decidedAt,
      String decidedBy,
      String catalogVersion) {}
}
