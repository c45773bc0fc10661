package dev.fleettrust.x509;

import java.util.List;

/**
 * Parses what administrators paste: PEM bundles (several blocks, any order, CRLF, text between
 * blocks as {@code certutil} and {@code openssl s_client -showcerts} print it), DER, PKCS#7 /
 * {@code .p7b} certs-only bundles, and bare base64. At most 1 MiB per input and 50 certificates per
 * bundle (contract.md, "Errors and limits").
 */
public final class CertificateParser {
  public static final int MAX_INPUT_BYTES = 1024 * 1024;
  public static final int MAX_CERTIFICATES = 50;

  private CertificateParser() {}

  /** Parses binary or text input; certificates come back in input order. */
  public static List<Certificate> parse(byte[] input) throws CertificateInputException {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** Parses text input (PEM or base64). */
  public static List<Certificate> parse(String input) throws CertificateInputException {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
