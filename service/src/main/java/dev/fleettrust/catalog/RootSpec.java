package dev.fleettrust.catalog;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One built-in root as the API takes it: a PEM certificate, or an identity (name and key). */
public sealed interface RootSpec {

  /** A PEM as pasted (one or more certificate blocks). */
  record Pem(String pem) implements RootSpec {
    public Pem {
      Objects.requireNonNull(pem, "pem");
    }
  }

  /**
   * A root known only by name and key, as vendors publish firmware root lists.
   *
   * @param subject RFC 4514, most specific RDN first
   * @param spkiSha256 upper-case hex
   */
  record Identity(String subject, String spkiSha256, Optional<Instant> notAfter)
      implements RootSpec {
    public Identity {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(spkiSha256, "spkiSha256");
      Objects.requireNonNull(notAfter, "notAfter");
    }
  }
}
