package dev.fleettrust.api.problem;

import java.util.Objects;

/**
 * Thrown by a controller to answer with a problem; {@link ProblemExceptionHandler} renders it. It
 * carries no stack trace: it is an answer, not a failure.
 */
public final class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Problem problem;

  public ProblemException(Problem problem) {
    super(Objects.requireNonNull(problem, "problem").detail(), null, false, false);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
