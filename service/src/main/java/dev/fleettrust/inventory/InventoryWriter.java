package dev.fleettrust.inventory;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Writes a batch of accepted events and rejections into the inventory in one transaction.
 *
 * <p>Every statement is one {@code INSERT … SELECT FROM unnest(…)} (or its {@code DELETE} and
 * {@code UPDATE} cousins) over the whole batch, so the cost is a handful of round trips per batch,
 * not per event. The order is fixed (idempotency gate, history, sign-ins, devices, certificates,
 * anchors, provisioning, profiles, rejections) and each statement takes its rows sorted by key, so
 * two batches touching the same devices wait for each other instead of deadlocking.
 *
 * <ul>
 *   <li>Idempotency: an event id already in {@code ingested_event} changes nothing; neither does an
 *       id repeated within the batch.
 *   <li>Ordering: each part of a device's state is set by the event with the newest time for that
 *       part ({@code fleettrust_newer}, migration V2), whatever order events arrive in; a late
 *       event lands in the history, flagged {@code late}, and moves nothing older than what is
 *       stored.
 *   <li>The device's trust profile hash is recomputed in the same transaction whenever its model,
 *       firmware, site, provisioning method or anchors change.
 * </ul>
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
    try {
      partitions.ensureFor(events.stream().map(e -> e.header().time()).toList());
      Set<String> persistedNow = new HashSet<>();
      WriteResult result =
          transactions.executeWrite(
              status -> new Batch(status.getConnection(), persistedNow).write(events, rejections));
      profiles.markPersisted(persistedNow);
      return result;
    } catch (Exception e) {
      // Exception, not RuntimeException: the transaction template rethrows SQLExceptions as they
      // are.
      InventoryStoreException failure = InventoryStoreException.classify(e);
      if (failure.retryable() && failure.getMessage().contains("no partition of relation")) {
        partitions.forget();
      }
      if (failure.getMessage().contains("device_profile_hash_fkey")) {
        // A profile row this replica believed committed is not there: trust the database.
        profiles.forgetPersisted();
        throw new InventoryStoreException(failure.getMessage(), e, true);
      }
      throw failure;
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
        late.addAll(insertHistory(fresh));
        insertSignIns(fresh);
        Map<DeviceId, DeviceDelta> deltas = fold(fresh);
        Map<DeviceId, DeviceRow> changed = upsertDevices(deltas.values());
        insertCertificates(fresh);
        Set<DeviceId> anchorsChanged = applyAnchors(fresh, deltas);
        upsertProvisioning(fresh);
        updateProfiles(changed, anchorsChanged);
      }
      insertRejections(rejections);
      Set<String> ingested = new HashSet<>();
      fresh.forEach(e -> ingested.add(e.header().id()));
      return new WriteResult(ingested, late);
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
     * Every new event goes to the history. It is late when older than the newest event already
     * applied to its device, stored or earlier in this batch.
     */
    private Set<String> insertHistory(List<EventRecord> fresh) throws SQLException {
      int n = fresh.size();
      List<Instant> times = new ArrayList<>(n);
      List<String> ids = new ArrayList<>(n);
      List<String> devices = new ArrayList<>(n);
      List<String> types = new ArrayList<>(n);
      List<String> sources = new ArrayList<>(n);
      List<String> channels = new ArrayList<>(n);
      List<Instant> newestBefore = new ArrayList<>(n);
      List<String> data = new ArrayList<>(n);
      Map<DeviceId, Instant> newestSoFar = new HashMap<>();
      for (EventRecord record : fresh) {
        EventHeader header = record.header();
        times.add(header.time());
        ids.add(header.id());
        devices.add(header.deviceId().value());
        types.add(record.event().type().cloudEventType());
        sources.add(header.source());
        channels.add(record.channel().name());
        Instant newest = newestSoFar.get(header.deviceId());
        newestBefore.add(newest);
        if (newest == null || header.time().isAfter(newest)) {
          newestSoFar.put(header.deviceId(), header.time());
        }
        data.add(record.dataJson().orElse(null));
      }
      Set<String> late = new HashSet<>();
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO device_event"
                  + " (event_time, event_id, device_id, type, source, channel, late, data)"
                  + " SELECT v.event_time, v.event_id, v.device_id, v.type, v.source, v.channel,"
                  + "  coalesce(v.event_time < greatest(d.state_time, v.newest_before), false),"
                  + "  v.data::jsonb"
                  + " FROM unnest(?::text[]::timestamptz[], ?::text[], ?::text[], ?::text[],"
                  + "  ?::text[], ?::text[], ?::text[]::timestamptz[], ?::text[])"
                  + "  AS v(event_time, event_id, device_id, type, source, channel,"
                  + "       newest_before, data)"
                  + " LEFT JOIN device d ON d.device_id = v.device_id"
                  + " RETURNING event_id, late")) {
        insert.setArray(1, SqlArrays.times(connection, times));
        insert.setArray(2, SqlArrays.text(connection, ids));
        insert.setArray(3, SqlArrays.text(connection, devices));
        insert.setArray(4, SqlArrays.text(connection, types));
        insert.setArray(5, SqlArrays.text(connection, sources));
        insert.setArray(6, SqlArrays.text(connection, channels));
        insert.setArray(7, SqlArrays.times(connection, newestBefore));
        insert.setArray(8, SqlArrays.text(connection, data));
        try (ResultSet rows = insert.executeQuery()) {
          while (rows.next()) {
            if (rows.getBoolean(2)) {
              late.add(rows.getString(1));
            }
          }
        }
      }
      return late;
    }

    private void insertSignIns(List<EventRecord> fresh) throws SQLException {
      List<DeviceEvent.Registered> signIns = new ArrayList<>();
      for (EventRecord record : fresh) {
        if (record.event() instanceof DeviceEvent.Registered registered) {
          signIns.add(registered);
        }
      }
      if (signIns.isEmpty()) {
        return;
      }
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO sign_in_outcome (event_time, event_id, device_id, outcome,"
                  + " failure_reason, tls_alert, pool, dialed_fqdn, site, model, firmware_build)"
                  + " SELECT * FROM unnest(?::text[]::timestamptz[], ?::text[], ?::text[],"
                  + "  ?::text[], ?::text[], ?::int4[], ?::text[], ?::text[], ?::text[], ?::text[],"
                  + "  ?::text[])")) {
        insert.setArray(1, SqlArrays.times(connection, map(signIns, r -> r.header().time())));
        insert.setArray(2, SqlArrays.text(connection, map(signIns, r -> r.header().id())));
        insert.setArray(
            3, SqlArrays.text(connection, map(signIns, r -> r.header().deviceId().value())));
        insert.setArray(4, SqlArrays.text(connection, map(signIns, r -> r.outcome().name())));
        insert.setArray(
            5, SqlArrays.text(connection, map(signIns, r -> r.failureReason().orElse(null))));
        insert.setArray(
            6, SqlArrays.integers(connection, map(signIns, r -> r.tlsAlert().orElse(null))));
        insert.setArray(7, SqlArrays.text(connection, map(signIns, DeviceEvent.Registered::pool)));
        insert.setArray(
            8, SqlArrays.text(connection, map(signIns, DeviceEvent.Registered::dialedFqdn)));
        insert.setArray(9, SqlArrays.text(connection, map(signIns, DeviceEvent.Registered::site)));
        insert.setArray(10, SqlArrays.text(connection, map(signIns, r -> r.model().orElse(null))));
        insert.setArray(
            11, SqlArrays.text(connection, map(signIns, r -> r.firmware().orElse(null))));
        insert.executeUpdate();
      }
    }

    private Map<DeviceId, DeviceDelta> fold(List<EventRecord> fresh) {
      Map<DeviceId, DeviceDelta> deltas = new TreeMap<>();
      for (EventRecord record : fresh) {
        deltas.computeIfAbsent(record.header().deviceId(), DeviceDelta::new).apply(record.event());
      }
      return deltas;
    }

    /**
     * Upserts one row per device, sorted by device ID. A new device gets the profile hash its batch
     * values give it; an existing one keeps its hash here and {@link #updateProfiles} decides.
     * Returns the rows that changed, with their values after the change.
     */
    private Map<DeviceId, DeviceRow> upsertDevices(Collection<DeviceDelta> deltas)
        throws SQLException {
      int n = deltas.size();
      List<String> ids = new ArrayList<>(n);
      List<String> vendors = new ArrayList<>(n);
      List<Instant> vendorAt = new ArrayList<>(n);
      List<String> models = new ArrayList<>(n);
      List<Instant> modelAt = new ArrayList<>(n);
      List<String> firmware = new ArrayList<>(n);
      List<Instant> firmwareAt = new ArrayList<>(n);
      List<String> agents = new ArrayList<>(n);
      List<Instant> agentAt = new ArrayList<>(n);
      List<String> sites = new ArrayList<>(n);
      List<Instant> siteAt = new ArrayList<>(n);
      List<String> pools = new ArrayList<>(n);
      List<String> dialed = new ArrayList<>(n);
      List<String> outcomes = new ArrayList<>(n);
      List<String> reasons = new ArrayList<>(n);
      List<Integer> alerts = new ArrayList<>(n);
      List<String> signInSites = new ArrayList<>(n);
      List<String> signInEvents = new ArrayList<>(n);
      List<Instant> registeredAt = new ArrayList<>(n);
      List<String> methods = new ArrayList<>(n);
      List<Instant> provisionedAt = new ArrayList<>(n);
      List<Instant> retiredAt = new ArrayList<>(n);
      List<Instant> resetAt = new ArrayList<>(n);
      List<Instant> reportedAt = new ArrayList<>(n);
      List<Instant> stateTimes = new ArrayList<>(n);
      List<Instant> firstSeen = new ArrayList<>(n);
      List<String> hashes = new ArrayList<>(n);
      for (DeviceDelta delta : deltas) {
        ids.add(delta.deviceId.value());
        addTimed(delta.vendor, vendors, vendorAt);
        addTimed(delta.model, models, modelAt);
        addTimed(delta.firmware, firmware, firmwareAt);
        addTimed(delta.userAgent, agents, agentAt);
        addTimed(delta.site, sites, siteAt);
        DeviceDelta.SignIn signIn = delta.signIn;
        pools.add(signIn == null ? null : signIn.pool());
        dialed.add(signIn == null ? null : signIn.dialedFqdn());
        outcomes.add(signIn == null ? null : signIn.outcome().name());
        reasons.add(signIn == null ? null : signIn.failureReason());
        alerts.add(signIn == null ? null : signIn.tlsAlert());
        signInSites.add(signIn == null ? null : signIn.site());
        signInEvents.add(signIn == null ? null : signIn.eventId());
        registeredAt.add(signIn == null ? null : signIn.at());
        methods.add(
            delta.provisioningMethod == null ? null : delta.provisioningMethod.value().name());
        provisionedAt.add(delta.provisioningMethod == null ? null : delta.provisioningMethod.at());
        retiredAt.add(delta.retiredAt);
        resetAt.add(delta.anchorsResetAt);
        reportedAt.add(delta.reportedAt);
        stateTimes.add(delta.stateTime);
        firstSeen.add(delta.firstSeen);
        hashes.add(delta.profileIfNew().hash());
      }
      Map<DeviceId, DeviceRow> changed = new HashMap<>();
      try (PreparedStatement upsert = connection.prepareStatement(DeviceUpsert.SQL)) {
        int i = 1;
        upsert.setArray(i++, SqlArrays.text(connection, ids));
        upsert.setArray(i++, SqlArrays.text(connection, vendors));
        upsert.setArray(i++, SqlArrays.times(connection, vendorAt));
        upsert.setArray(i++, SqlArrays.text(connection, models));
        upsert.setArray(i++, SqlArrays.times(connection, modelAt));
        upsert.setArray(i++, SqlArrays.text(connection, firmware));
        upsert.setArray(i++, SqlArrays.times(connection, firmwareAt));
        upsert.setArray(i++, SqlArrays.text(connection, agents));
        upsert.setArray(i++, SqlArrays.times(connection, agentAt));
        upsert.setArray(i++, SqlArrays.text(connection, sites));
        upsert.setArray(i++, SqlArrays.times(connection, siteAt));
        upsert.setArray(i++, SqlArrays.text(connection, pools));
        upsert.setArray(i++, SqlArrays.text(connection, dialed));
        upsert.setArray(i++, SqlArrays.text(connection, outcomes));
        upsert.setArray(i++, SqlArrays.text(connection, reasons));
        upsert.setArray(i++, SqlArrays.integers(connection, alerts));
        upsert.setArray(i++, SqlArrays.text(connection, signInSites));
        upsert.setArray(i++, SqlArrays.text(connection, signInEvents));
        upsert.setArray(i++, SqlArrays.times(connection, registeredAt));
        upsert.setArray(i++, SqlArrays.text(connection, methods));
        upsert.setArray(i++, SqlArrays.times(connection, provisionedAt));
        upsert.setArray(i++, SqlArrays.times(connection, retiredAt));
        upsert.setArray(i++, SqlArrays.times(connection, resetAt));
        upsert.setArray(i++, SqlArrays.times(connection, reportedAt));
        upsert.setArray(i++, SqlArrays.times(connection, stateTimes));
        upsert.setArray(i++, SqlArrays.times(connection, firstSeen));
        upsert.setArray(i, SqlArrays.text(connection, hashes));
        try (ResultSet rows = upsert.executeQuery()) {
          while (rows.next()) {
            DeviceRow row = DeviceRow.read(rows, 3);
            changed.put(row.deviceId(), row.withInserted(rows.getBoolean(2)));
          }
        }
      }
      return changed;
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
    private Set<DeviceId> applyAnchors(List<EventRecord> fresh, Map<DeviceId, DeviceDelta> deltas)
        throws SQLException {
      Set<DeviceId> changed = new HashSet<>();
      List<DeviceDelta> resets = new ArrayList<>();
      List<DeviceDelta> reports = new ArrayList<>();
      for (DeviceDelta delta : deltas.values()) {
        if (delta.anchorsResetAt != null) {
          resets.add(delta);
        }
        if (delta.reportedAt != null) {
          reports.add(delta);
        }
      }
      if (!resets.isEmpty()) {
        changed.addAll(
            deleteAnchors(
                "DELETE FROM device_anchor a"
                    + " USING unnest(?::text[], ?::text[]::timestamptz[]) AS r(device_id, at)"
                    + " WHERE a.device_id = r.device_id AND a.provenance <> 'FIRMWARE'"
                    + "  AND a.event_time < r.at RETURNING a.device_id",
                resets,
                d -> d.anchorsResetAt));
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
                reports,
                d -> d.reportedAt));
      }
      changed.addAll(addAnchors(fresh, deltas));
      return changed;
    }

    private Set<DeviceId> deleteAnchors(
        String sql, List<DeviceDelta> deltas, java.util.function.Function<DeviceDelta, Instant> at)
        throws SQLException {
      Set<DeviceId> changed = new HashSet<>();
      try (PreparedStatement delete = connection.prepareStatement(sql)) {
        delete.setArray(1, SqlArrays.text(connection, map(deltas, d -> d.deviceId.value())));
        delete.setArray(2, SqlArrays.times(connection, map(deltas, at)));
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

    private Set<DeviceId> addAnchors(List<EventRecord> fresh, Map<DeviceId, DeviceDelta> deltas)
        throws SQLException {
      TreeMap<AnchorKey, AnchorAdd> adds = new TreeMap<>();
      for (EventRecord record : fresh) {
        DeviceEvent event = record.event();
        EventHeader header = event.header();
        boolean fromReport = event instanceof DeviceEvent.TrustStoreReported;
        if (fromReport && !header.time().equals(deltas.get(header.deviceId()).reportedAt)) {
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

    /**
     * Recomputes the profile of every device whose profile inputs may have moved. A device whose
     * anchors did not change keeps the anchors of its current profile, read from the cache, so the
     * common case (a sign-in that moves only times) costs no query.
     */
    private void updateProfiles(Map<DeviceId, DeviceRow> changed, Set<DeviceId> anchorsChanged)
        throws SQLException {
      Set<DeviceId> needAnchors = new TreeSet<>(anchorsChanged);
      Map<String, TrustProfile> current =
          resolveProfiles(
              changed.values().stream()
                  .filter(r -> !r.inserted() && r.profileHash() != null)
                  .map(DeviceRow::profileHash)
                  .collect(Collectors.toSet()));
      for (DeviceRow row : changed.values()) {
        if (!row.inserted()
            && (row.profileHash() == null || !current.containsKey(row.profileHash()))) {
          needAnchors.add(row.deviceId());
        }
      }
      Map<DeviceId, DeviceRow> rows = new HashMap<>(changed);
      List<DeviceId> unread = new ArrayList<>();
      for (DeviceId id : anchorsChanged) {
        if (!rows.containsKey(id)) {
          unread.add(id);
        }
      }
      rows.putAll(readDevices(unread));
      Map<DeviceId, SortedSet<TrustProfile.Anchor>> anchors = readAnchors(needAnchors);

      TreeMap<String, String> updates = new TreeMap<>();
      Map<String, TrustProfile> assigned = new HashMap<>();
      for (DeviceRow row : rows.values()) {
        SortedSet<TrustProfile.Anchor> held;
        if (needAnchors.contains(row.deviceId())) {
          held = anchors.getOrDefault(row.deviceId(), new TreeSet<>());
        } else if (row.inserted()) {
          held = new TreeSet<>();
        } else {
          held = current.get(row.profileHash()).anchors();
        }
        TrustProfile profile = row.profile(held);
        String hash = profile.hash();
        if (row.inserted() || !hash.equals(row.profileHash())) {
          // A new device's row already carries a hash; its profile row must exist by commit.
          assigned.put(hash, profile);
        }
        if (!hash.equals(row.profileHash())) {
          updates.put(row.deviceId().value(), hash);
        }
      }
      insertProfiles(assigned);
      if (updates.isEmpty()) {
        return;
      }
      try (PreparedStatement update =
          connection.prepareStatement(
              "UPDATE device d SET profile_hash = v.profile_hash, updated_at = now()"
                  + " FROM unnest(?::text[], ?::text[]) AS v(device_id, profile_hash)"
                  + " WHERE d.device_id = v.device_id"
                  + "  AND d.profile_hash IS DISTINCT FROM v.profile_hash")) {
        update.setArray(1, SqlArrays.text(connection, new ArrayList<>(updates.keySet())));
        update.setArray(2, SqlArrays.text(connection, new ArrayList<>(updates.values())));
        update.executeUpdate();
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

    private Map<DeviceId, DeviceRow> readDevices(List<DeviceId> ids) throws SQLException {
      Map<DeviceId, DeviceRow> rows = new HashMap<>();
      if (ids.isEmpty()) {
        return rows;
      }
      try (PreparedStatement select =
          connection.prepareStatement(
              "SELECT device_id, model, firmware_build, site, provisioning_method, profile_hash"
                  + " FROM device WHERE device_id = ANY(?::text[])")) {
        select.setArray(1, SqlArrays.text(connection, map(ids, DeviceId::value)));
        try (ResultSet result = select.executeQuery()) {
          while (result.next()) {
            DeviceRow row = DeviceRow.read(result, 2);
            rows.put(row.deviceId(), row);
          }
        }
      }
      return rows;
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
                  + " ON CONFLICT (topic, kafka_partition, kafka_offset) WHERE channel = 'KAFKA'"
                  + " DO NOTHING")) {
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

  /** The columns of a device row that make up its profile. */
  record DeviceRow(
      DeviceId deviceId,
      boolean inserted,
      String model,
      String firmwareBuild,
      String site,
      String provisioningMethod,
      String profileHash) {

    static DeviceRow read(ResultSet rows, int firstColumnAfterId) throws SQLException {
      int c = firstColumnAfterId;
      return new DeviceRow(
          new DeviceId(rows.getString(1)),
          false,
          rows.getString(c),
          rows.getString(c + 1),
          rows.getString(c + 2),
          rows.getString(c + 3),
          rows.getString(c + 4));
    }

    DeviceRow withInserted(boolean wasInserted) {
      return new DeviceRow(
          deviceId, wasInserted, model, firmwareBuild, site, provisioningMethod, profileHash);
    }

    TrustProfile profile(SortedSet<TrustProfile.Anchor> anchors) {
      return new TrustProfile(
          Optional.ofNullable(model),
          Optional.ofNullable(firmwareBuild),
          Optional.ofNullable(provisioningMethod).map(ProvisioningMethod::valueOf),
          Optional.ofNullable(site),
          anchors);
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

  private static void addTimed(
      DeviceDelta.Timed<String> timed, List<String> values, List<Instant> times) {
    values.add(timed == null ? null : timed.value());
    times.add(timed == null ? null : timed.at());
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
