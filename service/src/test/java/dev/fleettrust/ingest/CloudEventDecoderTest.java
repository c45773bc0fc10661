package dev.fleettrust.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.inventory.AnchorProvenance;
import dev.fleettrust.inventory.DeviceEvent;
import dev.fleettrust.inventory.DeviceId;
import dev.fleettrust.inventory.ProvisioningMethod;
import dev.fleettrust.inventory.RejectionReason;
import dev.fleettrust.inventory.SignInOutcome;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decoding against the contract: the example events of api-spec/events/examples must be accepted
 * and the invalid ones refused with the reason and field the spec's README gives.
 */
class CloudEventDecoderTest {
  private final CloudEventDecoder decoder = DecoderTesting.decoder(JsonMapper.createDefault());

  @ParameterizedTest
  @ValueSource(
      strings = {
        "device.firmware-updated.lpe-cx600.json",
        "device.provisioned.hp4120-usb.json",
        "device.provisioned.lpe-cx600-pin.json",
        "device.registered.audiocodes-450hd.json",
        "device.registered.lpe-cx600-success.json",
        "device.registered.vvx450-failure.json",
        "device.registered.yealink-t48s.json",
        "device.reset.yealink-t48s.json",
        "device.retired.lpe-cx700.json",
        "device.trust-store-reported.vvx450.json"
      })
  void acceptsEveryExampleEventOfTheSpec(String example) throws IOException {
    DecodedEvent decoded = decoder.decodeKafka(example("examples/" + example), Map.of());

    assertThat(decoded).isInstanceOf(DecodedEvent.Valid.class);
    DeviceEvent event = ((DecodedEvent.Valid) decoded).event();
    assertThat(event.type().cloudEventType() + ".")
        .isEqualTo(example.substring(0, event.type().cloudEventType().length() + 1));
    assertThat(event.header().deviceId().value()).matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
  }

  @ParameterizedTest
  @CsvSource({
    "device.provisioned.unknown-method.json, SCHEMA_VIOLATION, $.data.method",
    "device.registered.missing-outcome.json, SCHEMA_VIOLATION, $.data.outcome",
    "device.registered.missing-time.json, SCHEMA_VIOLATION, $.time",
    "device.registered.misspelt-field.json, SCHEMA_VIOLATION, $.data.dialledFqdn",
    "device.registered.no-firmware-no-user-agent.json, SCHEMA_VIOLATION, $.data",
    "device.registered.outcome-lower-case.json, SCHEMA_VIOLATION, $.data.outcome",
    "device.registered.specversion-0.3.json, SCHEMA_VIOLATION, $.specversion",
    "device.registered.subject-not-a-mac.json, SCHEMA_VIOLATION, $.subject",
    "device.reset.data-base64.json, SCHEMA_VIOLATION, $.data_base64",
    "device.trust-store-reported.wrong-source.json, SCHEMA_VIOLATION, $.data.certificates[1].source",
    "unknown-type.json, UNKNOWN_TYPE, $.type"
  })
  void refusesEveryInvalidExampleOfTheSpecWithItsReasonAndField(
      String example, RejectionReason reason, String field) throws IOException {
    DecodedEvent decoded = decoder.decodeKafka(example("examples/invalid/" + example), Map.of());

    assertThat(decoded).isInstanceOf(DecodedEvent.Refused.class);
    DecodedEvent.Refused refused = (DecodedEvent.Refused) decoded;
    assertThat(refused.reason()).isEqualTo(reason);
    assertThat(refused.field()).contains(field);
    assertThat(refused.message()).isNotBlank();
  }

  @Test
  void normalisesTheSubjectAndDerivesModelAndBuildFromTheUserAgent() throws IOException {
    DecodedEvent.Valid valid =
        (DecodedEvent.Valid)
            decoder.decodeKafka(
                example("examples/device.registered.audiocodes-450hd.json"), Map.of());

    DeviceEvent.Registered registered = (DeviceEvent.Registered) valid.event();
    assertThat(registered.header().deviceId()).isEqualTo(new DeviceId("00:90:8f:9c:2d:41"));
    assertThat(registered.model()).contains("450HD");
    assertThat(registered.firmware()).contains("3.0.0.459.1");
    assertThat(registered.vendor()).contains("AudioCodes");
    assertThat(registered.userAgent())
        .contains("AUDC-IPPhone/3.0.0.459.1 (450HD-Rev0; 00908F9C2D41)");
    assertThat(registered.outcome()).isEqualTo(SignInOutcome.SUCCESS);
  }

  @Test
  void keepsTheModelAnEventNamesAndTakesOnlyTheMissingBuildFromTheUserAgent() throws IOException {
    DecodedEvent.Valid valid =
        (DecodedEvent.Valid)
            decoder.decodeKafka(example("examples/device.registered.yealink-t48s.json"), Map.of());

    DeviceEvent.Registered registered = (DeviceEvent.Registered) valid.event();
    assertThat(registered.model()).contains("SIP-T48S");
    assertThat(registered.firmware()).contains("66.85.0.5");
  }

  @Test
  void readsTheCertificatesAProvisioningStepBroughtWithTheProvenanceItsMethodImplies()
      throws IOException {
    DecodedEvent.Valid valid =
        (DecodedEvent.Valid)
            decoder.decodeKafka(
                example("examples/device.provisioned.lpe-cx600-pin.json"), Map.of());

    DeviceEvent.Provisioned provisioned = (DeviceEvent.Provisioned) valid.event();
    assertThat(provisioned.method()).isEqualTo(ProvisioningMethod.PIN_AUTH);
    assertThat(provisioned.certificates()).hasSize(2);
    assertThat(provisioned.certificates())
        .allSatisfy(
            held -> {
              assertThat(held.provenance()).isEqualTo(AnchorProvenance.PROVISIONING_SERVICE);
              assertThat(held.certificate().sha256()).matches("[0-9a-f]{64}");
            });
    assertThat(provisioned.certificates().get(0).certificate().subject()).contains("CN=RootCA");
  }

  @Test
  void refusesAnUnparseablePemNamingTheCertificateAndTheReason() {
    String event =
        """
        {"specversion":"1.0","id":"bad-pem-1","source":"/certprov","type":"device.provisioned",
         "subject":"00:04:f2:1a:2b:3c","time":"2026-11-22T06:40:12Z",
         "data":{"method":"PIN_AUTH","site":"HQ","certificates":[
           "-----BEGIN CERTIFICATE-----\\nMIIBszCCAVmgAwIBAgIU\\n-----END CERTIFICATE-----\\n",
           "-----BEGIN CERTIFICATE-----\\nMIIDXzCCAkegAwIBAgIEGis8ATANBgkqhkiG9w0BAQsFADA/\\n-----END CERTIFICATE-----\\n"]}}
        """;

    DecodedEvent.Refused refused =
        (DecodedEvent.Refused)
            decoder.decodeKafka(event.getBytes(StandardCharsets.UTF_8), Map.of());

    assertThat(refused.reason()).isEqualTo(RejectionReason.UNPARSEABLE_PEM);
    assertThat(refused.field()).contains("$.data.certificates[0]");
    assertThat(refused.message()).startsWith("Certificate 1 ").contains("block 1");
    assertThat(refused.eventId()).contains("bad-pem-1");
    assertThat(refused.subject()).contains("00:04:f2:1a:2b:3c");
  }

  @Test
  void readsBinaryModeWithAttributesInHeadersAndTheDataAsValue() {
    Map<String, byte[]> headers =
        Map.of(
            "ce_specversion", bytes("1.0"),
            "ce_id", bytes("binary-1"),
            "ce_source", bytes("/sfb/pools/sfbpool.custdom.com/registrar"),
            "ce_type", bytes("device.registered"),
            "ce_subject", bytes("0004.F21A.2B3C"),
            "ce_time", bytes("2026-11-22T08:14:03.221Z"),
            "content-type", bytes("application/json"));
    byte[] data =
        bytes(
            "{\"userAgent\":\"PolycomVVX-VVX_450-UA/6.4.3.5032\",\"pool\":\"SFBPOOL.custdom.com\","
                + "\"site\":\"HQ\",\"dialedFqdn\":\"sip.custdom.com\",\"outcome\":\"FAILURE\","
                + "\"failureReason\":\"TLS handshake failed\",\"tlsAlert\":48}");

    DecodedEvent.Valid valid = (DecodedEvent.Valid) decoder.decodeKafka(data, headers);

    DeviceEvent.Registered registered = (DeviceEvent.Registered) valid.event();
    assertThat(registered.header().id()).isEqualTo("binary-1");
    assertThat(registered.header().deviceId().value()).isEqualTo("00:04:f2:1a:2b:3c");
    assertThat(registered.header().time()).isEqualTo(Instant.parse("2026-11-22T08:14:03.221Z"));
    assertThat(registered.pool()).isEqualTo("sfbpool.custdom.com");
    assertThat(registered.model()).contains("VVX 450");
    assertThat(registered.tlsAlert()).contains(48);
  }

  @Test
  void readsBinaryModeWithoutDataForAReset() {
    Map<String, byte[]> headers =
        Map.of(
            "ce_specversion", bytes("1.0"),
            "ce_id", bytes("binary-reset"),
            "ce_source", bytes("urn:tool"),
            "ce_type", bytes("device.reset"),
            "ce_subject", bytes("80:5e:c0:12:34:56"),
            "ce_time", bytes("2026-11-22T08:00:00Z"));

    assertThat(decoder.decodeKafka(null, headers))
        .isInstanceOfSatisfying(
            DecodedEvent.Valid.class,
            valid -> assertThat(valid.event()).isInstanceOf(DeviceEvent.Reset.class));
  }

  @Test
  void refusesARecordThatIsNotJsonAsNotJson() {
    DecodedEvent.Refused refused =
        (DecodedEvent.Refused) decoder.decodeKafka(bytes("<xml/>"), Map.of());

    assertThat(refused.reason()).isEqualTo(RejectionReason.NOT_JSON);
    assertThat(refused.eventId()).isEmpty();
  }

  @Test
  void ignoresExtensionAttributesButRefusesOtherUnknownAttributes() {
    String withExtension =
        retired("\"traceparent\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\",");
    String withUnknown = retired("\"Device-Name\":\"lobby\",");

    assertThat(decoder.decodeKafka(bytes(withExtension), Map.of()))
        .isInstanceOf(DecodedEvent.Valid.class);
    assertThat(decoder.decodeKafka(bytes(withUnknown), Map.of()))
        .isInstanceOfSatisfying(
            DecodedEvent.Refused.class,
            refused -> assertThat(refused.field()).contains("$.Device-Name"));
  }

  @Test
  void refusesATimeTooFarInTheFuture() {
    String event =
        "{\"specversion\":\"1.0\",\"id\":\"future\",\"source\":\"urn:tool\","
            + "\"type\":\"device.retired\",\"subject\":\"00:04:f2:99:00:07\","
            + "\"time\":\"2026-11-24T12:00:01Z\"}";

    assertThat(decoder.decodeKafka(bytes(event), Map.of()))
        .isInstanceOfSatisfying(
            DecodedEvent.Refused.class, refused -> assertThat(refused.field()).contains("$.time"));
  }

  private static String retired(String extra) {
    return "{\"specversion\":\"1.0\",\"id\":\"retired-x\",\"source\":\"urn:tool\","
        + extra
        + "\"type\":\"device.retired\",\"subject\":\"00:04:f2:99:00:07\","
        + "\"time\":\"2026-11-22T08:00:00Z\"}";
  }

  private static byte[] example(String path) throws IOException {
    try (InputStream in =
        CloudEventDecoderTest.class
            .getClassLoader()
            .getResourceAsStream("api-spec/events/" + path)) {
      assertThat(in).as(path).isNotNull();
      return in.readAllBytes();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static Optional<String> none() {
    return Optional.empty();
  }
}
