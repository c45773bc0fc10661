package dev.fleettrust.backtest;

import java.util.List;
import java.util.Optional;

/** Which devices of a backtest to list; empty lists and absent values do not filter. */
public record BacktestDeviceFilter(
    List<String> verdicts,
    List<Observed> observed,
    Optional<String> model,
    Optional<String> build,
    Optional<String> rule) {
  public BacktestDeviceFilter {
    verdicts = List.copyOf(verdicts);
    observed = List.copyOf(observed);
  }
}
