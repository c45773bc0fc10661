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
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the active fleet for an assessment in one consistent snapshot, already grouped by what
 * decides trust (the inventory's trust profile plus the pool and FQDN each device dials), so that a
 * fleet of a million devices arrives as a few thousand groups. CA certificates are parsed once and
 * kept by fingerprint: their content never changes.
 */
@Singleton
public final class FleetReader {
  private static final String GROUPS =
      """
      SELECT d.profile_hash, d.pool, d.dialed_fqdn,
             tp.model, tp.firmware_build, tp.provisioning_method, tp.site, tp.anchors::text,
             array_agg(d.device_id ORDER BY d.device_id)
        FROM device d
        LEFT JOIN trust_profile tp ON tp.profile_hash = d.profile_hash
       WHERE d.active
       GROUP BY d.profile_hash, d.pool, d.dialed_fqdn, tp.profile_hash
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
      List<String> deviceIds) {}

  @io.micronaut.serde.annotation.Serdeable
  record AnchorRef(String sha256, String provenance) {}

  private FleetSnapshot read(Connection connection) throws SQLException {
    java.time.Instant takenAt;
    try (var now = connection.createStatement().executeQuery("SELECT now()")) {
      now.next();
      takenAt = now.getTimestamp(1).toInstant();
    }
    List<Row> rows = new ArrayList<>();
    Set<String> fingerprints = new HashSet<>();
    try (PreparedStatement query = connection.prepareStatement(GROUPS);
        ResultSet result = query.executeQuery()) {
      while (result.next()) {
        List<AnchorRef> anchors = anchors(result.getString(8));
        anchors.forEach(a -> fingerprints.add(a.sha256()));
        Array ids = result.getArray(9);
        rows.add(
            new Row(
                Optional.ofNullable(result.getString(4)).orElse(""),
                Optional.ofNullable(result.getString(5)).orElse(""),
                Optional.ofNullable(result.getString(6)),
                Optional.ofNullable(result.getString(7)),
                anchors,
                Optional.ofNullable(result.getString(2)),
                Optional.ofNullable(result.getString(3)),
                List.of((String[]) ids.getArray())));
      }
    }
    loadCertificates(connection, fingerprints);
    List<DeviceGroup> groups = new ArrayList<>(rows.size());
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
      groups.add(new DeviceGroup(profile, row.deviceIds()));
    }
    return new FleetSnapshot(takenAt, groups);
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
