package dev.fleettrust.inventory;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes a batch of accepted events and rejections into the inventory in one transaction.
 *
 * <ul>
 *   <li>Idempotency: an event id already in {@code ingested_event} changes nothing; neither does an
 *       id repeated within the batch. Only admitted events go further.
 *   <li>Ordering: the batch's device rows are read and locked once, caught up with the newer
 *       sign-ins that left them alone, and the events applied to them in arrival order by {@link
 *       DeviceState}'s rules (each part of the state set by the newest event for that part), so the
 *       outcome does not depend on arrival order and a late event lands in the history, flagged
 *       {@code late}, without overwriting anything newer.
 *   <li>Only rows that changed are written, with plain INSERTs and version-checked UPDATEs; a
 *       sign-in that changes nothing but times leaves its row alone (ADR 0503). History, sign-in
 *       outcomes and idempotency keys are appended with {@code COPY}. A device another writer
 *       created meanwhile sends the batch round again (a few times, then the caller retries).
 *   <li>The device's trust profile hash is recomputed in the same transaction whenever its model,
 *       firmware, site, provisioning method or anchors change.
 * </ul>
 *
 * Statements take their rows sorted by key, so two batches touching the same devices wait for each
 * other instead of deadlocking.
 */
@Singleton
public final class InventoryWriter {
  /**
   * What the batch did: which event ids were new (the rest were duplicates) and which were late.
   */
  public record WriteResult(Set<String> ingested, Set<String> late) {
    public WriteResult {
      ingested = Set.copyOf(ingested);
      late = Set.copyOf(late);
    }
  }

  static final int MAX_STORED_PAYLOAD_CHARS = 64 * 1024;
  private static final int MAX_CONFLICT_ATTEMPTS = 5;
  private static final String UNIQUE_VIOLATION = "23505";

  private final TransactionOperations<Connection> transactions;
  private final HistoryPartitions partitions;
  private final TrustProfileCache profiles;

  InventoryWriter(
      TransactionOperations<Connection> transactions,
      HistoryPartitions partitions,
      TrustProfileCache profiles) {
    this.transactions = transactions;
    this.partitions = partitions;
    this.profiles = profiles;
  }

  /**
   * Writes the batch or nothing.
   *
   * @throws InventoryStoreException when the database refused; {@link
   *     InventoryStoreException#retryable()} says whether the same batch may succeed later
   */
  public WriteResult write(List<EventRecord> events, List<Rejection> rejections) {
    for (int attempt = 1; ; attempt++) {
      try {
        partitions.ensureFor(events.stream().map(e -> e.header().time()).toList());
        Set<String> persistedNow = new HashSet<>();
        WriteResult result =
            transactions.executeWrite(
                status ->
                    new Batch(status.getConnection(), persistedNow).write(events, rejections));
        profiles.markPersisted(persistedNow);
        return result;
      } catch (Exception e) {
        // Exception, not RuntimeException: the transaction template rethrows SQLExceptions.
        InventoryStoreException failure = InventoryStoreException.classify(e);
        if (failure.conflict() && attempt < MAX_CONFLICT_ATTEMPTS) {
          continue;
        }
        if (failure.retryable() && failure.getMessage().contains("no partition of relation")) {
          partitions.forget();
        }
        throw failure;
      }
    }
  }

  /**
   * A batch's events applied, in arrival order, to the current state of their devices: the next
   * state of each, the events that were late, and the devices with an event that may not leave the
   * row alone ({@link DeviceState#mayLeaveRowAlone}).
   */
  private record Fold(
      Map<DeviceId, DeviceState> next, Set<DeviceId> notSkippable, Set<String> late) {
    static Fold of(
        List<EventRecord> events,
        Map<DeviceId, DeviceState> stored,
        Map<DeviceId, DeviceState> current) {
      Map<DeviceId, DeviceState> next = new HashMap<>();
      Set<DeviceId> notSkippable = new HashSet<>();
      Set<String> late = new HashSet<>();
      for (EventRecord record : events) {
        DeviceId device = record.header().deviceId();
        DeviceState state =
            next.computeIfAbsent(
                device,
                id -> current.containsKey(id) ? current.get(id).copy() : DeviceState.unseen(id));
        DeviceState row = stored.get(device);
        if (!state.mayLeaveRowAlone(record.event(), row == null ? null : row.registeredAt)) {
          notSkippable.add(device);
        }
        if (state.apply(record.event())) {
          late.add(record.header().id());
        }
      }
      return new Fold(next, notSkippable, late);
    }

    /** Whether the stored {@code row} must be rewritten; {@code current} is it caught up. */
    boolean mustWrite(DeviceId device, DeviceState row, DeviceState current) {
      DeviceState state = next.get(device);
      return state.differsFrom(row)
          && (notSkippable.contains(device) || !state.movedOnlySignInTimes(current));
    }

    /** This fold with the devices {@code refolded} covers taken from it. */
    Fold replacing(Fold refolded) {
      Map<DeviceId, DeviceState> mergedNext = new HashMap<>(next);
      mergedNext.putAll(refolded.next());
      Set<DeviceId> mergedNotSkippable = new HashSet<>(notSkippable);
      mergedNotSkippable.removeAll(refolded.next().keySet());
      mergedNotSkippable.addAll(refolded.notSkippable());
      // Lateness depends only on the state time, which both queries restore alike.
      return new Fold(mergedNext, mergedNotSkippable, late);
    }
  }

  /** One transaction's worth of work. */
  private final class Batch {
    private final Connection connection;
    private final Set<String> persistedNow;

    Batch(Connection connection, Set<String> persistedNow) {
      this.connection = connection;
      this.persistedNow = persistedNow;
    }

    WriteResult write(List<EventRecord> events, List<Rejection> rejections) throws SQLException {
      List<EventRecord> fresh = admitNew(events);
      Set<String> late = new HashSet<>();
      if (!fresh.isEmpty()) {
        Map<DeviceId, DeviceState> stored = DeviceTable.read(connection, devicesOf(fresh));
        Map<DeviceId, DeviceState> current = DeviceTable.withNewestSignIn(connection, stored);
        Fold fold = Fold.of(fresh, stored, current);
        // A row about to be written after sign-ins that left it alone needs the exact times of
        // their optional parts, which only the costlier query gives; the few such devices are
        // folded again from those.
        Set<DeviceId> refine = new TreeSet<>();
        for (DeviceId device : fold.next().keySet()) {
          DeviceState row = stored.get(device);
          if (row != null
              && !Objects.equals(row.registeredAt, current.get(device).registeredAt)
              && fold.mustWrite(device, row, current.get(device))) {
            refine.add(device);
          }
        }
        if (!refine.isEmpty()) {
          current.putAll(DeviceTable.withNewerSignInParts(connection, stored, refine));
          fold =
              fold.replacing(
                  Fold.of(
                      fresh.stream().filter(r -> refine.contains(r.header().deviceId())).toList(),
                      stored,
                      current));
        }
        Map<DeviceId, DeviceState> next = fold.next();
        late.addAll(fold.late());
        insertHistory(fresh, late);
        insertSignIns(fresh);
        Map<String, TrustProfile> assigned = new HashMap<>();
        Set<DeviceId> needAnchors = assignProfiles(current, next, assigned);
        Map<DeviceId, Long> versions = writeDevices(stored, current, fold);
        insertCertificates(fresh);
        needAnchors.addAll(applyAnchors(fresh));
        upsertProvisioning(fresh);
        reassignProfiles(needAnchors, next, versions, assigned);
        insertProfiles(assigned);
      }
      insertRejections(rejections);
      Set<String> ingested = new HashSet<>();
      fresh.forEach(e -> ingested.add(e.header().id()));
      return new WriteResult(ingested, late);
    }

    private List<DeviceId> devicesOf(List<EventRecord> fresh) {
      Set<DeviceId> devices = new HashSet<>();
      fresh.forEach(record -> devices.add(record.header().deviceId()));
      return new ArrayList<>(devices);
    }

    /**
     * Gives every new or changed device the hash of its profile, taking the anchors from its
     * current profile (they do not change here). Returns the devices whose anchors must be read
     * first: those whose current profile is not known.
     */
    private Set<DeviceId> assignProfiles(
        Map<DeviceId, DeviceState> stored,
        Map<DeviceId, DeviceState> next,
        Map<String, TrustProfile> assigned)
        throws SQLException {
      Set<String> currentHashes = new HashSet<>();
      for (DeviceState state : next.values()) {
        DeviceState before = stored.get(state.deviceId);
        if (before != null && before.profileHash != null && state.profileFieldsDiffer(before)) {
          currentHashes.add(before.profileHash);
        }
      }
      Map<String, TrustProfile> current = resolveProfiles(currentHashes);
      Set<DeviceId> needAnchors = new TreeSet<>();
      for (DeviceState state : next.values()) {
        DeviceState before = stored.get(state.deviceId);
        SortedSet<TrustProfile.Anchor> anchors;
        if (before == null) {
          anchors = new TreeSet<>();
        } else if (!state.profileFieldsDiffer(before) && before.profileHash != null) {
          continue;
        } else if (before.profileHash != null && current.containsKey(before.profileHash)) {
          anchors = current.get(before.profileHash).anchors();
        } else {
          needAnchors.add(state.deviceId);
          continue;
        }
        TrustProfile profile = state.profile(anchors);
        state.profileHash = profile.hash();
        assigned.put(state.profileHash, profile);
      }
      return needAnchors;
    }

    /**
     * Inserts the new devices and updates the changed ones, leaving alone the rows whose only news
     * is sign-ins that changed nothing but times (already in {@code sign_in_outcome}); returns the
     * row version each row now has.
     */
    private Map<DeviceId, Long> writeDevices(
        Map<DeviceId, DeviceState> stored, Map<DeviceId, DeviceState> current, Fold fold)
        throws SQLException {
      List<DeviceState> inserts = new ArrayList<>();
      List<DeviceState> updates = new ArrayList<>();
      Map<DeviceId, Long> versions = new HashMap<>();
      for (DeviceState state : fold.next().values()) {
        DeviceState row = stored.get(state.deviceId);
        if (row == null) {
          inserts.add(state);
          versions.put(state.deviceId, 0L);
        } else if (fold.mustWrite(state.deviceId, row, current.get(state.deviceId))) {
          updates.add(state);
          versions.put(state.deviceId, state.version + 1);
        } else {
          versions.put(state.deviceId, state.version);
        }
      }
      inserts.sort(java.util.Comparator.comparing(s -> s.deviceId));
      updates.sort(java.util.Comparator.comparing(s -> s.deviceId));
      if (!DeviceTable.insert(connection, inserts) || !DeviceTable.update(connection, updates)) {
        throw InventoryStoreException.conflict("Another writer changed a device of this batch");
      }
      return versions;
    }

    /**
     * Recomputes the profile of the devices whose anchors changed (or were not known) from the
     * anchors now stored, and writes the hash where it moved.
     */
    private void reassignProfiles(
        Set<DeviceId> devices,
        Map<DeviceId, DeviceState> next,
        Map<DeviceId, Long> versions,
        Map<String, TrustProfile> assigned)
        throws SQLException {
      if (devices.isEmpty()) {
        return;
      }
      Map<DeviceId, SortedSet<TrustProfile.Anchor>> anchors = readAnchors(devices);
      TreeMap<String, String> hashes = new TreeMap<>();
      List<Long> expected = new ArrayList<>();
      for (DeviceId device : devices) {
        DeviceState state = next.get(device);
        TrustProfile profile = state.profile(anchors.getOrDefault(device, new TreeSet<>()));
        String hash = profile.hash();
        assigned.put(hash, profile);
        if (!hash.equals(state.profileHash)) {
          state.profileHash = hash;
          hashes.put(device.value(), hash);
        }
      }
      if (hashes.isEmpty()) {
        return;
      }
      for (String device : hashes.keySet()) {
        expected.add(versions.get(new DeviceId(device)));
      }
      try (PreparedStatement update =
          connection.prepareStatement(
              "UPDATE device d SET profile_hash = v.profile_hash,"
                  + " row_version = d.row_version + 1, updated_at = now()"
                  + " FROM unnest(?::text[], ?::text[], ?::int8[])"
                  + "  AS v(device_id, profile_hash, read_version)"
                  + " WHERE d.device_id = v.device_id AND d.row_version = v.read_version")) {
        update.setArray(1, SqlArrays.text(connection, new ArrayList<>(hashes.keySet())));
        update.setArray(2, SqlArrays.text(connection, new ArrayList<>(hashes.values())));
        update.setArray(3, SqlArrays.longs(connection, expected));
        if (update.executeUpdate() != hashes.size()) {
          throw InventoryStoreException.conflict("Another writer changed a device of this batch");
        }
      }
    }

    /** The idempotency gate: returns the events whose id was never seen, in arrival order. */
    private List<EventRecord> admitNew(List<EventRecord> events) throws SQLException {
      Map<String, EventRecord> firstById = new LinkedHashMap<>();
      for (EventRecord event : events) {
        firstById.putIfAbsent(event.header().id(), event);
      }
      if (firstById.isEmpty()) {
        return List.of();
      }
      TreeMap<String, Instant> sorted = new TreeMap<>();
      firstById.forEach((id, event) -> sorted.put(id, event.header().time()));
      if (copyAllKeys(sorted)) {
        return new ArrayList<>(firstById.values());
      }
      Set<String> admitted = new HashSet<>();
      try (PreparedStatement gate =
          connection.prepareStatement(
              "INSERT INTO ingested_event (event_id, event_time)"
                  + " SELECT * FROM unnest(?::text[], ?::text[]::timestamptz[])"
                  + " ON CONFLICT DO NOTHING RETURNING event_id")) {
        gate.setArray(1, SqlArrays.text(connection, new ArrayList<>(sorted.keySet())));
        gate.setArray(2, SqlArrays.times(connection, new ArrayList<>(sorted.values())));
        try (ResultSet rows = gate.executeQuery()) {
          while (rows.next()) {
            admitted.add(rows.getString(1));
          }
        }
      }
      List<EventRecord> fresh = new ArrayList<>(admitted.size());
      for (EventRecord event : firstById.values()) {
        if (admitted.contains(event.header().id())) {
          fresh.add(event);
        }
      }
      return fresh;
    }

    /**
     * Appends every key with {@code COPY}, the cheapest way in, when none was seen before: the
     * usual case, since repeats come only from redelivery after a restart or rebalance and from
     * client retries. Returns false, having written nothing, when one was: the caller then sorts
     * them out one by one.
     */
    private boolean copyAllKeys(TreeMap<String, Instant> keys) throws SQLException {
      CopyRows rows = new CopyRows(keys.size());
      keys.forEach((id, time) -> rows.text(id).time(time).endRow());
      Savepoint beforeCopy = connection.setSavepoint();
      try {
        rows.copyInto(connection, "ingested_event (event_id, event_time)");
      } catch (SQLException e) {
        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw e;
        }
        connection.rollback(beforeCopy);
        return false;
      }
      connection.releaseSavepoint(beforeCopy);
      return true;
    }

    /**
     * Every new event goes to the history, appended with {@code COPY} (the gate made them unique).
     */
    private void insertHistory(List<EventRecord> fresh, Set<String> late) throws SQLException {
      CopyRows rows = new CopyRows(fresh.size());
      for (EventRecord record : fresh) {
        EventHeader header = record.header();
        rows.time(header.time())
            .text(header.id())
            .text(header.deviceId().value())
            .text(record.event().type().cloudEventType())
            .text(header.source())
            .text(record.channel().name())
            .bool(late.contains(header.id()))
            .text(record.dataJson().orElse(null))
            .endRow();
      }
      rows.copyInto(
          connection,
          "device_event (event_time, event_id, device_id, type, source, channel, late, data)");
    }

    /** One typed row per new sign-in attempt: the ground truth for backtesting. */
    private void insertSignIns(List<EventRecord> fresh) throws SQLException {
      CopyRows rows = new CopyRows(fresh.size());
      int count = 0;
      for (EventRecord record : fresh) {
        if (record.event() instanceof DeviceEvent.Registered registered) {
          rows.time(registered.header().time())
              .text(registered.header().id())
              .text(registered.header().deviceId().value())
              .text(registered.outcome().name())
              .text(registered.failureReason().orElse(null))
              .integer(registered.tlsAlert().orElse(null))
              .text(registered.pool())
              .text(registered.dialedFqdn())
              .text(registered.site())
              .text(registered.model().orElse(null))
              .text(registered.firmware().orElse(null))
              .text(registered.userAgent().orElse(null))
              .text(registered.vendor().orElse(null))
              .endRow();
          count++;
        }
      }
      if (count > 0) {
        rows.copyInto(
            connection,
            "sign_in_outcome (event_time, event_id, device_id, outcome, failure_reason,"
                + " tls_alert, pool, dialed_fqdn, site, model, firmware_build, user_agent, vendor)");
      }
    }

    private void insertCertificates(List<EventRecord> fresh) throws SQLException {
      TreeMap<String, CaCertificate> bySha = new TreeMap<>();
      for (EventRecord record : fresh) {
        for (HeldCertificate held : certificatesOf(record.event())) {
          bySha.putIfAbsent(held.certificate().sha256(), held.certificate());
        }
      }
      if (bySha.isEmpty()) {
        return;
      }
      List<CaCertificate> certificates = new ArrayList<>(bySha.values());
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO ca_certificate"
                  + " (sha256, der, subject, issuer, not_before, not_after, spki_sha256)"
                  + " SELECT * FROM unnest(?::text[], ?::bytea[], ?::text[], ?::text[],"
                  + "  ?::text[]::timestamptz[], ?::text[]::timestamptz[], ?::text[])"
                  + " ON CONFLICT (sha256) DO NOTHING")) {
        insert.setArray(1, SqlArrays.text(connection, map(certificates, CaCertificate::sha256)));
        insert.setArray(2, SqlArrays.bytes(connection, map(certificates, CaCertificate::der)));
        insert.setArray(3, SqlArrays.text(connection, map(certificates, CaCertificate::subject)));
        insert.setArray(4, SqlArrays.text(connection, map(certificates, CaCertificate::issuer)));
        insert.setArray(
            5, SqlArrays.times(connection, map(certificates, CaCertificate::notBefore)));
        insert.setArray(6, SqlArrays.times(connection, map(certificates, CaCertificate::notAfter)));
        insert.setArray(
            7, SqlArrays.text(connection, map(certificates, CaCertificate::spkiSha256)));
        insert.executeUpdate();
      }
    }

    /**
     * Resets drop downloaded anchors older than them; the newest full report replaces the REPORTED
     * anchors older than it; then the anchors events brought are added unless a newer reset or
     * report already superseded them. Returns the devices whose anchors changed.
     */
    private Set<DeviceId> applyAnchors(List<EventRecord> fresh) throws SQLException {
      Map<DeviceId, Instant> resets = new TreeMap<>();
      Map<DeviceId, Instant> reports = new TreeMap<>();
      for (EventRecord record : fresh) {
        DeviceEvent event = record.event();
        Instant at = event.header().time();
        if (event instanceof DeviceEvent.Reset) {
          resets.merge(event.header().deviceId(), at, (a, b) -> a.isAfter(b) ? a : b);
        } else if (event instanceof DeviceEvent.TrustStoreReported) {
          reports.merge(event.header().deviceId(), at, (a, b) -> a.isAfter(b) ? a : b);
        }
      }
      Set<DeviceId> changed = new HashSet<>();
      if (!resets.isEmpty()) {
        changed.addAll(
            deleteAnchors(
                "DELETE FROM device_anchor a"
                    + " USING unnest(?::text[], ?::text[]::timestamptz[]) AS r(device_id, at)"
                    + " WHERE a.device_id = r.device_id AND a.provenance <> 'FIRMWARE'"
                    + "  AND a.event_time < r.at RETURNING a.device_id",
                resets));
      }
      if (!reports.isEmpty()) {
        changed.addAll(
            deleteAnchors(
                "DELETE FROM device_anchor a"
                    + " USING unnest(?::text[], ?::text[]::timestamptz[]) AS r(device_id, at),"
                    + "  device d"
                    + " WHERE a.device_id = r.device_id AND d.device_id = r.device_id"
                    + "  AND r.at >= d.reported_at AND a.provenance = 'REPORTED'"
                    + "  AND a.event_time < r.at RETURNING a.device_id",
                reports));
      }
      changed.addAll(addAnchors(fresh, reports));
      return changed;
    }

    private Set<DeviceId> deleteAnchors(String sql, Map<DeviceId, Instant> times)
        throws SQLException {
      Set<DeviceId> changed = new HashSet<>();
      try (PreparedStatement delete = connection.prepareStatement(sql)) {
        delete.setArray(
            1, SqlArrays.text(connection, times.keySet().stream().map(DeviceId::value).toList()));
        delete.setArray(2, SqlArrays.times(connection, new ArrayList<>(times.values())));
        try (ResultSet rows = delete.executeQuery()) {
          while (rows.next()) {
            changed.add(new DeviceId(rows.getString(1)));
          }
        }
      }
      return changed;
    }

    private record AnchorKey(String deviceId, String sha256, AnchorProvenance provenance)
        implements Comparable<AnchorKey> {
      @Override
      public int compareTo(AnchorKey other) {
        int byDevice = deviceId.compareTo(other.deviceId);
        if (byDevice != 0) {
          return byDevice;
        }
        int bySha = sha256.compareTo(other.sha256);
        return bySha != 0 ? bySha : provenance.name().compareTo(other.provenance.name());
      }
    }

    private record AnchorAdd(String eventId, Instant at, boolean fromReport) {}

    private Set<DeviceId> addAnchors(List<EventRecord> fresh, Map<DeviceId, Instant> reports)
        throws SQLException {
      TreeMap<AnchorKey, AnchorAdd> adds = new TreeMap<>();
      for (EventRecord record : fresh) {
        DeviceEvent event = record.event();
        EventHeader header = event.header();
        boolean fromReport = event instanceof DeviceEvent.TrustStoreReported;
        if (fromReport && !header.time().equals(reports.get(header.deviceId()))) {
          continue; // a newer report in this batch replaces this one whole
        }
        for (HeldCertificate held : certificatesOf(event)) {
          AnchorKey key =
              new AnchorKey(
                  header.deviceId().value(), held.certificate().sha256(), held.provenance());
          AnchorAdd candidate = new AnchorAdd(header.id(), header.time(), fromReport);
          adds.merge(key, candidate, (a, b) -> b.at().isBefore(a.at()) ? a : b);
        }
      }
      Set<DeviceId> changed = new HashSet<>();
      if (adds.isEmpty()) {
        return changed;
      }
      List<AnchorKey> keys = new ArrayList<>(adds.keySet());
      List<AnchorAdd> values = new ArrayList<>(adds.values());
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO device_anchor AS a (device_id, sha256, provenance, event_id, event_time)"
                  + " SELECT v.device_id, v.sha256, v.provenance, v.event_id, v.event_time"
                  + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[],"
                  + "  ?::text[]::timestamptz[], ?::boolean[])"
                  + "  AS v(device_id, sha256, provenance, event_id, event_time, from_report)"
                  + " JOIN device d ON d.device_id = v.device_id"
                  + " WHERE (v.provenance = 'FIRMWARE'"
                  + "        OR v.event_time >= coalesce(d.anchors_reset_at, '-infinity'))"
                  + "   AND (NOT v.from_report OR v.event_time >= d.reported_at)"
                  + " ON CONFLICT (device_id, sha256, provenance) DO UPDATE"
                  + "  SET event_id = excluded.event_id, event_time = excluded.event_time"
                  + "  WHERE excluded.event_time > a.event_time"
                  + " RETURNING a.device_id, (xmax = 0) AS inserted")) {
        insert.setArray(1, SqlArrays.text(connection, map(keys, AnchorKey::deviceId)));
        insert.setArray(2, SqlArrays.text(connection, map(keys, AnchorKey::sha256)));
        insert.setArray(3, SqlArrays.text(connection, map(keys, k -> k.provenance().name())));
        insert.setArray(4, SqlArrays.text(connection, map(values, AnchorAdd::eventId)));
        insert.setArray(5, SqlArrays.times(connection, map(values, AnchorAdd::at)));
        insert.setArray(
            6, connection.createArrayOf("bool", map(values, AnchorAdd::fromReport).toArray()));
        try (ResultSet rows = insert.executeQuery()) {
          while (rows.next()) {
            if (rows.getBoolean(2)) {
              changed.add(new DeviceId(rows.getString(1)));
            }
          }
        }
      }
      return changed;
    }

    private void upsertProvisioning(List<EventRecord> fresh) throws SQLException {
      record Key(String deviceId, ProvisioningMethod method) {}
      record Use(Instant first, Instant last, String lastEventId, String lastSite, int events) {}
      Map<Key, Use> uses =
          new TreeMap<>(
              java.util.Comparator.comparing(Key::deviceId).thenComparing(k -> k.method().name()));
      for (EventRecord record : fresh) {
        if (record.event() instanceof DeviceEvent.Provisioned provisioned) {
          EventHeader header = provisioned.header();
          Use use = new Use(header.time(), header.time(), header.id(), provisioned.site(), 1);
          uses.merge(
              new Key(header.deviceId().value(), provisioned.method()),
              use,
              (a, b) ->
                  new Use(
                      a.first().isBefore(b.first()) ? a.first() : b.first(),
                      b.last().isBefore(a.last()) ? a.last() : b.last(),
                      b.last().isBefore(a.last()) ? a.lastEventId() : b.lastEventId(),
                      b.last().isBefore(a.last()) ? a.lastSite() : b.lastSite(),
                      a.events() + b.events()));
        }
      }
      if (uses.isEmpty()) {
        return;
      }
      List<Key> keys = new ArrayList<>(uses.keySet());
      List<Use> values = new ArrayList<>(uses.values());
      try (PreparedStatement upsert =
          connection.prepareStatement(
              "INSERT INTO device_provisioning AS p"
                  + " (device_id, method, first_at, last_at, last_event_id, last_site, events)"
                  + " SELECT * FROM unnest(?::text[], ?::text[], ?::text[]::timestamptz[],"
                  + "  ?::text[]::timestamptz[], ?::text[], ?::text[], ?::int4[])"
                  + " ON CONFLICT (device_id, method) DO UPDATE SET"
                  + "  first_at = least(p.first_at, excluded.first_at),"
                  + "  last_at = greatest(p.last_at, excluded.last_at),"
                  + "  last_event_id = CASE WHEN excluded.last_at >= p.last_at"
                  + "   THEN excluded.last_event_id ELSE p.last_event_id END,"
                  + "  last_site = CASE WHEN excluded.last_at >= p.last_at"
                  + "   THEN excluded.last_site ELSE p.last_site END,"
                  + "  events = p.events + excluded.events")) {
        upsert.setArray(1, SqlArrays.text(connection, map(keys, Key::deviceId)));
        upsert.setArray(2, SqlArrays.text(connection, map(keys, k -> k.method().name())));
        upsert.setArray(3, SqlArrays.times(connection, map(values, Use::first)));
        upsert.setArray(4, SqlArrays.times(connection, map(values, Use::last)));
        upsert.setArray(5, SqlArrays.text(connection, map(values, Use::lastEventId)));
        upsert.setArray(6, SqlArrays.text(connection, map(values, Use::lastSite)));
        upsert.setArray(7, SqlArrays.integers(connection, map(values, Use::events)));
        upsert.executeUpdate();
      }
    }

    /** The profiles these hashes name, from the cache or else from the table. */
    private Map<String, TrustProfile> resolveProfiles(Set<String> hashes) throws SQLException {
      Map<String, TrustProfile> resolved = new HashMap<>();
      List<String> missing = new ArrayList<>();
      for (String hash : hashes) {
        Optional<TrustProfile> cached = profiles.find(hash);
        if (cached.isPresent()) {
          resolved.put(hash, cached.get());
        } else {
          missing.add(hash);
        }
      }
      if (missing.isEmpty()) {
        return resolved;
      }
      try (PreparedStatement select =
          connection.prepareStatement(
              "SELECT profile_hash, canonical FROM trust_profile"
                  + " WHERE profile_hash = ANY(?::text[])")) {
        select.setArray(1, SqlArrays.text(connection, missing));
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            String hash = rows.getString(1);
            Optional<TrustProfile> profile =
                TrustProfile.fromCanonicalText(rows.getString(2))
                    .filter(p -> p.hash().equals(hash));
            if (profile.isPresent()) {
              resolved.put(hash, profile.get());
              profiles.remember(hash, profile.get());
            }
          }
        }
      }
      return resolved;
    }

    private Map<DeviceId, SortedSet<TrustProfile.Anchor>> readAnchors(Set<DeviceId> ids)
        throws SQLException {
      Map<DeviceId, SortedSet<TrustProfile.Anchor>> anchors = new HashMap<>();
      if (ids.isEmpty()) {
        return anchors;
      }
      try (PreparedStatement select =
          connection.prepareStatement(
              "SELECT device_id, sha256, provenance FROM device_anchor"
                  + " WHERE device_id = ANY(?::text[])")) {
        select.setArray(1, SqlArrays.text(connection, map(new ArrayList<>(ids), DeviceId::value)));
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            anchors
                .computeIfAbsent(new DeviceId(rows.getString(1)), k -> new TreeSet<>())
                .add(
                    new TrustProfile.Anchor(
                        rows.getString(2), AnchorProvenance.valueOf(rows.getString(3))));
          }
        }
      }
      return anchors;
    }

    /** Writes the profile rows not known to be committed already; the FK is checked at commit. */
    private void insertProfiles(Map<String, TrustProfile> assigned) throws SQLException {
      TreeMap<String, TrustProfile> toWrite = new TreeMap<>();
      assigned.forEach(
          (hash, profile) -> {
            profiles.remember(hash, profile);
            if (!profiles.persisted(hash) && !persistedNow.contains(hash)) {
              toWrite.put(hash, profile);
            }
          });
      if (toWrite.isEmpty()) {
        return;
      }
      List<TrustProfile> values = new ArrayList<>(toWrite.values());
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO trust_profile (profile_hash, canonical, model, firmware_build,"
                  + " provisioning_method, site, anchors)"
                  + " SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
                  + "  ?::text[], ?::text[]::jsonb[])"
                  + " ON CONFLICT (profile_hash) DO NOTHING")) {
        insert.setArray(1, SqlArrays.text(connection, new ArrayList<>(toWrite.keySet())));
        insert.setArray(2, SqlArrays.text(connection, map(values, TrustProfile::canonicalText)));
        insert.setArray(3, SqlArrays.text(connection, map(values, p -> p.model().orElse(null))));
        insert.setArray(
            4, SqlArrays.text(connection, map(values, p -> p.firmwareBuild().orElse(null))));
        insert.setArray(
            5,
            SqlArrays.text(
                connection, map(values, p -> p.provisioningMethod().map(Enum::name).orElse(null))));
        insert.setArray(6, SqlArrays.text(connection, map(values, p -> p.site().orElse(null))));
        insert.setArray(7, SqlArrays.text(connection, map(values, InventoryWriter::anchorsJson)));
        insert.executeUpdate();
      }
      persistedNow.addAll(toWrite.keySet());
    }

    private void insertRejections(List<Rejection> rejections) throws SQLException {
      if (rejections.isEmpty()) {
        return;
      }
      int n = rejections.size();
      List<String> topics = new ArrayList<>(n);
      List<Integer> partitionsOf = new ArrayList<>(n);
      List<Long> offsets = new ArrayList<>(n);
      List<String> payloads = new ArrayList<>(n);
      List<Boolean> truncated = new ArrayList<>(n);
      for (Rejection rejection : rejections) {
        topics.add(rejection.coordinates().map(Rejection.KafkaCoordinates::topic).orElse(null));
        partitionsOf.add(
            rejection.coordinates().map(Rejection.KafkaCoordinates::partition).orElse(null));
        offsets.add(rejection.coordinates().map(Rejection.KafkaCoordinates::offset).orElse(null));
        String payload = storable(rejection.payload());
        boolean cut = payload.length() > MAX_STORED_PAYLOAD_CHARS;
        payloads.add(cut ? payload.substring(0, MAX_STORED_PAYLOAD_CHARS) : payload);
        truncated.add(cut);
      }
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO rejected_event (id, channel, topic, kafka_partition, kafka_offset,"
                  + " event_id, event_type, subject, reason, message, field, payload,"
                  + " payload_truncated, headers)"
                  + " SELECT * FROM unnest(?::text[]::uuid[], ?::text[], ?::text[], ?::int4[],"
                  + "  ?::int8[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
                  + "  ?::text[], ?::boolean[], ?::text[]::jsonb[])"
                  // A Kafka record's coordinates or an HTTP rejection's derived id: seen before.
                  + " ON CONFLICT DO NOTHING")) {
        insert.setArray(1, SqlArrays.text(connection, map(rejections, r -> r.id().toString())));
        insert.setArray(2, SqlArrays.text(connection, map(rejections, r -> r.channel().name())));
        insert.setArray(3, SqlArrays.text(connection, topics));
        insert.setArray(4, SqlArrays.integers(connection, partitionsOf));
        insert.setArray(5, SqlArrays.longs(connection, offsets));
        insert.setArray(6, SqlArrays.text(connection, map(rejections, r -> storable(r.eventId()))));
        insert.setArray(
            7, SqlArrays.text(connection, map(rejections, r -> storable(r.eventType()))));
        insert.setArray(8, SqlArrays.text(connection, map(rejections, r -> storable(r.subject()))));
        insert.setArray(9, SqlArrays.text(connection, map(rejections, r -> r.reason().name())));
        insert.setArray(
            10, SqlArrays.text(connection, map(rejections, r -> storable(r.message()))));
        insert.setArray(11, SqlArrays.text(connection, map(rejections, r -> storable(r.field()))));
        insert.setArray(12, SqlArrays.text(connection, payloads));
        insert.setArray(13, connection.createArrayOf("bool", truncated.toArray()));
        insert.setArray(
            14, SqlArrays.text(connection, map(rejections, r -> headersJson(r.headers()))));
        insert.executeUpdate();
      }
    }
  }

  static List<HeldCertificate> certificatesOf(DeviceEvent event) {
    if (event instanceof DeviceEvent.Provisioned provisioned) {
      return provisioned.certificates();
    }
    if (event instanceof DeviceEvent.TrustStoreReported reported) {
      return reported.certificates();
    }
    return List.of();
  }

  private static <T, R> List<R> map(List<T> values, java.util.function.Function<T, R> mapper) {
    List<R> mapped = new ArrayList<>(values.size());
    for (T value : values) {
      mapped.add(mapper.apply(value));
    }
    return mapped;
  }

  static String anchorsJson(TrustProfile profile) {
    StringBuilder json = new StringBuilder("[");
    boolean first = true;
    for (TrustProfile.Anchor anchor : profile.anchors()) {
      if (!first) {
        json.append(',');
      }
      json.append("{\"sha256\":\"")
          .append(anchor.sha256())
          .append("\",\"provenance\":\"")
          .append(anchor.provenance().name())
          .append("\"}");
      first = false;
    }
    return json.append(']').toString();
  }

  /** PostgreSQL text cannot hold NUL; whatever a producer sent is kept otherwise. */
  static String storable(String text) {
    return text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
  }

  private static String storable(Optional<String> text) {
    return text.map(InventoryWriter::storable).orElse(null);
  }

  static String headersJson(Map<String, String> headers) {
    StringBuilder json = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, String> header : new TreeMap<>(headers).entrySet()) {
      if (!first) {
        json.append(',');
      }
      appendJsonString(json, header.getKey()).append(':');
      appendJsonString(json, header.getValue());
      first = false;
    }
    return json.append('}').toString();
  }

  static StringBuilder appendJsonString(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\0' -> json.append("\\ufffd");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"');
  }
}
