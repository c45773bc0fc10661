package dev.fleettrust.x509;

import java.util.List;

/** The nameConstraints extension of a CA certificate (RFC 5280 section 4.2.1.10). */
public record NameConstraints(List<GeneralSubtree> permitted, List<GeneralSubtree> excluded) {
  public NameConstraints {
    permitted = List.copyOf(permitted);
    excluded = List.copyOf(excluded);
  }
}
