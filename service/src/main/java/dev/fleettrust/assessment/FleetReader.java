package dev.fleettrust.assessment;

import dev.fleettrust.impact.DeviceGroup;
import dev.fleettrust.trust.DeviceProfile;
import dev.fleettrust.trust.HeldCertificate;
import dev.fleettrust.trust.Provenance;
import dev.fleettrust.trust.ProvisioningMethod;
import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.CertificateInputException;
import dev.fleettrust.x509.CertificateParser;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.support.DefaultTransactionDefinition;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the active fleet for an assessment in one consistent snapshot, as the inventory's fleet
 * groups (trust profile plus the pool and FQDN each device dials) with their device counts, so that
 * a fleet of a million devices arrives as a few thousand counted groups and no device ID. CA
 * certificates are parsed once and kept by fingerprint: their content never changes.
 */
@Singleton
public final class FleetReader {
  /**
   * Fleet groups with their device counts: the folded count plus the changes not folded yet ({@code
   * FleetGroupCounts}). Costs in the number of groups, not devices.
   */
  private static final String GROUPS =
      """
      SELECT g.group_id, g.pool, g.dialed_fqdn,
             tp.model, tp.firmware_build, tp.provisioning_method, tp.site, tp.anchors::text,
             g.device_count + coalesce(d.delta, 0)
        FROM fleet_group g
        LEFT JOIN (SELECT group_id, sum(delta) AS delta FROM fleet_group_delta GROUP BY group_id) d
               ON d.group_id = g.group_id
        LEFT JOIN trust_profile tp ON tp.profile_hash = g.profile_hash
       WHERE g.device_count + coalesce(d.delta, 0) > 0
       ORDER BY g.group_id
      """;

  private final TransactionOperations<Connection> transactions;
  private final JsonMapper json;
  private final Map<String, Certificate> certificates = new ConcurrentHashMap<>();

  FleetReader(TransactionOperations<Connection> transactions, JsonMapper json) {
    this.transactions = transactions;
    this.json = json;
  }

  /** The fleet as of the start of one repeatable-read transaction. */
  public FleetSnapshot read() {
    DefaultTransactionDefinition snapshot = new DefaultTransactionDefinition();
    snapshot.setIsolationLevel(TransactionDefinition.Isolation.REPEATABLE_READ);
    snapshot.setReadOnly(true);
    return transactions.execute(
        snapshot,
        status -> {
          try {
            return read(status.getConnection());
          } catch (SQLException e) {
            throw new IllegalStateException("Could not read the fleet", e);
          }
        });
  }

  private record Row(
      String model,
      String build,
      Optional<String> method,
      Optional<String> site,
      List<AnchorRef> anchors,
      Optional<String> pool,
      Optional<String> dialedFqdn,
      long fleetGroupId,
      int devices) {}

  @io.micronaut.serde.annotation.Serdeable
  record AnchorRef(String sha256, String provenance) {}

  private FleetSnapshot read(Connection connection) throws SQLException {
    java.time.Instant takenAt;
    String membership;
    try (var now =
        connection.createStatement().executeQuery("SELECT now(), pg_current_snapshot()::text")) {
      now.next();
      takenAt = now.getTimestamp(1).toInstant();
      membership = now.getString(2);
    }
    List<Row> rows = new ArrayList<>();
    Set<String> fingerprints = new HashSet<>();
    try (PreparedStatement query = connection.prepareStatement(GROUPS);
        ResultSet result = query.executeQuery()) {
      while (result.next()) {
        List<AnchorRef> anchors = anchors(result.getString(8));
        anchors.forEach(a -> fingerprints.add(a.sha256()));
        rows.add(
            new Row(
                Optional.ofNullable(result.getString(4)).orElse(""),
                Optional.ofNullable(result.getString(5)).orElse(""),
                Optional.ofNullable(result.getString(6)),
                Optional.ofNullable(result.getString(7)),
                anchors,
                Optional.ofNullable(result.getString(2)),
                Optional.ofNullable(result.getString(3)),
                result.getLong(1),
                Math.toIntExact(result.getLong(9))));
      }
    }
    loadCertificates(connection, fingerprints);
    Map<DeviceProfile, Integer> sizes = new LinkedHashMap<>();
    Map<DeviceProfile, List<FleetSnapshot.FleetGroupShare>> shares = new HashMap<>();
    for (Row row : rows) {
      List<HeldCertificate> held = new ArrayList<>(row.anchors().size());
      for (AnchorRef anchor : row.anchors()) {
        Certificate certificate = certificates.get(anchor.sha256());
        if (certificate != null) {
          held.add(new HeldCertificate(certificate, Provenance.valueOf(anchor.provenance())));
        }
      }
      DeviceProfile profile =
          new DeviceProfile(
              row.model(),
              row.build(),
              row.method().map(ProvisioningMethod::valueOf).stream().toList(),
              held,
              row.pool(),
              row.site(),
              row.dialedFqdn());
      // Fleet groups whose profiles the engine cannot tell apart (a held certificate that no
      // longer parses) are one evaluation.
      sizes.merge(profile, row.devices(), Integer::sum);
      shares
          .computeIfAbsent(profile, p -> new ArrayList<>())
          .add(new FleetSnapshot.FleetGroupShare(row.fleetGroupId(), row.devices()));
    }
    List<DeviceGroup> groups = new ArrayList<>(sizes.size());
    sizes.forEach((profile, size) -> groups.add(DeviceGroup.counted(profile, size)));
    return new FleetSnapshot(takenAt, membership, groups, shares);
  }

  private List<AnchorRef> anchors(String jsonArray) {
    if (jsonArray == null) {
      return List.of();
    }
    try {
      AnchorRef[] refs = json.readValue(jsonArray, AnchorRef[].class);
      return List.of(refs);
    } catch (IOException e) {
      throw new UncheckedIOException("trust_profile.anchors is not the expected JSON", e);
    }
  }

  private void loadCertificates(Connection connection, Set<String> fingerprints)
      throws SQLException {
    List<String> missing = fingerprints.stream().filter(f -> !certificates.containsKey(f)).toList();
    if (missing.isEmpty()) {
      return;
    }
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT sha256, der FROM ca_certificate WHERE sha256 = ANY (?)")) {
      query.setArray(1, connection.createArrayOf("text", missing.toArray()));
      try (ResultSet result = query.executeQuery()) {
        while (result.next()) {
          try {
            certificates.put(
                result.getString(1), CertificateParser.parse(result.getBytes(2)).get(0));
          } catch (CertificateInputException e) {
            // Ingestion stores only certificates that parsed; one that no longer does is skipped.
          }
        }
      }
    }
  }
}
