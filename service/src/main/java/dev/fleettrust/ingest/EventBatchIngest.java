package dev.fleettrust.ingest;

import dev.fleettrust.inventory.Channel;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests a batch posted to {@code POST /api/v1/events} with the same semantics as the topic: the
 * same decoder, the same pipeline (one transaction, idempotent on id, ordered by time), and refused
 * events recorded and dead-lettered. The caller gets one outcome per event.
 */
@Singleton
public final class EventBatchIngest {
  private static final Logger LOG = LoggerFactory.getLogger(EventBatchIngest.class);

  private final CloudEventDecoder decoder;
  private final IngestPipeline pipeline;
  private final DeadLetterPublisher deadLetters;
  private final IngestSettings settings;
  private final JsonMapper json;

  EventBatchIngest(
      CloudEventDecoder decoder,
      IngestPipeline pipeline,
      DeadLetterPublisher deadLetters,
      IngestSettings settings,
      JsonMapper json) {
    this.decoder = decoder;
    this.pipeline = pipeline;
    this.deadLetters = deadLetters;
    this.settings = settings;
    this.json = json;
  }

  /**
   * Stores the events; returns one outcome per event, in order.
   *
   * @throws dev.fleettrust.inventory.InventoryStoreException when the database is unavailable
   *     (nothing was stored; the same request may be sent again)
   */
  public List<IngestPipeline.Outcome> ingest(List<JsonNode> events) {
    List<IngestPipeline.Item> items = new ArrayList<>(events.size());
    List<byte[]> payloads = new ArrayList<>(events.size());
    for (JsonNode event : events) {
      DecodedEvent decoded = decoder.decodeStructured(event);
      // A valid event keeps its payload too: the database may still refuse it, and then its
      // rejection record and dead letter need the event as it came.
      byte[] payload = serialise(event);
      payloads.add(payload);
      items.add(
          new IngestPipeline.Item(
              decoded,
              Channel.HTTP,
              Optional.empty(),
              new String(payload, StandardCharsets.UTF_8),
              Map.of()));
    }
    List<IngestPipeline.Outcome> outcomes = pipeline.ingest(items);
    List<DeadLetterPublisher.DeadLetter> letters = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i) instanceof IngestPipeline.Outcome.Rejected rejected) {
        byte[] key =
            subject(items.get(i).decoded())
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                .orElse(null);
        letters.add(
            new DeadLetterPublisher.DeadLetter(
                key, payloads.get(i), List.<Header>of(), Optional.empty(), Channel.HTTP, rejected));
      }
    }
    try {
      deadLetters.publish(settings.deadLetterTopic(), letters);
    } catch (DeadLetterPublisher.DeadLetterException e) {
      // The rejections are stored and answered; the topic copy is the secondary record here.
      LOG.warn("{} refused HTTP events were not dead-lettered: {}", letters.size(), e.getMessage());
    }
    return outcomes;
  }

  private static Optional<String> subject(DecodedEvent decoded) {
    return decoded instanceof DecodedEvent.Valid valid
        ? Optional.of(valid.event().header().deviceId().value())
        : ((DecodedEvent.Refused) decoded).subject();
  }

  private byte[] serialise(JsonNode event) {
    try {
      return json.writeValueAsBytes(event);
    } catch (IOException e) {
      throw new IllegalStateException("A parsed JSON tree always serialises", e);
    }
  }
}
