package dev.fleettrust.x509;

import java.util.Objects;
import java.util.Optional;

/**
 * The basicConstraints extension (RFC 5280 section 4.2.1.9).
 *
 * @param present whether the extension is there at all (absent means "not a CA")
 * @param critical whether it is marked critical
 * @param ca the cA flag
 * @param pathLen pathLenConstraint, when given
 */
public record BasicConstraints(
    boolean present, boolean critical, boolean ca, Optional<Integer> pathLen) {
  public static final BasicConstraints ABSENT =
      new BasicConstraints(false, false, false, Optional.empty());

  public BasicConstraints {
    Objects.requireNonNull(pathLen, "pathLen");
  }
}
