package dev.fleettrust.trust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.x509.ClientProfile;
import dev.fleettrust.x509.SignatureAlgorithm;
import org.junit.jupiter.api.Test;

class CatalogProfileLookupTest {
  private final CatalogProfileLookup lookup = new CatalogProfileLookup();

  @Test
  void resolvesFamilyAndBuildToTheFirmwaresClientProfile() {
    ClientProfile cu1 = lookup.find("LPE-AIRES:4.0.7577.107").orElseThrow();
    assertThat(cu1.name()).isEqualTo("LPE-AIRES:4.0.7577.107");
    assertThat(cu1.wildcardNames()).isFalse();
    assertThat(lookup.find("lpe-aries:4.0.7577.4100").orElseThrow().wildcardNames()).isTrue();
    assertThat(lookup.find("LPE-TANJAY:4.0.7577.4494").orElseThrow().acceptedSignatureAlgorithms())
        .containsExactly(SignatureAlgorithm.SHA1_WITH_RSA);
    assertThat(lookup.find("POLYCOM-VVX:6.4.3.5032")).isPresent();
  }

  @Test
  void unknownNamesAreNotGuessed() {
    assertThat(lookup.find("WEB_PKI")).isEmpty();
    assertThat(lookup.find("LPE-AIRES:4.0.7577.4300")).isEmpty();
    assertThat(lookup.find("ACME:1.0")).isEmpty();
    assertThat(lookup.find("LPE-AIRES:")).isEmpty();
  }
}
