package dev.fleettrust.itsm;

import static dev.fleettrust.itsm.ItsmTesting.nightly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.core.type.Argument;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A service stopped after it wrote messages and before its relay sent them loses nothing: the next
 * instance sends them. (The other gap, sent but not yet marked sent, is the receiver timing out in
 * {@link ItsmDeliveryTest}: the message is sent again under the same ID.)
 */
class RelayRestartTest {
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static TransactionOperations<Connection> transactions(ApplicationContext context) {
    return (TransactionOperations<Connection>)
        context.getBean((Argument) Argument.of(TransactionOperations.class, Connection.class));
  }

  private static java.util.Map<String, Object> started(
      String topic, WebhookReceiver receiver, boolean relay) {
    return new java.util.HashMap<>(ItsmTransports.properties(topic, receiver, relay));
  }

  @Test
  void messagesWrittenBeforeTheServiceStoppedAreSentByTheNextInstanceInOrder()
      throws InterruptedException {
    String topic = ItsmTransports.topic();
    try (WebhookReceiver receiver = new WebhookReceiver(ItsmTransports.RECEIVER_TIME_OUT_MILLIS)) {
      List<ItsmTesting.Stored> written;
      try (ApplicationContext stopped =
          ApplicationContext.run(started(topic, receiver, false), Environment.TEST)) {
        TransactionOperations<Connection> transactions = transactions(stopped);
        ViolationFeed feed = stopped.getBean(ViolationFeed.class);
        ItsmTesting.clear(transactions);
        ItsmTesting.publish(transactions, feed, nightly("r1", 1500, 12, 0));
        ItsmTesting.publish(transactions, feed, nightly("r2", 9, 0, 0));
        written = ItsmTesting.outbox(transactions);
      }
      assertThat(written).hasSize(4);
      Thread.sleep(500);
      assertThat(receiver.requests()).isEmpty();

      try (ApplicationContext next =
          ApplicationContext.run(started(topic, receiver, true), Environment.TEST)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.taken().size() == 4);
        assertThat(receiver.taken())
            .extracting(WebhookReceiver.Request::id)
            .containsExactlyInAnyOrderElementsOf(
                written.stream().map(ItsmTesting.Stored::messageId).toList());
        List<String> cx600 =
            written.stream()
                .filter(
                    s ->
                        s.dedupKey()
                            .equals(
                                ViolationFeed.dedupKey("ANCHOR_EXPIRED", "CX600", "4.0.7577.107")))
                .map(ItsmTesting.Stored::messageId)
                .toList();
        assertThat(
                receiver.taken().stream().map(WebhookReceiver.Request::id).filter(cx600::contains))
            .containsExactlyElementsOf(cx600);
        Set<String> onKafka =
            ItsmTransports.read(topic, 4, Duration.ofSeconds(20)).stream()
                .map(
                    r ->
                        r.key()
                            + "/"
                            + r.value()
                                .substring(
                                    r.value().indexOf("\"id\":\"") + 6,
                                    r.value().indexOf("\"id\":\"") + 42))
                .collect(Collectors.toSet());
        assertThat(onKafka)
            .containsExactlyInAnyOrderElementsOf(
                written.stream().map(s -> s.dedupKey() + "/" + s.messageId()).toList());
        ItsmTesting.clear(transactions(next));
      }
    }
  }
}
