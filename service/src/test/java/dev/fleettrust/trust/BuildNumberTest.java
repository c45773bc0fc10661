package dev.fleettrust.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BuildNumberTest {
  private static BuildNumber b(String s) {
    return BuildNumber.parse(s);
  }

  @Test
  void ordersNumericallyPartByPart() {
    assertThat(b("4.0.7577.107")).isLessThan(b("4.0.7577.4100"));
    assertThat(b("4.0.7577.4414")).isLessThan(b("4.0.7577.4420"));
    assertThat(b("4.0.7577.4100")).isLessThan(b("4.0.7577.4100.1"));
    assertThat(b("10.0")).isGreaterThan(b("9.9"));
  }

  @Test
  void letterSuffixSortsAfterThePlainNumber() {
    assertThat(b("5.4.0")).isLessThan(b("5.4.0A"));
    assertThat(b("5.4.0A")).isLessThan(b("5.4.1"));
    assertThat(b("5.4.0a")).isEqualTo(b("5.4.0A"));
  }

  @Test
  void wildcardPartAndSeriesEntriesCoverDeviceBuilds() {
    assertThat(b("X.8.1.52").covers(b("66.8.1.52"))).isTrue();
    assertThat(b("X.8.1.52").covers(b("66.8.1.53"))).isFalse();
    assertThat(b("5.9").covers(b("5.9.0.9373"))).isTrue();
    assertThat(b("5.9.0.9373").covers(b("5.9"))).isFalse();
    assertThat(b("4.0.7577.04100").sameAs(b("4.0.7577.4100"))).isTrue();
  }

  @Test
  void dropsAVendorPrefixAndRefusesText() {
    assertThat(b("UC_3.0.0.459.1")).isEqualTo(b("3.0.0.459.1"));
    assertThat(b("UCS 5.4.0A")).isEqualTo(b("5.4.0A"));
    assertThat(b("X.8.1.52").parts().get(0).wildcard()).isTrue();
    assertThatThrownBy(() -> b("latest")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
