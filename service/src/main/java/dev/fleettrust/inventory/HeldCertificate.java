package dev.fleettrust.inventory;

import java.util.Objects;

/** A certificate an event says the device holds, and where it came from. */
public record HeldCertificate(CaCertificate certificate, AnchorProvenance provenance) {
  public HeldCertificate {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(provenance, "provenance");
  }
}
