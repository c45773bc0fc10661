package dev.fleettrust.itsm;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How the relay sends, under {@code fleettrust.itsm.relay}.
 *
 * @param enabled run the relay in this replica (several may: each transport is worked by one at a
 *     time)
 * @param pollInterval how often it looks for due deliveries when it found none
 * @param batchSize deliveries per transport and round
 * @param maxAttempts failed attempts after which a delivery is dead-lettered
 * @param initialRetryDelay the wait after the first failure; it doubles per failure, with jitter
 * @param maxRetryDelay the longest wait between attempts
 * @param requestTimeout how long one webhook request or Kafka acknowledgement may take
 */
@ConfigurationProperties("fleettrust.itsm.relay")
public record RelaySettings(
    @Bindable(defaultValue = "true") boolean enabled,
    @Bindable(defaultValue = "1s") Duration pollInterval,
    @Bindable(defaultValue = "100") int batchSize,
    @Bindable(defaultValue = "12") int maxAttempts,
    @Bindable(defaultValue = "5s") Duration initialRetryDelay,
    @Bindable(defaultValue = "1h") Duration maxRetryDelay,
    @Bindable(defaultValue = "10s") Duration requestTimeout) {
  public RelaySettings {
    if (maxAttempts < 1 || batchSize < 1) {
      throw new IllegalArgumentException("max-attempts and batch-size must be at least 1");
    }
  }
}
