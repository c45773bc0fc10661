package dev.fleettrust.api;

import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import dev.fleettrust.impact.AssessmentSummary;
import dev.fleettrust.impact.CaStore;
import dev.fleettrust.impact.Change;
import dev.fleettrust.impact.Finding;
import dev.fleettrust.impact.Usage;
import dev.fleettrust.impact.Verdict;
import dev.fleettrust.trust.TlsVersion;
import dev.fleettrust.x509.Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Translates planned changes and engine results between the wire and the engine's values. */
final class AssessmentMapping {
  private AssessmentMapping() {}

  /** The engine's changes for a request's {@code changes}; bad input is a problem, never a 500. */
  static List<Change> changes(List<AssessmentWire.Change> wire, String path) {
    List<Change> changes = new ArrayList<>(wire.size());
    for (int i = 0; i < wire.size(); i++) {
      changes.add(change(wire.get(i), path + "[" + i + "]"));
    }
    return changes;
  }

  private static Change change(AssessmentWire.Change wire, String at) {
    if (wire == null) {
      throw invalid(at, "must be a change object");
    }
    String type = required(wire.type(), at + ".type");
    return switch (type) {
      case "REPLACE_CERTIFICATE" ->
          new Change.ReplaceCertificate(
              required(wire.pool(), at + ".pool"),
              usage(required(wire.usage(), at + ".usage"), at + ".usage"),
              PemFields.certificates(required(wire.chain(), at + ".chain"), at + ".chain"));
      case "REPLACE_EXCHANGE_CERTIFICATE" ->
          new Change.ReplaceExchangeCertificate(
              required(wire.ewsFqdn(), at + ".ewsFqdn"),
              PemFields.certificates(required(wire.chain(), at + ".chain"), at + ".chain"));
      case "SET_TRUSTED_CA_CERTS" -> {
        List<AssessmentWire.TrustedCaCert> entries =
            required(wire.trustedCaCerts(), at + ".trustedCaCerts");
        List<dev.fleettrust.impact.TrustedCaCert> trusted = new ArrayList<>();
        for (int j = 0; j < entries.size(); j++) {
          String entry = at + ".trustedCaCerts[" + j + "]";
          AssessmentWire.TrustedCaCert cert = entries.get(j);
          if (cert == null) {
            throw invalid(entry, "must be {store, pem}");
          }
          CaStore store =
              CaStore.fromWireName(required(cert.store(), entry + ".store"))
                  .orElseThrow(
                      () -> invalid(entry + ".store", "must be TrustedRootCA or IntermediateCA"));
          for (Certificate c :
              PemFields.certificates(required(cert.pem(), entry + ".pem"), entry + ".pem")) {
            trusted.add(new dev.fleettrust.impact.TrustedCaCert(store, c));
          }
        }
        yield new Change.SetTrustedCaCerts(
            required(wire.pool(), at + ".pool"),
            trusted,
            required(wire.inferCertChainFromSsl(), at + ".inferCertChainFromSsl"));
      }
      case "PUBLISH_AD_CA" ->
          new Change.PublishAdCa(
              PemFields.certificate(required(wire.pem(), at + ".pem"), at + ".pem"));
      case "SET_TLS_VERSIONS" -> {
        List<String> names = required(wire.tlsVersions(), at + ".tlsVersions");
        Set<TlsVersion> versions = new LinkedHashSet<>();
        for (int j = 0; j < names.size(); j++) {
          String name = names.get(j);
          int index = j;
          versions.add(
              TlsVersion.fromWireName(name)
                  .orElseThrow(
                      () ->
                          invalid(
                              at + ".tlsVersions[" + index + "]",
                              "must be one of TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3")));
        }
        if (versions.isEmpty()) {
          throw invalid(at + ".tlsVersions", "must name at least one TLS version");
        }
        yield new Change.SetTlsVersions(required(wire.pool(), at + ".pool"), versions);
      }
      case "RESOLVE_HOSTS" ->
          new Change.ResolveHosts(new LinkedHashSet<>(required(wire.hosts(), at + ".hosts")));
      default ->
          throw invalid(
              at + ".type",
              "must be one of REPLACE_CERTIFICATE, REPLACE_EXCHANGE_CERTIFICATE,"
                  + " SET_TRUSTED_CA_CERTS, PUBLISH_AD_CA, SET_TLS_VERSIONS, RESOLVE_HOSTS");
    };
  }

  /** An unknown usage names something the service does not know: 422, as for a pool. */
  private static Usage usage(String name, String field) {
    for (Usage usage : Usage.values()) {
      if (usage.name().equals(name)) {
        return usage;
      }
    }
    throw new ProblemException(
        Problem.unknownReference(
            field,
            Problem.Location.BODY,
            Problem.ReferenceKind.USAGE,
            name,
            "There is no certificate usage "
                + name
                + "; use DEFAULT, WEB_SERVICES_INTERNAL or"
                + " WEB_SERVICES_EXTERNAL."));
  }

  private static <T> T required(T value, String field) {
    if (value == null) {
      throw invalid(field, "is required");
    }
    return value;
  }

  private static ProblemException invalid(String field, String message) {
    return new ProblemException(Problem.validation(Problem.ValidationError.body(field, message)));
  }

  /** A change as the wire spells it, for echoing requests and remediation actions. */
  static AssessmentWire.Change toWire(Change change) {
    if (change instanceof Change.ReplaceCertificate r) {
      return new AssessmentWire.Change(
          r.type(), r.pool(), r.usage().name(), pem(r.chain()), null, null, null, null, null, null);
    }
    if (change instanceof Change.ReplaceExchangeCertificate x) {
      return new AssessmentWire.Change(
          x.type(), null, null, pem(x.chain()), x.ewsFqdn(), null, null, null, null, null);
    }
    if (change instanceof Change.SetTrustedCaCerts t) {
      List<AssessmentWire.TrustedCaCert> trusted =
          t.trustedCaCerts().stream()
              .map(
                  c ->
                      new AssessmentWire.TrustedCaCert(
                          c.store().wireName(), c.certificate().toPem()))
              .toList();
      return new AssessmentWire.Change(
          t.type(),
          t.pool(),
          null,
          null,
          null,
          trusted,
          t.inferCertChainFromSsl(),
          null,
          null,
          null);
    }
    if (change instanceof Change.PublishAdCa p) {
      return new AssessmentWire.Change(
          p.type(), null, null, null, null, null, null, p.certificate().toPem(), null, null);
    }
    if (change instanceof Change.SetTlsVersions v) {
      List<String> versions = v.tlsVersions().stream().sorted().map(TlsVersion::wireName).toList();
      return new AssessmentWire.Change(
          v.type(), v.pool(), null, null, null, null, null, null, versions, null);
    }
    Change.ResolveHosts h = (Change.ResolveHosts) change;
    return new AssessmentWire.Change(
        h.type(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        h.hosts().stream().sorted().toList());
  }

  private static String pem(List<Certificate> chain) {
    return chain.stream().map(Certificate::toPem).collect(Collectors.joining());
  }

  static AssessmentWire.Summary summary(AssessmentSummary summary) {
    return new AssessmentWire.Summary(
        summary.devices(),
        verdicts(summary.verdicts()),
        summary.byModelAndBuild().stream()
            .map(
                m ->
                    new AssessmentWire.ModelBuildVerdicts(
                        blankToNull(m.model()),
                        m.family().orElse(null),
                        blankToNull(m.build()),
                        m.devices(),
                        verdicts(m.verdicts())))
            .toList(),
        summary.findings().stream()
            .map(f -> new AssessmentWire.RuleCount(f.rule().name(), f.devices(), f.message()))
            .toList(),
        summary.remediation().stream().map(AssessmentMapping::remediation).toList(),
        summary.catalogVersion(),
        summary.lint().stream().map(AssessmentMapping::lint).toList());
  }

  private static final java.util.regex.Pattern POOL_CHAIN =
      java.util.regex.Pattern.compile(
          "(\\S+) (DEFAULT|WEB_SERVICES_INTERNAL|WEB_SERVICES_EXTERNAL)");

  /**
   * The action with the fields contract.md lists for applying it ("Remediation actions are
   * checkable"), taken from its changes and its named facts.
   */
  private static AssessmentWire.RemediationAction remediation(
      dev.fleettrust.impact.RemediationAction action) {
    Map<String, String> d = action.details();
    String pool = d.get("pool");
    String usage = d.get("usage");
    java.util.regex.Matcher chain = POOL_CHAIN.matcher(d.getOrDefault("chain", ""));
    if (chain.matches()) {
      pool = pool == null ? chain.group(1) : pool;
      usage = usage == null ? chain.group(2) : usage;
    }
    List<AssessmentWire.ActionCertificate> certificates = new ArrayList<>();
    Boolean infer = null;
    List<String> hosts = null;
    List<String> tls = null;
    for (Change c : action.changes()) {
      if (c instanceof Change.SetTrustedCaCerts t) {
        pool = t.pool();
        infer = t.inferCertChainFromSsl();
        for (var tc : t.trustedCaCerts()) {
          certificates.add(
              new AssessmentWire.ActionCertificate(
                  tc.certificate().facts().sha1Thumbprint(),
                  tc.certificate().facts().subject().rfc4514(),
                  tc.store().wireName()));
        }
      } else if (c instanceof Change.PublishAdCa p) {
        certificates.add(
            new AssessmentWire.ActionCertificate(
                p.certificate().facts().sha1Thumbprint(),
                p.certificate().facts().subject().rfc4514(),
                null));
      } else if (c instanceof Change.ResolveHosts r) {
        hosts = r.hosts().stream().sorted().toList();
      } else if (c instanceof Change.SetTlsVersions v) {
        pool = v.pool();
        tls =
            v.tlsVersions().stream()
                .sorted()
                .map(dev.fleettrust.trust.TlsVersion::wireName)
                .toList();
      }
    }
    List<String> names =
        d.containsKey("names")
            ? java.util.Arrays.stream(d.get("names").split(",\\s*"))
                .filter(n -> !n.isBlank())
                .toList()
            : null;
    return new AssessmentWire.RemediationAction(
        action.action().name(),
        action.devicesFixed(),
        action.description(),
        action.rules().stream().map(Enum::name).toList(),
        action.family().orElse(null),
        action.build().orElse(null),
        action.changes().isEmpty()
            ? null
            : action.changes().stream().map(AssessmentMapping::toWire).toList(),
        action.devicesStillNotOk() < 0 ? null : action.devicesStillNotOk(),
        pool,
        usage,
        names,
        d.get("signatureAlgorithm"),
        d.get("issuer"),
        d.get("evaluateAt"),
        certificates.isEmpty() ? null : certificates,
        infer,
        hosts,
        tls,
        d.get("model"),
        d.containsKey("devices") ? Integer.valueOf(d.get("devices")) : null);
  }

  private static AssessmentWire.LintFinding lint(dev.fleettrust.impact.LintFinding lint) {
    var finding = lint.finding();
    return new AssessmentWire.LintFinding(
        finding.rule().name(), finding.severity().name(), finding.message(), lint.field(), null);
  }

  static Map<String, Integer> verdicts(Map<Verdict, Integer> counts) {
    Map<String, Integer> all = new LinkedHashMap<>();
    for (Verdict verdict : Verdict.values()) {
      all.put(verdict.name(), counts.getOrDefault(verdict, 0));
    }
    return all;
  }

  static List<AssessmentWire.DeviceFinding> findings(List<Finding> findings) {
    return findings.stream()
        .map(
            f ->
                new AssessmentWire.DeviceFinding(
                    f.rule().name(), f.message(), f.remediation(), evidence(f.evidence())))
        .toList();
  }

  private static AssessmentWire.Evidence evidence(Map<String, String> facts) {
    if (facts.isEmpty()) {
      return null;
    }
    String usage = facts.get("usage");
    boolean knownUsage =
        usage != null
            && List.of("DEFAULT", "WEB_SERVICES_INTERNAL", "WEB_SERVICES_EXTERNAL").contains(usage);
    return new AssessmentWire.Evidence(
        blankToNull(facts.get("build")),
        blankToNull(facts.get("pool")),
        knownUsage ? usage : null,
        facts);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
