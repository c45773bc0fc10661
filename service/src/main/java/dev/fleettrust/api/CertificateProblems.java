package dev.fleettrust.api;

import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.x509.CertificateInputException;
import dev.fleettrust.x509.CertificateParser;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps x509's {@link CertificateInputException} to the spec's {@code invalid-certificate} problem:
 * the JSONPath of the field, the 1-based block, and one of the {@code CertificateParseFailure}
 * reasons (shared by the catalog, environment and lint endpoints; the assessment endpoints can use
 * it too).
 */
final class CertificateProblems {
  private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 #._-]{1,64})-----");

  private CertificateProblems() {}

  /**
   * @param field JSONPath of the PEM field ({@code $} for a raw PEM body)
   * @param pem the field's text, to name the label of a block that is not a certificate
   */
  static Problem of(String field, String pem, CertificateInputException e) {
    if (e.reason() == CertificateInputException.Reason.TOO_LARGE) {
      return Problem.payloadTooLarge(
          CertificateParser.MAX_INPUT_BYTES,
          field + " is over 1 MiB; certificate payloads are limited to 1 MiB.");
    }
    String reason = reason(e, pem);
    OptionalInt block =
        reason.equals("EMPTY") || reason.equals("TOO_MANY_CERTIFICATES")
            ? OptionalInt.empty()
            : e.block();
    String where =
        block.isPresent() ? "Block " + block.getAsInt() + " of " + field : "The field " + field;
    Problem problem =
        Problem.invalidCertificate(field, block, reason, where + ": " + e.getMessage());
    if (reason.equals("NOT_A_CERTIFICATE") && block.isPresent()) {
      Optional<String> label = label(pem, block.getAsInt());
      if (label.isPresent() && !label.get().toUpperCase(Locale.ROOT).contains("CERTIFICATE")) {
        problem = problem.with("blockLabel", label.get());
      }
    }
    return problem;
  }

  private static String reason(CertificateInputException e, String pem) {
    return switch (e.reason()) {
      case EMPTY -> "EMPTY";
      case TOO_MANY_CERTIFICATES -> "TOO_MANY_CERTIFICATES";
      case NOT_A_CERTIFICATE -> "NOT_A_CERTIFICATE";
      case MALFORMED_DER, MALFORMED_PKCS7 -> "MALFORMED_DER";
      case MALFORMED_BASE64 -> "BAD_BASE64";
        // x509 reports a missing END line and a body that is not base64 under one reason.
      case MALFORMED_PEM ->
          String.valueOf(e.getMessage()).contains(" has no -----END ") ? "BAD_ARMOR" : "BAD_BASE64";
      case UNRECOGNISED_FORMAT -> pem != null && pem.contains("-----END ") ? "BAD_ARMOR" : "EMPTY";
      case TOO_LARGE -> throw new IllegalArgumentException("TOO_LARGE is a 413");
    };
  }

  /** The label of the {@code block}-th PEM block of {@code pem}. */
  private static Optional<String> label(String pem, int block) {
    if (pem == null) {
      return Optional.empty();
    }
    Matcher m = BEGIN.matcher(pem);
    for (int i = 1; m.find(); i++) {
      if (i == block) {
        return Optional.of(m.group(1).trim());
      }
    }
    return Optional.empty();
  }
}
