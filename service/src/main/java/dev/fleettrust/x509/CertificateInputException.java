package dev.fleettrust.x509;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Certificate input that FleetTrust cannot take, with a reason an API can map to a status and a
 * message an administrator can act on. Never wraps a parser's stack trace for the caller: the cause
 * is kept only for logs.
 */
public final class CertificateInputException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the input was refused. */
  public enum Reason {
    /** Nothing but white space. */
    EMPTY,
    /** Over 1 MiB (contract.md, "Errors and limits"). */
    TOO_LARGE,
    /** Over 50 certificates in one bundle. */
    TOO_MANY_CERTIFICATES,
    /** A PEM block without its END line, or with a body that is not base64. */
    MALFORMED_PEM,
    /** Base64 text that does not decode. */
    MALFORMED_BASE64,
    /** Bytes that are not a well-formed DER certificate (bad lengths, truncated, trailing data). */
    MALFORMED_DER,
    /** A PKCS#7 / .p7b structure that is not a certs-only SignedData. */
    MALFORMED_PKCS7,
    /** Well-formed, but not a certificate (a private key, a CSR, a CRL ...). */
    NOT_A_CERTIFICATE,
    /** Input in a form that is none of PEM, DER, PKCS#7 or base64. */
    UNRECOGNISED_FORMAT
  }

  private final Reason reason;
  private final OptionalInt block;

  public CertificateInputException(Reason reason, String message) {
    this(reason, OptionalInt.empty(), message, null);
  }

  public CertificateInputException(
      Reason reason, OptionalInt block, String message, Throwable cause) {
    super(message, cause, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.block = Objects.requireNonNull(block, "block");
  }

  public Reason reason() {
    return reason;
  }

  /** For PEM input, the 1-based number of the block that failed. */
  public OptionalInt block() {
    return block;
  }
}
