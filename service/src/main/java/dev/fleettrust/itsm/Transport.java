package dev.fleettrust.itsm;

import java.util.List;

/** One way out for the messages: Kafka, or one webhook. */
interface Transport extends AutoCloseable {
  /** The name deliveries record: {@code kafka}, {@code webhook:<name>}. */
  String name();

  /**
   * Sends the messages, each at least once; none of them shares a dedup key with another. Returns
   * one outcome per message, in the same order.
   */
  List<Outcome> send(List<Due> messages);

  @Override
  default void close() {}

  /** A stored message due for this transport. */
  record Due(long outboxId, String messageId, String dedupKey, int attempts, String event) {}

  /** What became of one attempt. */
  sealed interface Outcome {
    /** The receiver took it (2xx, or the broker acknowledged it). */
    record Sent() implements Outcome {}

    /**
     * It did not arrive, or not for sure.
     *
     * @param permanent retrying cannot help (the receiver refused the request as such, say a 400 or
     *     404, or the template does not render): dead-lettered at once
     */
    record Failed(boolean permanent, String reason) implements Outcome {}
  }
}
