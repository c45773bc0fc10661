package dev.fleettrust.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserAgentParserTest {
  @Test
  void readsTheLyncPhoneEditionBuildButNotAModelItDoesNotName() {
    String raw =
        "CPE/4.0.7577.4420 OCPhone/4.0.7577.4420 (Microsoft Lync 2010 (Beta) Phone Edition)";

    UserAgent agent = UserAgentParser.parse(raw);

    assertThat(agent.raw()).isEqualTo(raw);
    assertThat(agent.firmware()).contains("4.0.7577.4420");
    assertThat(agent.model()).isEmpty();
    assertThat(agent.vendor()).contains("Microsoft");
  }

  @Test
  void readsTheOcs2007R2PhoneEditionBuildOfATanjay() {
    UserAgent agent =
        UserAgentParser.parse(
            "OCPhone/3.5.6907.253 (Microsoft Office Communicator 2007 R2 Phone Edition)");

    assertThat(agent.firmware()).contains("3.5.6907.253");
    assertThat(agent.model()).isEmpty();
  }

  @Test
  void readsPolycomVvxModelAndUcSoftwareBuild() {
    UserAgent agent = UserAgentParser.parse("PolycomVVX-VVX_450-UA/6.4.3.5032");

    assertThat(agent.vendor()).contains("Polycom");
    assertThat(agent.model()).contains("VVX 450");
    assertThat(agent.firmware()).contains("6.4.3.5032");
  }

  @Test
  void readsPolycomVvxBehindAnotherProductToken() {
    UserAgent agent = UserAgentParser.parse("Polycom/5.9.5.0614 PolycomVVX-VVX_411-UA/5.9.5.0614");

    assertThat(agent.model()).contains("VVX 411");
    assertThat(agent.firmware()).contains("5.9.5.0614");
  }

  @Test
  void readsPolycomTrio() {
    UserAgent agent = UserAgentParser.parse("PolycomRealPresenceTrio-Trio_8800-UA/5.9.1.10419");

    assertThat(agent.model()).contains("Trio 8800");
    assertThat(agent.firmware()).contains("5.9.1.10419");
  }

  @Test
  void readsYealinkModelAndFirmware() {
    UserAgent agent = UserAgentParser.parse("Yealink SIP-T48S 66.85.0.5");

    assertThat(agent.vendor()).contains("Yealink");
    assertThat(agent.model()).contains("SIP-T48S");
    assertThat(agent.firmware()).contains("66.85.0.5");
  }

  @Test
  void readsAudioCodesModelWithoutItsHardwareRevision() {
    UserAgent agent = UserAgentParser.parse("AUDC-IPPhone/3.0.0.459.1 (450HD-Rev0; 00908F9C2D41)");

    assertThat(agent.vendor()).contains("AudioCodes");
    assertThat(agent.model()).contains("450HD");
    assertThat(agent.firmware()).contains("3.0.0.459.1");
  }

  @Test
  void readsAudioCodesWithoutASerial() {
    UserAgent agent = UserAgentParser.parse("AUDC-IPPhone/3.4.4.1000 (445HD)");

    assertThat(agent.model()).contains("445HD");
    assertThat(agent.firmware()).contains("3.4.4.1000");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // The desktop Lync 2010 client shares the 4.0.7577 numbers; it is not a phone.
        "UCCAPI/4.0.7577.4420 OC/4.0.7577.4420 (Microsoft Lync 2010)",
        "UCCAPI/16.0.4266.1001 OC/16.0.4266.1001 (Skype for Business)",
        "Cisco-CP8861/11.7.1",
        "snom D785/10.1.54.13",
        "4.0.7577.4420",
        "Yealink",
        ""
      })
  void keepsUnknownAgentsUnknown(String raw) {
    UserAgent agent = UserAgentParser.parse(raw);

    assertThat(agent.raw()).isEqualTo(raw);
    assertThat(agent.recognised()).isFalse();
    assertThat(agent.model()).isEqualTo(Optional.empty());
    assertThat(agent.firmware()).isEmpty();
  }
}
