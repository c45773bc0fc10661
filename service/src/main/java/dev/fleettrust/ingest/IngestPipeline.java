package dev.fleettrust.ingest;

import dev.fleettrust.inventory.Channel;
import dev.fleettrust.inventory.EventRecord;
import dev.fleettrust.inventory.EventType;
import dev.fleettrust.inventory.InventoryStoreException;
import dev.fleettrust.inventory.InventoryWriter;
import dev.fleettrust.inventory.Rejection;
import dev.fleettrust.inventory.RejectionReason;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path every event takes, from Kafka or HTTP: decoded items in, one database transaction
 * per batch, one outcome per item out. Refused items are stored as rejections in the same
 * transaction, so the rest of the batch lands with them.
 *
 * <p>When the database refuses the batch for good (data it cannot take, never an outage), the items
 * are written one by one and the one that fails is rejected as {@link
 * RejectionReason#STORAGE_REJECTED}: a poison event never blocks the events behind it. A transient
 * failure is thrown for the caller to retry the whole batch, which is safe because every write is
 * idempotent.
 */
@Singleton
public final class IngestPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);
  static final String STORAGE_REJECTED_MESSAGE =
      "The database refused the event for good; the service log has the cause.";

  /** One event to ingest, however it came, with what a rejection record keeps of it. */
  public record Item(
      DecodedEvent decoded,
      Channel channel,
      Optional<Rejection.KafkaCoordinates> coordinates,
      String payload,
      Map<String, String> headers) {
    public Item {
      Objects.requireNonNull(decoded, "decoded");
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(coordinates, "coordinates");
      Objects.requireNonNull(payload, "payload");
      headers = Map.copyOf(headers);
    }
  }

  /** What happened to one item. */
  public sealed interface Outcome {
    /**
     * Stored, or already stored before ({@code duplicate}); {@code late} when it was older than the
     * device's state and went to history only.
     */
    record Accepted(String eventId, boolean duplicate, boolean late) implements Outcome {}

    /** Refused and recorded under {@code rejectionId}. */
    record Rejected(
        UUID rejectionId,
        RejectionReason reason,
        String message,
        Optional<String> field,
        Optional<String> eventId)
        implements Outcome {}
  }

  private final InventoryWriter writer;
  private final IngestMetrics metrics;

  IngestPipeline(InventoryWriter writer, IngestMetrics metrics) {
    this.writer = writer;
    this.metrics = metrics;
  }

  /**
   * Stores the batch; returns one outcome per item, in order.
   *
   * @throws InventoryStoreException only when retrying the same batch later may succeed
   */
  public List<Outcome> ingest(List<Item> items) {
    if (items.isEmpty()) {
      return List.of();
    }
    long started = System.nanoTime();
    List<Outcome> outcomes;
    try {
      outcomes = write(items);
    } catch (InventoryStoreException e) {
      if (e.retryable()) {
        throw e;
      }
      LOG.error("The database refused a batch of {} events; isolating the cause", items.size(), e);
      outcomes = isolate(items);
    }
    record(items, outcomes, Duration.ofNanos(System.nanoTime() - started));
    return outcomes;
  }

  private List<Outcome> write(List<Item> items) {
    List<EventRecord> events = new ArrayList<>(items.size());
    List<Rejection> rejections = new ArrayList<>();
    Outcome[] outcomes = new Outcome[items.size()];
    // The first item with an id is the one that can be fresh; later ones in the batch are repeats.
    boolean[] firstWithId = new boolean[items.size()];
    Set<String> ids = new HashSet<>(items.size() * 4 / 3 + 1);
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      if (item.decoded() instanceof DecodedEvent.Valid valid) {
        events.add(new EventRecord(valid.event(), item.channel(), valid.dataJson()));
        firstWithId[i] = ids.add(valid.event().header().id());
      } else {
        DecodedEvent.Refused refused = (DecodedEvent.Refused) item.decoded();
        Rejection rejection = rejection(item, refused);
        rejections.add(rejection);
        outcomes[i] =
            new Outcome.Rejected(
                rejection.id(),
                refused.reason(),
                refused.message(),
                refused.field(),
                refused.eventId());
      }
    }
    InventoryWriter.WriteResult result = writer.write(events, rejections);
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).decoded() instanceof DecodedEvent.Valid valid) {
        String id = valid.event().header().id();
        boolean fresh = firstWithId[i] && result.ingested().contains(id);
        outcomes[i] = new Outcome.Accepted(id, !fresh, fresh && result.late().contains(id));
      }
    }
    return List.of(outcomes);
  }

  private List<Outcome> isolate(List<Item> items) {
    List<Outcome> outcomes = new ArrayList<>(items.size());
    for (Item item : items) {
      try {
        outcomes.addAll(write(List.of(item)));
      } catch (InventoryStoreException e) {
        if (e.retryable()) {
          throw e;
        }
        LOG.error(
            "The database refused event {} for good; rejecting it as STORAGE_REJECTED",
            eventId(item).orElse("(without id)"),
            e);
        // The database's own text stays in the log: it names tables, columns and values, and the
        // rejection is readable by every viewer.
        DecodedEvent.Refused refused =
            new DecodedEvent.Refused(
                RejectionReason.STORAGE_REJECTED,
                STORAGE_REJECTED_MESSAGE,
                Optional.empty(),
                eventId(item),
                eventType(item),
                subject(item));
        outcomes.addAll(
            write(
                List.of(
                    new Item(
                        refused,
                        item.channel(),
                        item.coordinates(),
                        item.payload(),
                        item.headers()))));
      }
    }
    return outcomes;
  }

  private static Rejection rejection(Item item, DecodedEvent.Refused refused) {
    return new Rejection(
        rejectionId(item, refused),
        item.channel(),
        item.coordinates(),
        refused.eventId(),
        refused.eventType(),
        refused.subject(),
        refused.reason(),
        refused.message(),
        refused.field(),
        item.payload(),
        item.headers());
  }

  /**
   * A Kafka record is rejected once by its coordinates (a unique index). An HTTP event has none, so
   * its rejection id is derived from what was refused and why: a client retrying the same batch
   * finds the rejection it got the first time instead of adding another.
   */
  private static UUID rejectionId(Item item, DecodedEvent.Refused refused) {
    if (item.channel() != Channel.HTTP) {
      return UUID.randomUUID();
    }
    return UUID.nameUUIDFromBytes(
        (refused.reason().name() + "\n" + item.payload()).getBytes(StandardCharsets.UTF_8));
  }

  private void record(List<Item> items, List<Outcome> outcomes, Duration elapsed) {
    Channel channel = items.get(0).channel();
    Map<EventType, Integer> ingested = new EnumMap<>(EventType.class);
    Map<RejectionReason, Integer> rejected = new EnumMap<>(RejectionReason.class);
    int duplicates = 0;
    int late = 0;
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome outcome = outcomes.get(i);
      if (outcome instanceof Outcome.Accepted accepted) {
        if (accepted.duplicate()) {
          duplicates++;
        } else {
          DecodedEvent.Valid valid = (DecodedEvent.Valid) items.get(i).decoded();
          ingested.merge(valid.event().type(), 1, Integer::sum);
        }
        late += accepted.late() ? 1 : 0;
      } else if (outcome instanceof Outcome.Rejected refused) {
        rejected.merge(refused.reason(), 1, Integer::sum);
      }
    }
    ingested.forEach((type, count) -> metrics.ingested(channel, type, count));
    rejected.forEach((reason, count) -> metrics.rejected(channel, reason, count));
    metrics.duplicates(channel, duplicates);
    metrics.late(channel, late);
    metrics.batch(channel, elapsed);
  }

  private static Optional<String> eventId(Item item) {
    return item.decoded() instanceof DecodedEvent.Valid valid
        ? Optional.of(valid.event().header().id())
        : ((DecodedEvent.Refused) item.decoded()).eventId();
  }

  private static Optional<String> eventType(Item item) {
    return item.decoded() instanceof DecodedEvent.Valid valid
        ? Optional.of(valid.event().type().cloudEventType())
        : ((DecodedEvent.Refused) item.decoded()).eventType();
  }

  private static Optional<String> subject(Item item) {
    return item.decoded() instanceof DecodedEvent.Valid valid
        ? Optional.of(valid.event().header().deviceId().value())
        : ((DecodedEvent.Refused) item.decoded()).subject();
  }
}
