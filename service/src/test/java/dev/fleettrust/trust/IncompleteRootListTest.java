package dev.fleettrust.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleettrust.x509.DistinguishedName;
import org.junit.jupiter.api.Test;

/** Root lists that say they are partial reconstructions (trust-rules.md: say so in the data). */
class IncompleteRootListTest {
  private static final Catalog BUNDLED = CatalogJson.loadBundled();

  private static RootStore store(String model, String build) {
    return ((FirmwareResolution.Resolved) BUNDLED.resolve(model, build)).firmware().builtInRoots();
  }

  private static String canonical(String rfc4514) {
    return DistinguishedName.fromRfc4514(rfc4514).canonical();
  }

  @Test
  void lpeListsAreIncompleteAndPreCu11LacksTheDigiCertRoots() {
    RootStore cu10 = store("CX600", "4.0.7577.4414");
    assertThat(cu10.isKnown()).isTrue();
    RootStore.Gaps gaps = cu10.gaps().orElseThrow();
    assertThat(gaps.source()).contains("Debian");
    assertThat(
            gaps.absent(
                canonical("CN=DigiCert Global Root CA,OU=www.digicert.com,O=DigiCert Inc,C=US")))
        .hasValueSatisfying(r -> assertThat(r.source()).contains("seed 001"));
    assertThat(gaps.memberWithoutKey(canonical("CN=GeoTrust Global CA,O=GeoTrust Inc.,C=US")))
        .isPresent();
    RootStore cu11 = store("HP 4120", "4.0.7577.4420");
    assertThat(cu11.gaps().orElseThrow().knownAbsent()).isEmpty();
    assertThat(store("CX700", "4.0.7577.4066").gaps()).isPresent();
  }

  @Test
  void otherFamiliesKeepTheirSemantics() {
    assertThat(store("VVX 500", "5.9.0.9373").isKnown()).isFalse();
    RootStore windows = store("Lync 2013", "15.0.4569.1506");
    assertThat(windows.isKnown()).isTrue();
    assertThat(windows.gaps()).isEmpty();
  }

  @Test
  void theSelfContainedFormKeepsWhatIsOpen() {
    Catalog back = CatalogJson.read(CatalogJson.write(BUNDLED));
    RootStore.Gaps before = store("CX600", "4.0.7577.4100").gaps().orElseThrow();
    RootStore.Gaps after =
        ((FirmwareResolution.Resolved) back.resolve("CX600", "4.0.7577.4100"))
            .firmware()
            .builtInRoots()
            .gaps()
            .orElseThrow();
    assertThat(after).isEqualTo(before);
  }

  @Test
  void anIncompleteListMustSayWhy() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode doc = (ObjectNode) mapper.readTree(CatalogJson.write(BUNDLED));
    ObjectNode aires = null;
    for (var f : doc.withArray("families")) {
      if (f.path("family").asText().equals("LPE-AIRES")) {
        aires = (ObjectNode) f;
      }
    }
    ((ObjectNode) aires.path("defaults").path("builtInRoots")).remove("source");
    String broken = mapper.writeValueAsString(doc);
    assertThatThrownBy(() -> CatalogJson.read(broken))
        .isInstanceOf(CatalogFormatException.class)
        .hasMessageContaining("source");
  }
}
