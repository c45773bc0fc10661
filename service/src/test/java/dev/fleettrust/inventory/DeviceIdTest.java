package dev.fleettrust.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceIdTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "00:04:f2:aa:bb:cc",
        "00:04:F2:AA:BB:CC",
        "00-04-F2-AA-BB-CC",
        "0004.f2aa.bbcc",
        "0004.F2AA.BBCC",
        "0004f2aabbcc",
        "0004F2AABBCC",
        "0004f2-aabbcc",
        "00 04 f2 aa bb cc",
        "0:4:f2:aa:bb:cc",
        "  00:04:f2:aa:bb:cc "
      })
  void normalisesEveryCommonMacSpellingToLowerCaseWithColons(String spelling) {
    assertThat(DeviceId.parse(spelling)).contains(new DeviceId("00:04:f2:aa:bb:cc"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "sip.custdom.com",
        "00:04:f2:aa:bb",
        "00:04:f2:aa:bb:cc:dd",
        "00:04-f2:aa:bb:cc",
        "0004f2aabbc",
        "0004f2aabbccd",
        "00:04:f2:aa:bb:cg",
        "000:04:f2:aa:bb:cc",
        "0004.f2aabbcc"
      })
  void refusesWhatIsNotAMacAddress(String text) {
    assertThat(DeviceId.parse(text)).isEmpty();
  }
}
