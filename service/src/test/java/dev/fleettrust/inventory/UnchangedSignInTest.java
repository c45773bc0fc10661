package dev.fleettrust.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.ingest.IngestTesting;
import dev.fleettrust.testing.IntegrationTest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A sign-in that repeats what the device row says leaves the row alone (migration V13), yet the
 * inventory reads as if it had been written, and late events are judged against it exactly.
 */
@MicronautTest(transactional = false)
class UnchangedSignInTest extends IntegrationTest {
  private static final Instant T = Instant.parse("2026-11-12T08:00:00Z");
  private static final AtomicInteger DEVICES = new AtomicInteger();
  private static final String CX600 = "CX600";
  private static final String CU11 = "4.0.7577.4420";
  private static final String UA = "CPE/4.0.7577.4420 OCPhone/4.0.7577.4420";

  @Inject InventoryWriter writer;
  @Inject InventoryReader reader;
  @Inject TransactionOperations<Connection> transactions;

  private final String prefix = IngestTesting.uniqueMacPrefix();

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(super.getProperties());
    properties.put("fleettrust.ingest.enabled", "false");
    return properties;
  }

  @Test
  void aRepeatedSignInLeavesTheRowAloneAndStillShowsAsTheLastSignIn() {
    DeviceId device = nextDevice();
    write(signIn(device, T, Optional.of(CU11)));
    long version = rowVersion(device);

    DeviceEvent repeat = signIn(device, T.plusSeconds(3600), Optional.of(CU11));
    write(repeat);

    assertThat(rowVersion(device)).isEqualTo(version);
    assertThat(
            IngestTesting.number(
                "SELECT count(*) FROM sign_in_outcome WHERE device_id = ?", device.value()))
        .isEqualTo(2);
    DeviceViews.DeviceDetails details = reader.device(device).orElseThrow();
    assertThat(details.lastSeenAt()).isEqualTo(T.plusSeconds(3600));
    assertThat(details.lastSignIn().orElseThrow().time()).isEqualTo(T.plusSeconds(3600));
    assertThat(details.lastSignIn().orElseThrow().eventId()).isEqualTo(repeat.header().id());
    assertThat(
            reader
                .devices(
                    new DeviceViews.DeviceFilter(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        true),
                    1,
                    Optional.of(before(device)))
                .items()
                .get(0)
                .lastSeenAt())
        .isEqualTo(T.plusSeconds(3600));
  }

  @Test
  void aLateSignInIsJudgedAgainstTheNewerSignInThatLeftTheRowAlone() {
    DeviceId device = nextDevice();
    write(signIn(device, T, Optional.of(CU11)));
    write(signIn(device, T.plusSeconds(7200), Optional.of(CU11)));

    DeviceEvent late = signIn(device, T.plusSeconds(3600), Optional.of("4.0.7577.4100"));
    InventoryWriter.WriteResult result = write(late);

    assertThat(result.late()).containsExactly(late.header().id());
    assertThat(text("SELECT firmware_build FROM device WHERE device_id = ?", device))
        .isEqualTo(CU11);
    assertThat(
            IngestTesting.number(
                "SELECT count(*) FROM device_event WHERE device_id = ? AND late", device.value()))
        .isEqualTo(1);
  }

  @Test
  void aSignInWithoutAFirmwareDoesNotHideAnOlderFirmwareReport() {
    DeviceId device = nextDevice();
    write(signIn(device, T, Optional.of(CU11)));
    // Changes nothing, so it leaves the row alone; but it carries no firmware, so it does not
    // make the firmware newer than the late report below.
    write(signIn(device, T.plusSeconds(7200), Optional.empty()));
    assertThat(rowVersion(device)).isZero();

    DeviceEvent late = signIn(device, T.plusSeconds(3600), Optional.of("4.0.7577.4100"));
    InventoryWriter.WriteResult result = write(late);

    assertThat(result.late()).containsExactly(late.header().id());
    assertThat(text("SELECT firmware_build FROM device WHERE device_id = ?", device))
        .isEqualTo("4.0.7577.4100");
  }

  @Test
  void aSignInThatChangesSomethingWritesTheRowWithTheTimesOfTheSkippedOnes() {
    DeviceId device = nextDevice();
    write(signIn(device, T, Optional.of(CU11)));
    write(signIn(device, T.plusSeconds(3600), Optional.of(CU11)));
    long version = rowVersion(device);

    write(signIn(device, T.plusSeconds(7200), Optional.of("4.0.7577.4463")));

    assertThat(rowVersion(device)).isEqualTo(version + 1);
    assertThat(text("SELECT firmware_build FROM device WHERE device_id = ?", device))
        .isEqualTo("4.0.7577.4463");
    assertThat(
            IngestTesting.number(
                "SELECT count(*) FROM device WHERE device_id = ? AND registered_at = ?",
                device.value(),
                T.plusSeconds(7200).atOffset(java.time.ZoneOffset.UTC)))
        .isEqualTo(1);
  }

  @Test
  void theRowIsRewrittenOnceADayOfSignInsHasLeftItAlone() {
    DeviceId device = nextDevice();
    write(signIn(device, T, Optional.of(CU11)));
    write(signIn(device, T.plus(java.time.Duration.ofHours(23)), Optional.of(CU11)));
    assertThat(rowVersion(device)).isZero();

    write(signIn(device, T.plus(java.time.Duration.ofHours(25)), Optional.of(CU11)));

    assertThat(rowVersion(device)).isEqualTo(1);
    assertThat(
            IngestTesting.number(
                "SELECT count(*) FROM device WHERE device_id = ? AND registered_at = ?",
                device.value(),
                T.plus(java.time.Duration.ofHours(25)).atOffset(java.time.ZoneOffset.UTC)))
        .isEqualTo(1);
  }

  @Test
  void foldingBeforeHistoryIsDroppedWritesTheNewestSignInIntoTheRow() {
    DeviceId device = nextDevice();
    write(signIn(device, T, Optional.of(CU11)));
    DeviceEvent newest = signIn(device, T.plusSeconds(3600), Optional.of(CU11));
    write(newest);

    DeviceTable.foldSignInsBefore(transactions, T.plusSeconds(86_400));

    assertThat(text("SELECT last_sign_in_event FROM device WHERE device_id = ?", device))
        .isEqualTo(newest.header().id());
    assertThat(
            IngestTesting.number(
                "SELECT count(*) FROM device WHERE device_id = ?"
                    + " AND registered_at = ? AND state_time = ? AND model_at = ?"
                    + " AND firmware_at = ? AND user_agent_at = ? AND site_at = ?",
                device.value(),
                at(newest),
                at(newest),
                at(newest),
                at(newest),
                at(newest),
                at(newest)))
        .isEqualTo(1);
  }

  // ------------------------------------------------------------------ helpers

  private InventoryWriter.WriteResult write(DeviceEvent... events) {
    List<EventRecord> records = new ArrayList<>();
    for (DeviceEvent event : events) {
      records.add(new EventRecord(event, Channel.HTTP, Optional.empty()));
    }
    return writer.write(records, List.of());
  }

  private static java.time.OffsetDateTime at(DeviceEvent event) {
    return event.header().time().atOffset(java.time.ZoneOffset.UTC);
  }

  private static long rowVersion(DeviceId device) {
    return IngestTesting.number(
        "SELECT row_version FROM device WHERE device_id = ?", device.value());
  }

  private static String text(String sql, DeviceId device) {
    return IngestTesting.text(sql, device.value());
  }

  private DeviceId nextDevice() {
    int n = DEVICES.incrementAndGet();
    return DeviceId.parse(prefix + String.format(":%02x:%02x", n / 256, n % 256)).orElseThrow();
  }

  /** The device just before {@code device}, to start a device list at it. */
  private static DeviceId before(DeviceId device) {
    String value = device.value();
    int last = Integer.parseInt(value.substring(value.length() - 2), 16);
    return DeviceId.parse(value.substring(0, value.length() - 2) + String.format("%02x", last - 1))
        .orElseThrow();
  }

  private static DeviceEvent signIn(DeviceId device, Instant time, Optional<String> firmware) {
    return new DeviceEvent.Registered(
        new EventHeader(UUID.randomUUID().toString(), "/test/sign-in", time, device),
        Optional.empty(),
        Optional.of(CX600),
        firmware,
        Optional.of(UA),
        "sfbpool.custdom.com",
        "HQ",
        "sip.custdom.com",
        SignInOutcome.SUCCESS,
        Optional.empty(),
        Optional.empty());
  }
}
