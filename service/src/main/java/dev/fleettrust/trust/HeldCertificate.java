package dev.fleettrust.trust;

import dev.fleettrust.x509.Certificate;
import java.util.Objects;

/**
 * A CA certificate a device holds beyond its firmware, and where it came from. Self-signed ones are
 * anchors; the others are intermediates the device can build a path through.
 */
public record HeldCertificate(Certificate certificate, Provenance provenance) {
  public HeldCertificate {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(provenance, "provenance");
  }
}
