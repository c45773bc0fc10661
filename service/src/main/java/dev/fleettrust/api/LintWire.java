package dev.fleettrust.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.CertificateFacts;
import dev.fleettrust.x509.GeneralNameType;
import dev.fleettrust.x509.KeyPurpose;
import dev.fleettrust.x509.RuleId;
import dev.fleettrust.x509.SignatureAlgorithm;
import dev.fleettrust.x509.SubjectAltName;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code LintResult}, {@code CertificateFacts}, {@code LintFinding} and {@code CertificateRef} of
 * api-spec/openapi.yaml, mapped from x509's facts and {@code ChainLinter} findings. {@link
 * #findings} also serves an assessment's {@code lint[]} (with {@code field} set).
 */
final class LintWire {
  /** Findings about the chain as a whole carry no {@code certificate} (spec, LintFinding). */
  private static final Set<RuleId> WHOLE_CHAIN =
      Set.of(RuleId.LINT_NOT_ONE_CHAIN, RuleId.LINT_NO_SELF_SIGNED_ROOT);

  private static final String ED448 = "1.3.101.113";

  private LintWire() {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Result(String evaluateAt, List<Facts> certificates, List<Finding> findings) {
    static Result of(
        Instant evaluateAt,
        List<Certificate> certificates,
        List<dev.fleettrust.x509.Finding> lint) {
      List<Facts> facts = new ArrayList<>();
      for (int i = 0; i < certificates.size(); i++) {
        facts.add(Facts.of(i, certificates.get(i).facts()));
      }
      return new Result(evaluateAt.toString(), facts, LintWire.findings(certificates, lint, null));
    }
  }

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Facts(
      int index,
      String subject,
      String issuer,
      String serialNumber,
      String sha256Fingerprint,
      String sha1Thumbprint,
      String notBefore,
      String notAfter,
      String signatureAlgorithm,
      String signatureHash,
      String keyType,
      int keySize,
      String curve,
      boolean selfSigned,
      boolean ca,
      Integer pathLength,
      List<San> subjectAltNames,
      List<String> extendedKeyUsages,
      List<String> crlDistributionPoints,
      List<String> aiaCaIssuers,
      List<String> ocspUrls) {

    static Facts of(int index, CertificateFacts f) {
      List<San> sans = new ArrayList<>();
      for (SubjectAltName san : f.subjectAltNames()) {
        if (san.type() == GeneralNameType.DNS) {
          sans.add(new San("DNS", san.value(), san.wildcard()));
        } else if (san.type() == GeneralNameType.IP
            || san.type() == GeneralNameType.URI
            || san.type() == GeneralNameType.EMAIL) {
          sans.add(new San(san.type().name(), san.value(), null));
        }
      }
      return new Facts(
          index,
          f.subject().rfc4514(),
          f.issuer().rfc4514(),
          f.serialHex().replace("-", "").toUpperCase(Locale.ROOT),
          f.sha256().toUpperCase(Locale.ROOT),
          f.sha1Thumbprint().toUpperCase(Locale.ROOT),
          f.notBefore().toString(),
          f.notAfter().toString(),
          f.signatureAlgorithm() == SignatureAlgorithm.OTHER
              ? f.signatureAlgorithmOid()
              : f.signatureAlgorithm().wireName(),
          f.pssHash().orElse(null),
          keyType(f),
          f.key().bits(),
          f.key().curve().orElse(null),
          f.selfSigned(),
          f.isCa(),
          f.basicConstraints().pathLen().orElse(null),
          sans,
          f.extendedKeyUsage()
              .map(l -> l.stream().map(KeyPurpose::toString).toList())
              .orElse(List.of()),
          f.crlDistributionPointUrls(),
          f.caIssuersUrls(),
          f.ocspUrls());
    }

    private static String keyType(CertificateFacts f) {
      return switch (f.key().type()) {
        case RSA -> "RSA";
        case EC -> "EC";
        case ED25519 -> "Ed25519";
        case DSA -> "DSA";
          // The spec's enum has no value for other keys; Ed448 is the one it names.
        case OTHER -> ED448.equals(f.key().algorithmOid()) ? "Ed448" : f.key().algorithmOid();
      };
    }
  }

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record San(String type, String value, Boolean wildcard) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Finding(
      String rule, String severity, String message, String field, CertificateRef certificate) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record CertificateRef(Integer index, String subject, String sha256Fingerprint) {}

  /**
   * The wire findings for {@code lint} of {@code chain} (as given, leaf first): each names the
   * certificate it is about by its position in {@code chain}.
   *
   * @param field the JSONPath of the chain in an assessment request, null for the lint endpoint
   */
  static List<Finding> findings(
      List<Certificate> chain, List<dev.fleettrust.x509.Finding> lint, String field) {
    List<Finding> out = new ArrayList<>();
    for (dev.fleettrust.x509.Finding f : lint) {
      CertificateRef ref = null;
      if (!WHOLE_CHAIN.contains(f.rule())) {
        ref = reference(chain, f.evidence().get("thumbprint")).orElse(null);
      }
      out.add(new Finding(f.rule().name(), f.severity().name(), f.message(), field, ref));
    }
    return out;
  }

  private static Optional<CertificateRef> reference(List<Certificate> chain, String thumbprint) {
    if (thumbprint == null) {
      return Optional.empty();
    }
    for (int i = 0; i < chain.size(); i++) {
      CertificateFacts f = chain.get(i).facts();
      if (f.sha1Thumbprint().equalsIgnoreCase(thumbprint)) {
        return Optional.of(
            new CertificateRef(i, f.subject().rfc4514(), f.sha256().toUpperCase(Locale.ROOT)));
      }
    }
    return Optional.empty();
  }
}
