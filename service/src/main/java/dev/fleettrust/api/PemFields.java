package dev.fleettrust.api;

import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.CertificateInputException;
import dev.fleettrust.x509.CertificateParser;
import java.util.List;

/**
 * Reads a PEM field of a request body. A field that does not parse is a 422 naming the field's
 * JSONPath, the 1-based PEM block and the reason, in the spec's {@code CertificateParseFailure}
 * words.
 */
final class PemFields {
  private PemFields() {}

  /** The certificates of a chain or bundle field, in the order given. */
  static List<Certificate> certificates(String pem, String field) {
    try {
      return CertificateParser.parse(pem);
    } catch (CertificateInputException e) {
      throw new ProblemException(
          Problem.invalidCertificate(
              field, e.block(), reason(e.reason()), field + ": " + e.getMessage()));
    }
  }

  /** A field that must hold exactly one certificate. */
  static Certificate certificate(String pem, String field) {
    List<Certificate> certificates = certificates(pem, field);
    if (certificates.size() != 1) {
      throw new ProblemException(
          Problem.validation(
              Problem.ValidationError.body(
                  field, "must hold exactly one certificate, not " + certificates.size())));
    }
    return certificates.get(0);
  }

  static String reason(CertificateInputException.Reason reason) {
    return switch (reason) {
      case MALFORMED_PEM -> "BAD_ARMOR";
      case MALFORMED_BASE64 -> "BAD_BASE64";
      default -> reason.name();
    };
  }
}
