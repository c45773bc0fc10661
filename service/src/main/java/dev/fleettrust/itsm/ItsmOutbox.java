package dev.fleettrust.itsm;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The outbox every ITSM message goes through. Call {@link #enqueue} on the connection of the
 * transaction that stores the state the message reports, before it commits: the message is then
 * stored exactly when the state is, and the relay sends it afterwards, at least once per configured
 * transport.
 *
 * <p>With Micronaut's {@code TransactionOperations<Connection>}: {@code
 * transactions.executeWrite(status -> { store(status.getConnection()); outbox.enqueue(
 * status.getConnection(), message); return null; })}.
 */
@Singleton
public final class ItsmOutbox {
  private final JsonMapper json;
  private final ItsmSettings settings;
  private final Transports transports;

  ItsmOutbox(JsonMapper json, ItsmSettings settings, Transports transports) {
    this.json = json;
    this.settings = settings;
    this.transports = transports;
  }

  /**
   * Stores the message as a CloudEvent 1.0 and queues one delivery per configured transport, in the
   * caller's transaction (nothing is committed or rolled back here).
   *
   * @return the message ID: the CloudEvent {@code id}, the {@code webhook-id}, the idempotency key
   *     receivers deduplicate by
   * @throws SQLException as the connection threw it; the caller's transaction should roll back
   */
  public UUID enqueue(Connection connection, OutboundMessage message) throws SQLException {
    UUID id = UUID.randomUUID();
    CloudEvent event =
        new CloudEvent(
            "1.0",
            id.toString(),
            settings.source(),
            message.type().cloudEventType(),
            message.subject(),
            message.time().truncatedTo(ChronoUnit.MILLIS).toString(),
            "application/json",
            message.dedupKey(),
            tree(message.data()));
    long outboxId;
    try (PreparedStatement insert =
        connection.prepareStatement(
            """
            INSERT INTO itsm_outbox (message_id, type, subject, dedup_key, change_ref, event)
            VALUES (?, ?, ?, ?, ?, ?::json)
            RETURNING id
            """)) {
      insert.setObject(1, id);
      insert.setString(2, message.type().cloudEventType());
      insert.setString(3, message.subject());
      insert.setString(4, message.dedupKey());
      insert.setString(5, message.changeRef().orElse(null));
      insert.setString(6, write(event));
      try (ResultSet row = insert.executeQuery()) {
        row.next();
        outboxId = row.getLong(1);
      }
    }
    if (!transports.names().isEmpty()) {
      try (PreparedStatement deliveries =
          connection.prepareStatement(
              "INSERT INTO itsm_delivery (outbox_id, target, dedup_key) VALUES (?, ?, ?)")) {
        for (String target : transports.names()) {
          deliveries.setLong(1, outboxId);
          deliveries.setString(2, target);
          deliveries.setString(3, message.dedupKey());
          deliveries.addBatch();
        }
        deliveries.executeBatch();
      }
    }
    return id;
  }

  /** The structured-mode CloudEvent as stored and sent; {@code partitionkey} is the dedup key. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record CloudEvent(
      String specversion,
      String id,
      String source,
      String type,
      String subject,
      String time,
      String datacontenttype,
      String partitionkey,
      JsonNode data) {}

  private JsonNode tree(Object data) {
    try {
      return json.writeValueToTree(data);
    } catch (IOException e) {
      throw new UncheckedIOException("An ITSM message's data does not serialise", e);
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
