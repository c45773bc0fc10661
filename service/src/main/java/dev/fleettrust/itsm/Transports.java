package dev.fleettrust.itsm;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * The transports configured now, by the name a delivery records: {@code kafka} and {@code
 * webhook:<name>} for each enabled webhook. A message is queued for each of them when it is
 * enqueued; one enqueued while a transport was switched off is never sent by it.
 */
@Singleton
final class Transports {
  static final String KAFKA = "kafka";

  private final List<String> names;
  private final List<WebhookSettings> webhooks;

  Transports(KafkaTransportSettings kafka, List<WebhookSettings> webhooks) {
    List<String> names = new ArrayList<>();
    if (kafka.enabled()) {
      names.add(KAFKA);
    }
    this.webhooks = webhooks.stream().filter(WebhookSettings::enabled).toList();
    this.webhooks.forEach(w -> names.add(w.target()));
    this.names = List.copyOf(names);
  }

  List<String> names() {
    return names;
  }

  List<WebhookSettings> webhooks() {
    return webhooks;
  }
}
