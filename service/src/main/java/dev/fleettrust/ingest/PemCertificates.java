package dev.fleettrust.ingest;

import dev.fleettrust.inventory.CaCertificate;
import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.CertificateFacts;
import dev.fleettrust.x509.CertificateInputException;
import dev.fleettrust.x509.CertificateParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Turns the PEM text of an event into the inventory's certificates, through {@code x509}. */
final class PemCertificates {
  private PemCertificates() {}

  /** The certificates of one PEM item, or why it does not parse. */
  sealed interface Parsed {
    record Certificates(List<CaCertificate> certificates) implements Parsed {
      public Certificates {
        certificates = List.copyOf(certificates);
      }
    }

    /**
     * @param message what failed, naming the block when the parser knows it, e.g. {@code block 1:
     *     MALFORMED_DER: ...}
     */
    record Unparseable(String message) implements Parsed {
      public Unparseable {
        Objects.requireNonNull(message, "message");
      }
    }
  }

  static Parsed parse(String pem) {
    List<Certificate> parsed;
    try {
      parsed = CertificateParser.parse(pem);
    } catch (CertificateInputException e) {
      String block = e.block().isPresent() ? "block " + e.block().getAsInt() + ": " : "";
      return new Parsed.Unparseable(block + e.reason() + ": " + e.getMessage());
    }
    List<CaCertificate> certificates = new ArrayList<>(parsed.size());
    for (Certificate certificate : parsed) {
      CertificateFacts facts = certificate.facts();
      certificates.add(
          new CaCertificate(
              facts.sha256(),
              certificate.encoded(),
              facts.subject().rfc4514(),
              facts.issuer().rfc4514(),
              facts.notBefore(),
              facts.notAfter(),
              facts.spkiSha256()));
    }
    return new Parsed.Certificates(certificates);
  }
}
