package dev.fleettrust.backtest;

/** What a device did in a backtest's window. */
public enum Observed {
  /** A sign-in in the window succeeded. */
  SIGNED_IN,
  /**
   * It tried in the window and no attempt succeeded, or it has not tried at all since the go-live
   * and the window has closed (then it is also counted as failed silently).
   */
  FAILED,
  /** It did not try in the window, and has signed in since or the window is still open. */
  NOT_SEEN
}
