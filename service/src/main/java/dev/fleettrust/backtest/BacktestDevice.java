package dev.fleettrust.backtest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One device a backtest covered: what it was predicted and what it did in the window.
 *
 * @param failedSilently counted as failed because it has not signed in at all since the go-live
 * @param failureReason the newest failure's reason in the window, when it failed
 */
public record BacktestDevice(
    String deviceId,
    Optional<String> model,
    Optional<String> family,
    Optional<String> build,
    String verdict,
    List<String> rules,
    Observed observed,
    boolean failedSilently,
    int attempts,
    Optional<Instant> lastAttemptAt,
    Optional<String> failureReason) {
  public BacktestDevice {
    rules = List.copyOf(rules);
  }
}
