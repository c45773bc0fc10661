package dev.fleettrust.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import dev.fleettrust.api.problem.ProblemType;
import dev.fleettrust.api.security.Role;
import dev.fleettrust.assessment.AssessmentStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/v1/impact-assessments/{id}/runbook} (contract.md, "Remediation actions are
 * checkable"): the stored assessment's cumulative remediation plan as the steps an administrator
 * runs, each with ready-to-paste commands filled with the real values, as Markdown or JSON.
 */
@Controller("/api/v1/impact-assessments")
@Secured(Role.VIEWER_NAME)
class RunbookController {
  static final String MARKDOWN = "text/markdown";

  private final AssessmentStore store;
  private final JsonMapper json;

  RunbookController(AssessmentStore store, JsonMapper json) {
    this.store = store;
    this.json = json;
  }

  @Get(
      uri = "/{id}/runbook",
      produces = {MediaType.APPLICATION_JSON, MARKDOWN})
  @ExecuteOn(TaskExecutors.BLOCKING)
  HttpResponse<?> runbook(@PathVariable String id, HttpRequest<?> request) {
    AssessmentStore.StoredAssessment stored = find(id);
    if (!"COMPLETED".equals(stored.status())) {
      throw new ProblemException(
          Problem.of(ProblemType.CONFLICT, "Assessment " + id + " is " + stored.status() + "."));
    }
    AssessmentWire.Summary summary;
    try {
      summary =
          json.readValue(
              stored.summaryJson().getBytes(StandardCharsets.UTF_8), AssessmentWire.Summary.class);
    } catch (IOException e) {
      throw new UncheckedIOException("stored summary is not the expected JSON", e);
    }
    Runbook runbook = new Runbook(stored.id().toString(), steps(summary.remediation()));
    boolean markdown =
        request.getHeaders().accept().stream()
            .anyMatch(m -> m.getName().equalsIgnoreCase(MARKDOWN));
    if (markdown) {
      return HttpResponse.ok(markdown(runbook)).contentType(MARKDOWN + "; charset=utf-8");
    }
    return HttpResponse.ok(runbook).contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  private AssessmentStore.StoredAssessment find(String id) {
    try {
      return store.find(UUID.fromString(id)).orElseThrow(() -> notFound(id));
    } catch (IllegalArgumentException e) {
      throw notFound(id);
    }
  }

  private static ProblemException notFound(String id) {
    return new ProblemException(
        Problem.of(ProblemType.NOT_FOUND, "There is no assessment " + id + "."));
  }

  @Serdeable
  record Runbook(String assessmentId, List<Step> steps) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Step(
      int step,
      String action,
      String title,
      List<String> commands,
      int devicesFixed,
      @Nullable Integer devicesStillNotOk) {}

  /** The plan's actions in order, each with its commands. */
  static List<Step> steps(List<AssessmentWire.RemediationAction> plan) {
    List<Step> out = new ArrayList<>();
    for (AssessmentWire.RemediationAction a : plan) {
      out.add(
          new Step(
              out.size() + 1,
              a.action(),
              a.description(),
              commands(a),
              a.devicesFixed(),
              a.devicesStillNotOk()));
    }
    return out;
  }

  /** Ready-to-paste commands for one action, filled from its fields. */
  static List<String> commands(AssessmentWire.RemediationAction a) {
    List<String> c = new ArrayList<>();
    switch (a.action()) {
      case "SET_TRUSTED_CA_CERTS" -> {
        List<String> vars = new ArrayList<>();
        c.add(
            "# On a Front End server: each certificate must be in the local computer store"
                + " (certutil -addstore Root|CA <file>) before it is referenced.");
        int n = 1;
        for (AssessmentWire.ActionCertificate cert : certificates(a)) {
          String var = "$ca" + n++;
          vars.add(var);
          c.add(
              var
                  + " = New-CsWebTrustedCACertificate -Thumbprint \""
                  + cert.thumbprint()
                  + "\" -CAStore "
                  + cert.store()
                  + "   # "
                  + cert.subject());
        }
        c.add(
            "Set-CsWebServiceConfiguration -Identity Global -TrustedCACerts @{Add="
                + String.join(",", vars)
                + "} -InferCertChainFromSSL $"
                + (Boolean.TRUE.equals(a.inferCertChainFromSsl()) ? "True" : "False"));
        c.add(
            "# Wait for CMS replication (Get-CsManagementStoreReplicationStatus), then have the devices sign in again.");
      }
      case "PUBLISH_AD_CA" -> {
        for (AssessmentWire.ActionCertificate cert : certificates(a)) {
          c.add(
              "certutil -f -dspublish "
                  + fileName(cert.subject())
                  + " RootCA   # "
                  + cert.subject()
                  + ", thumbprint "
                  + cert.thumbprint());
        }
        c.add("# Then sign the USB-tethered / AD-credential devices in again.");
      }
      case "RESOLVE_HOSTS" -> {
        for (String host : a.hosts() == null ? List.<String>of() : a.hosts()) {
          int dot = host.indexOf('.');
          c.add(
              "Add-DnsServerResourceRecordCName -ZoneName "
                  + host.substring(dot + 1)
                  + " -Name "
                  + host.substring(0, dot)
                  + " -HostNameAlias <an online server publishing the CA certificate and CRL>"
                  + "   # internal DNS: "
                  + host
                  + " must resolve from the device network");
        }
      }
      case "ADD_SAN" -> {
        List<String> sans = new ArrayList<>();
        if (a.pool() != null) {
          sans.add(a.pool());
        }
        for (String name : a.names() == null ? List.<String>of() : a.names()) {
          if (!sans.contains(name)) {
            sans.add(name);
          }
        }
        c.add("# SAN list for the CSR: " + String.join(", ", sans));
        c.add(
            "Request-CsCertificate -New -Type "
                + usageType(a.usage())
                + " -DomainName \""
                + String.join(",", sans)
                + "\"");
      }
      case "UPGRADE_FIRMWARE" -> {
        c.add(
            "# Approve "
                + a.family()
                + " "
                + a.build()
                + " for the devices below it (Device Update web service):");
        c.add(
            "Get-CsDeviceUpdateRule | Where-Object { $_.ApprovedVersion -ne \""
                + a.build()
                + "\" } | Approve-CsDeviceUpdateRule");
      }
      case "KEEP_TLS_VERSIONS" -> {
        for (String v : a.tlsVersions() == null ? List.<String>of() : a.tlsVersions()) {
          String proto = v.replace("TLSv", "TLS ");
          c.add(
              "New-ItemProperty -Path \"HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\"
                  + proto
                  + "\\Server\" -Name Enabled -Value 1 -PropertyType DWord -Force   # on "
                  + (a.pool() == null ? "the pool's servers" : a.pool())
                  + " and its Edge servers");
        }
      }
      case "RESCHEDULE_CHANGE" ->
          c.add("# Move the change date to " + a.evaluateAt() + " or later.");
      case "REPROVISION_WITH_PIN" ->
          c.add(
              "# Have "
                  + (a.devices() == null ? "the" : a.devices().toString())
                  + " devices sign in once with PIN authentication (DHCP options 43/120 point"
                  + " them at the certificate provisioning web service).");
      case "ADD_TO_CATALOG" ->
          c.add(
              a.model() != null
                  ? "PUT /api/v1/catalog/models/" + a.model() + "   # " + a.devices() + " devices"
                  : "PUT /api/v1/catalog/families/"
                      + a.family()
                      + "/builds/"
                      + a.build()
                      + "   # "
                      + a.devices()
                      + " devices");
      case "ADD_POOL_TO_ENVIRONMENT" ->
          c.add(
              "PUT /api/v1/environment   # add pool "
                  + a.pool()
                  + " ("
                  + a.devices()
                  + " devices)");
      default -> c.add("# " + a.description());
    }
    return c;
  }

  private static List<AssessmentWire.ActionCertificate> certificates(
      AssessmentWire.RemediationAction a) {
    return a.certificates() == null ? List.of() : a.certificates();
  }

  private static String usageType(@Nullable String usage) {
    if (usage == null || usage.equals("DEFAULT")) {
      return "Default,WebServicesInternal,WebServicesExternal";
    }
    return usage.equals("WEB_SERVICES_INTERNAL") ? "WebServicesInternal" : "WebServicesExternal";
  }

  /** A file name for an exported certificate: its CN, spaces as underscores. */
  static String fileName(String subject) {
    String cn = subject;
    for (String part : subject.split(",")) {
      if (part.startsWith("CN=")) {
        cn = part.substring(3);
        break;
      }
    }
    return cn.replaceAll("[^A-Za-z0-9.-]+", "_") + ".cer";
  }

  static String markdown(Runbook r) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Runbook for assessment ").append(r.assessmentId()).append("\n\n");
    if (r.steps().isEmpty()) {
      sb.append("Nothing to do: every device is OK after the change.\n");
    }
    for (Step s : r.steps()) {
      sb.append("## Step ").append(s.step()).append(": ").append(s.action()).append("\n\n");
      sb.append(s.title()).append(".\n\n");
      sb.append("Fixes ").append(s.devicesFixed()).append(" devices on its own");
      if (s.devicesStillNotOk() != null) {
        sb.append("; ")
            .append(s.devicesStillNotOk())
            .append(" devices still not OK after this step and the steps before it");
      }
      sb.append(".\n\n```powershell\n");
      s.commands().forEach(cmd -> sb.append(cmd).append('\n'));
      sb.append("```\n\n");
    }
    return sb.toString();
  }
}
