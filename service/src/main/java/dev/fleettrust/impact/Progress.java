package dev.fleettrust.impact;

import java.util.concurrent.CancellationException;

/**
 * What an assessment tells its caller while it runs (issue 12: asynchronous assessments show
 * profiles evaluated of total and can be cancelled). Called from the engine's worker threads.
 */
public interface Progress {
  /** Nobody is watching. */
  Progress NONE =
      new Progress() {
        @Override
        public void evaluated(int profiles) {}

        @Override
        public boolean cancelled() {
          return false;
        }
      };

  /** {@code profiles} more profiles of the fleet have been simulated. */
  void evaluated(int profiles);

  /** Whether to give up: the engine then throws {@link CancellationException}. */
  boolean cancelled();

  default void checkCancelled() {
    if (cancelled()) {
      throw new CancellationException("The assessment was cancelled");
    }
  }
}
