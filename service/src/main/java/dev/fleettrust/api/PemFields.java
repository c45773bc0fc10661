package dev.fleettrust.api;

import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.CertificateInputException;
import dev.fleettrust.x509.CertificateParser;
import java.util.List;

/**
 * Reads a PEM field of a request body; a field that does not parse is the problem {@link
 * CertificateProblems} describes.
 */
final class PemFields {
  private PemFields() {}

  /** The certificates of a chain or bundle field, in the order given. */
  static List<Certificate> certificates(String pem, String field) {
    try {
      return CertificateParser.parse(pem);
    } catch (CertificateInputException e) {
      throw new ProblemException(CertificateProblems.of(field, pem, e));
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
}
