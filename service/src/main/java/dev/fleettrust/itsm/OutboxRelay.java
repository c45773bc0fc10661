package dev.fleettrust.itsm;

import dev.fleettrust.ingest.KafkaClientConfig;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds, per transport, and marks each delivery sent in the transaction that
 * found it due. A crash after sending and before that commit leaves the delivery pending: it is
 * sent again, with the same message ID, and the receiver drops the repeat. Messages of one dedup
 * key leave in the order they were written; a failed one is retried after an exponential backoff
 * with jitter and dead-lettered after {@code max-attempts} (or at once when retrying cannot help),
 * holding back the later messages of its key until it is replayed.
 */
@Singleton
final class OutboxRelay implements ApplicationEventListener<StartupEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

  private final TransactionOperations<Connection> transactions;
  private final RelaySettings settings;
  private final List<Transport> transports = new ArrayList<>();
  private final Clock clock = Clock.systemUTC();
  private ScheduledExecutorService scheduler;

  OutboxRelay(
      TransactionOperations<Connection> transactions,
      RelaySettings settings,
      KafkaTransportSettings kafka,
      Transports configured,
      KafkaClientConfig kafkaClients,
      JsonMapper json) {
    this.transactions = transactions;
    this.settings = settings;
    if (settings.enabled()) {
      if (kafka.enabled()) {
        transports.add(
            new KafkaTransport(
                kafka.topic(), settings.requestTimeout(), kafkaClients.with(Map.of())));
      }
      for (WebhookSettings webhook : configured.webhooks()) {
        transports.add(new WebhookTransport(webhook, json, settings.requestTimeout(), clock));
      }
    }
  }

  @Override
  public synchronized void onApplicationEvent(StartupEvent event) {
    if (transports.isEmpty() || scheduler != null) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "itsm-relay");
              thread.setDaemon(true);
              return thread;
            });
    scheduler.scheduleWithFixedDelay(
        this::drain, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Rounds until no transport has anything due; never throws (the scheduler would stop). */
  private void drain() {
    try {
      boolean progress = true;
      while (progress && !Thread.currentThread().isInterrupted()) {
        progress = false;
        for (Transport transport : transports) {
          progress |= round(transport) > 0;
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("ITSM relay round failed; retrying in {}", settings.pollInterval(), e);
    }
  }

  /** One batch for one transport; the number of messages it delivered. */
  private int round(Transport transport) {
    return transactions.executeWrite(
        status -> {
          Connection connection = status.getConnection();
          if (!DeliveryStore.lock(connection, transport.name())) {
            return 0;
          }
          List<Transport.Due> due =
              DeliveryStore.due(connection, transport.name(), settings.batchSize());
          if (due.isEmpty()) {
            return 0;
          }
          List<Transport.Outcome> outcomes = transport.send(due);
          int sent = 0;
          for (int i = 0; i < due.size(); i++) {
            Transport.Due message = due.get(i);
            if (outcomes.get(i) instanceof Transport.Outcome.Failed failed) {
              Optional<Instant> retryAt =
                  failed.permanent() || message.attempts() + 1 >= settings.maxAttempts()
                      ? Optional.empty()
                      : Optional.of(
                          clock.instant().plus(backoff(settings, message.attempts() + 1)));
              if (retryAt.isEmpty()) {
                LOG.warn(
                    "ITSM message {} dead-lettered for {} after {} attempts: {}",
                    message.messageId(),
                    transport.name(),
                    message.attempts() + 1,
                    failed.reason());
              }
              DeliveryStore.failed(connection, transport.name(), message, failed.reason(), retryAt);
            } else {
              DeliveryStore.sent(connection, transport.name(), message);
              sent++;
            }
          }
          return sent;
        });
  }

  /**
   * The wait after the {@code failures}-th failure: the initial delay doubled per failure, capped,
   * then drawn uniformly from its upper half ("equal jitter"), so receivers coming back are not hit
   * by every sender at once.
   */
  static Duration backoff(RelaySettings settings, int failures) {
    long initial = settings.initialRetryDelay().toMillis();
    long cap = settings.maxRetryDelay().toMillis();
    long exponential = (long) Math.min(cap, initial * Math.pow(2, Math.max(0, failures - 1)));
    long half = exponential / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
  }

  @PreDestroy
  synchronized void stop() throws InterruptedException {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    }
    transports.forEach(Transport::close);
  }
}
