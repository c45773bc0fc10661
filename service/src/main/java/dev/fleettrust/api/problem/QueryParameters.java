package dev.fleettrust.api.problem;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads query parameters the way the API's spec describes them, collecting every violation into
 * {@link Problem.ValidationError}s so that one {@code 400} lists them all.
 */
public final class QueryParameters {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  private QueryParameters() {}

  /** {@code limit}: 1 to 1000, default 100. */
  public static int limit(String value, List<Problem.ValidationError> errors) {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value.strip());
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(
        Problem.ValidationError.query(
            "limit", "must be between 1 and " + MAX_LIMIT + "; got " + value));
    return DEFAULT_LIMIT;
  }

  /** Free text of 1 to {@code maxLength} characters without surrounding white space. */
  public static Optional<String> text(
      String name, String value, int maxLength, List<Problem.ValidationError> errors) {
    if (value == null) {
      return Optional.empty();
    }
    if (value.isEmpty() || value.length() > maxLength || !value.strip().equals(value)) {
      errors.add(
          Problem.ValidationError.query(
              name, "must be 1 to " + maxLength + " characters without surrounding spaces"));
      return Optional.empty();
    }
    return Optional.of(value);
  }

  public static Optional<String> matching(
      String name, String value, Pattern pattern, List<Problem.ValidationError> errors) {
    if (value == null) {
      return Optional.empty();
    }
    if (!pattern.matcher(value).matches()) {
      errors.add(Problem.ValidationError.query(name, "must match " + pattern.pattern()));
      return Optional.empty();
    }
    return Optional.of(value);
  }

  public static <E extends Enum<E>> Optional<E> enumValue(
      String name, String value, Class<E> type, List<Problem.ValidationError> errors) {
    if (value == null) {
      return Optional.empty();
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(value)) {
        return Optional.of(constant);
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E constant : type.getEnumConstants()) {
      allowed.append(allowed.length() == 0 ? "" : ", ").append(constant.name());
    }
    errors.add(Problem.ValidationError.query(name, "must be one of " + allowed));
    return Optional.empty();
  }
}
