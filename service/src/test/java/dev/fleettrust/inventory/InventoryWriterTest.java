package dev.fleettrust.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.ingest.IngestTesting;
import dev.fleettrust.testing.IntegrationTest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * The inventory's state rules, written through {@link InventoryWriter} directly: what a reset, a
 * trust-store report and a late event do to the anchors a device holds, and that the stored profile
 * hash always equals the profile of the stored state.
 */
@MicronautTest(transactional = false)
class InventoryWriterTest extends IntegrationTest {
  private static final Instant T = Instant.parse("2026-11-10T12:00:00Z");
  private static final AtomicInteger DEVICES = new AtomicInteger();

  @Inject InventoryWriter writer;

  private final String prefix = IngestTesting.uniqueMacPrefix();
  private final CaCertificate builtIn = ca("CN=Built-in Public Root");
  private final CaCertificate poolRoot = ca("CN=Pool Root");
  private final CaCertificate poolIssuing = ca("CN=Pool Issuing");
  private final CaCertificate vendor = ca("CN=Vendor CA");

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new java.util.HashMap<>(super.getProperties());
    properties.put("fleettrust.ingest.enabled", "false");
    return properties;
  }

  @Test
  void aFactoryResetDropsDownloadedAnchorsAndKeepsFirmwareBuiltIns() throws Exception {
    DeviceId device = nextDevice();
    write(
        provisioned(
            device,
            T,
            ProvisioningMethod.PIN_AUTH,
            held(poolRoot, AnchorProvenance.PROVISIONING_SERVICE),
            held(builtIn, AnchorProvenance.FIRMWARE)),
        reported(device, T.plusSeconds(10), vendor));
    assertThat(anchors(device))
        .containsExactlyInAnyOrder(
            poolRoot.sha256() + ":PROVISIONING_SERVICE",
            builtIn.sha256() + ":FIRMWARE",
            vendor.sha256() + ":REPORTED");

    write(new DeviceEvent.Reset(header(device, T.plusSeconds(20))));

    assertThat(anchors(device)).containsExactly(builtIn.sha256() + ":FIRMWARE");
    assertProfileMatchesStoredState(device);
  }

  @Test
  void aProvisioningStepOlderThanAResetBringsNothingWhateverTheArrivalOrder() throws Exception {
    DeviceId inOrder = nextDevice();
    DeviceId reversed = nextDevice();
    for (DeviceId device : List.of(inOrder, reversed)) {
      DeviceEvent early =
          provisioned(
              device,
              T,
              ProvisioningMethod.USB_TETHER,
              held(poolRoot, AnchorProvenance.ACTIVE_DIRECTORY));
      DeviceEvent reset = new DeviceEvent.Reset(header(device, T.plusSeconds(60)));
      DeviceEvent later =
          provisioned(
              device,
              T.plusSeconds(120),
              ProvisioningMethod.PIN_AUTH,
              held(poolIssuing, AnchorProvenance.PROVISIONING_SERVICE));
      if (device == inOrder) {
        write(early);
        write(reset);
        write(later);
      } else {
        write(later);
        write(reset);
        write(early);
      }
    }

    assertThat(anchors(reversed))
        .isEqualTo(anchors(inOrder))
        .containsExactly(poolIssuing.sha256() + ":PROVISIONING_SERVICE");
    assertThat(text("SELECT provisioning_method FROM device WHERE device_id = ?", reversed))
        .isEqualTo("PIN_AUTH");
    assertThat(text("SELECT profile_hash FROM device WHERE device_id = ?", reversed))
        .isEqualTo(text("SELECT profile_hash FROM device WHERE device_id = ?", inOrder));
    assertProfileMatchesStoredState(reversed);
  }

  @Test
  void theNewestTrustStoreReportReplacesTheReportedAnchors() throws Exception {
    DeviceId device = nextDevice();
    write(reported(device, T, poolRoot, vendor));
    write(reported(device, T.plusSeconds(60), poolIssuing));
    // An older report arriving last changes nothing.
    write(reported(device, T.plusSeconds(30), builtIn));

    assertThat(anchors(device)).containsExactly(poolIssuing.sha256() + ":REPORTED");
    assertProfileMatchesStoredState(device);
  }

  @Test
  void eventsInOneBatchFoldToTheNewestValueOfEachPartOfTheState() throws Exception {
    DeviceId device = nextDevice();
    List<DeviceEvent> events = new ArrayList<>();
    events.add(
        registered(
            device, T.plusSeconds(30), "CX600", "4.0.7577.4420", "HQ", SignInOutcome.FAILURE));
    events.add(
        new DeviceEvent.FirmwareUpdated(
            header(device, T.plusSeconds(20)), Optional.empty(), "4.0.7577.4100"));
    events.add(registered(device, T, "CX500", "4.0.7577.107", "Leeds", SignInOutcome.SUCCESS));
    events.add(
        provisioned(
            device,
            T.plusSeconds(10),
            ProvisioningMethod.PIN_AUTH,
            held(poolRoot, AnchorProvenance.PROVISIONING_SERVICE)));
    events.add(
        provisioned(
            device,
            T.plusSeconds(5),
            ProvisioningMethod.USB_TETHER,
            held(poolRoot, AnchorProvenance.ACTIVE_DIRECTORY)));
    Collections.shuffle(events);

    write(events.toArray(DeviceEvent[]::new));

    assertThat(
            text(
                "SELECT concat_ws(' ', model, firmware_build, site, last_outcome,"
                    + " provisioning_method) FROM device WHERE device_id = ?",
                device))
        .isEqualTo("CX600 4.0.7577.4420 HQ FAILURE PIN_AUTH");
    assertThat(
            IngestTesting.number(
                "SELECT count(*) FROM device_provisioning WHERE device_id = ?", device.value()))
        .isEqualTo(2);
    assertProfileMatchesStoredState(device);
  }

  @Test
  void aRetiredDeviceComesBackWhenItSignsInAfterItsRetirement() throws Exception {
    DeviceId device = nextDevice();
    write(registered(device, T, "VVX 450", "6.4.3.5032", "HQ", SignInOutcome.SUCCESS));
    write(new DeviceEvent.Retired(header(device, T.plusSeconds(60))));
    assertThat(text("SELECT active::text FROM device WHERE device_id = ?", device))
        .isEqualTo("false");

    write(
        registered(
            device, T.plusSeconds(30), "VVX 450", "6.4.3.5032", "HQ", SignInOutcome.SUCCESS));
    assertThat(text("SELECT active::text FROM device WHERE device_id = ?", device))
        .isEqualTo("false");

    write(
        registered(
            device, T.plusSeconds(90), "VVX 450", "6.4.3.5032", "HQ", SignInOutcome.SUCCESS));
    assertThat(text("SELECT active::text FROM device WHERE device_id = ?", device))
        .isEqualTo("true");
  }

  @Test
  void aRepeatedEventIdChangesNothingEvenWithOtherContent() throws Exception {
    DeviceId device = nextDevice();
    DeviceEvent first =
        registered(device, T, "CX600", "4.0.7577.4420", "HQ", SignInOutcome.SUCCESS);
    InventoryWriter.WriteResult stored = write(first);
    DeviceEvent impostor =
        new DeviceEvent.Registered(
            new EventHeader(first.header().id(), "/elsewhere", T.plusSeconds(60), device),
            Optional.empty(),
            Optional.of("CX700"),
            Optional.of("3.5.6907.37"),
            Optional.empty(),
            "other.custdom.com",
            "Leeds",
            "sip.custdom.com",
            SignInOutcome.FAILURE,
            Optional.empty(),
            Optional.empty());

    InventoryWriter.WriteResult repeated = write(impostor);

    assertThat(stored.ingested()).containsExactly(first.header().id());
    assertThat(repeated.ingested()).isEmpty();
    assertThat(text("SELECT model FROM device WHERE device_id = ?", device)).isEqualTo("CX600");
  }

  @Test
  void aRowAnotherWriterChangedSinceItWasReadIsNotOverwritten() throws Exception {
    DeviceId device = nextDevice();
    write(registered(device, T, "CX600", "4.0.7577.4420", "HQ", SignInOutcome.SUCCESS));
    try (Connection connection = IngestTesting.database()) {
      DeviceState read = DeviceTable.read(connection, List.of(device)).get(device);
      DeviceState changed = read.copy();
      changed.apply(
          registered(
              device, T.plusSeconds(60), "CX600", "4.0.7577.4420", "HQ", SignInOutcome.FAILURE));
      // Another writer commits in between.
      try (PreparedStatement bump =
          connection.prepareStatement(
              "UPDATE device SET row_version = row_version + 1 WHERE device_id = ?")) {
        bump.setString(1, device.value());
        bump.executeUpdate();
      }

      boolean written = DeviceTable.update(connection, List.of(changed));

      assertThat(written).isFalse();
      assertThat(text("SELECT last_outcome FROM device WHERE device_id = ?", device))
          .isEqualTo("SUCCESS");
    }
    // Through the writer, the same event is applied to the current row.
    write(
        registered(
            device, T.plusSeconds(60), "CX600", "4.0.7577.4420", "HQ", SignInOutcome.FAILURE));
    assertThat(text("SELECT last_outcome FROM device WHERE device_id = ?", device))
        .isEqualTo("FAILURE");
  }

  // ------------------------------------------------------------------ helpers

  private InventoryWriter.WriteResult write(DeviceEvent... events) {
    List<EventRecord> records = new ArrayList<>();
    for (DeviceEvent event : events) {
      records.add(new EventRecord(event, Channel.HTTP, Optional.empty()));
    }
    return writer.write(records, List.of());
  }

  /** The stored hash is the hash of the profile the stored state gives. */
  private void assertProfileMatchesStoredState(DeviceId device) throws Exception {
    TreeSet<TrustProfile.Anchor> held = new TreeSet<>();
    for (String anchor : anchors(device)) {
      String[] parts = anchor.split(":");
      held.add(new TrustProfile.Anchor(parts[0], AnchorProvenance.valueOf(parts[1])));
    }
    try (Connection connection = IngestTesting.database();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT model, firmware_build, provisioning_method, site, profile_hash"
                    + " FROM device WHERE device_id = ?")) {
      select.setString(1, device.value());
      try (ResultSet row = select.executeQuery()) {
        assertThat(row.next()).isTrue();
        TrustProfile expected =
            new TrustProfile(
                Optional.ofNullable(row.getString(1)),
                Optional.ofNullable(row.getString(2)),
                Optional.ofNullable(row.getString(3)).map(ProvisioningMethod::valueOf),
                Optional.ofNullable(row.getString(4)),
                held);
        assertThat(row.getString(5)).isEqualTo(expected.hash());
        assertThat(
                text(
                    "SELECT canonical FROM trust_profile WHERE profile_hash = ?", row.getString(5)))
            .isEqualTo(expected.canonicalText());
      }
    }
  }

  private List<String> anchors(DeviceId device) throws Exception {
    List<String> anchors = new ArrayList<>();
    try (Connection connection = IngestTesting.database();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT sha256 || ':' || provenance FROM device_anchor WHERE device_id = ?"
                    + " ORDER BY 1")) {
      select.setString(1, device.value());
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          anchors.add(rows.getString(1));
        }
      }
    }
    return anchors;
  }

  private static String text(String sql, Object parameter) {
    return IngestTesting.text(sql, parameter instanceof DeviceId id ? id.value() : parameter);
  }

  private DeviceId nextDevice() {
    int n = DEVICES.incrementAndGet();
    return DeviceId.parse(prefix + String.format(":%02x:%02x", n / 256, n % 256)).orElseThrow();
  }

  private static EventHeader header(DeviceId device, Instant time) {
    return new EventHeader(UUID.randomUUID().toString(), "/test/writer", time, device);
  }

  private static DeviceEvent registered(
      DeviceId device,
      Instant time,
      String model,
      String firmware,
      String site,
      SignInOutcome outcome) {
    return new DeviceEvent.Registered(
        header(device, time),
        Optional.empty(),
        Optional.of(model),
        Optional.of(firmware),
        Optional.empty(),
        "sfbpool.custdom.com",
        site,
        "sip.custdom.com",
        outcome,
        Optional.empty(),
        Optional.empty());
  }

  private static DeviceEvent provisioned(
      DeviceId device, Instant time, ProvisioningMethod method, HeldCertificate... certificates) {
    return new DeviceEvent.Provisioned(header(device, time), method, "HQ", List.of(certificates));
  }

  private static DeviceEvent reported(
      DeviceId device, Instant time, CaCertificate... certificates) {
    List<HeldCertificate> held = new ArrayList<>();
    for (CaCertificate certificate : certificates) {
      held.add(held(certificate, AnchorProvenance.REPORTED));
    }
    return new DeviceEvent.TrustStoreReported(header(device, time), held);
  }

  private static HeldCertificate held(CaCertificate certificate, AnchorProvenance provenance) {
    return new HeldCertificate(certificate, provenance);
  }

  /** A self-signed CA built with Bouncy Castle, as the inventory keeps it. */
  private static CaCertificate ca(String name) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair keys = generator.generateKeyPair();
      Instant now = Instant.parse("2026-01-01T00:00:00Z");
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              new X500Name(name),
              BigInteger.valueOf(now.toEpochMilli()),
              Date.from(now),
              Date.from(now.plusSeconds(3650L * 86_400)),
              new X500Name(name),
              keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      X509CertificateHolder holder =
          builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
      byte[] der = holder.getEncoded();
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return new CaCertificate(
          HexFormat.of().formatHex(sha256.digest(der)),
          der,
          name,
          name,
          now,
          now.plusSeconds(3650L * 86_400),
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest(holder.getSubjectPublicKeyInfo().getEncoded())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
