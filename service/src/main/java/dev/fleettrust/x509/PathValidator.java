package dev.fleettrust.x509;

/**
 * RFC 5280 path building and validation under a {@link ClientProfile}. Builds every candidate path
 * from the leaf to an anchor (cross-signed alternatives included) within a time, depth and
 * candidate budget; the request is valid if any path passes, otherwise the findings of the best
 * failing path are reported. Thread-safe: one instance can serve many threads and memoizes
 * signature verifications.
 */
public final class PathValidator {

  public PathValidator() {}

  public ValidationResult validate(ValidationRequest request) {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
