package dev.fleettrust.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TrustProfileTest {
  private static final String ROOT =
      "a7ba0b0fb8d4b34c5ce3a89032f0cad4c254c0e70caf68be2a2539242e3108a5";
  private static final String ISSUING =
      "ad489bf009ed2047313619ec2a8a026e05e65e321621d4e95220a077d95231ba";

  private static TrustProfile cx600(TrustProfile.Anchor... anchors) {
    TreeSet<TrustProfile.Anchor> held = new TreeSet<>(java.util.List.of(anchors));
    return new TrustProfile(
        Optional.of("CX600"),
        Optional.of("4.0.7577.4420"),
        Optional.of(ProvisioningMethod.PIN_AUTH),
        Optional.of("HQ-Floor3"),
        held);
  }

  @Test
  void canonicalTextListsTheFieldsAndSortedAnchorsOneLineEach() {
    TrustProfile profile =
        cx600(
            new TrustProfile.Anchor(ISSUING, AnchorProvenance.PROVISIONING_SERVICE),
            new TrustProfile.Anchor(ROOT, AnchorProvenance.REPORTED),
            new TrustProfile.Anchor(ROOT, AnchorProvenance.PROVISIONING_SERVICE));

    assertThat(profile.canonicalText())
        .isEqualTo(
            "fleettrust-trust-profile/v1\n"
                + "model=CX600\n"
                + "firmware=4.0.7577.4420\n"
                + "provisioning=PIN_AUTH\n"
                + "site=HQ-Floor3\n"
                + "anchors="
                + ROOT
                + ":PROVISIONING_SERVICE,"
                + ROOT
                + ":REPORTED,"
                + ISSUING
                + ":PROVISIONING_SERVICE\n");
  }

  @Test
  void hashIsTheSha256OfTheCanonicalText() throws Exception {
    TrustProfile profile = cx600(new TrustProfile.Anchor(ROOT, AnchorProvenance.FIRMWARE));

    String expected =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(profile.canonicalText().getBytes(StandardCharsets.UTF_8)));
    assertThat(profile.hash()).isEqualTo(expected).matches("[0-9a-f]{64}");
  }

  @Test
  void hashIsStableAcrossReleases() {
    // A changed hash regroups every device: this value may only change with the version line.
    TrustProfile profile =
        new TrustProfile(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            new TreeSet<>());

    assertThat(profile.canonicalText())
        .isEqualTo(
            "fleettrust-trust-profile/v1\nmodel=\nfirmware=\nprovisioning=\nsite=\nanchors=\n");
    assertThat(profile.hash())
        .isEqualTo("ccd305c8907f4fcc42dc340120b932ca70a35498019cae66442b0d0e575d05ef");
  }

  @Test
  void anchorOrderOfInsertionDoesNotChangeTheHash() {
    TrustProfile one =
        cx600(
            new TrustProfile.Anchor(ROOT, AnchorProvenance.PROVISIONING_SERVICE),
            new TrustProfile.Anchor(ISSUING, AnchorProvenance.PROVISIONING_SERVICE));
    TrustProfile other =
        cx600(
            new TrustProfile.Anchor(ISSUING, AnchorProvenance.PROVISIONING_SERVICE),
            new TrustProfile.Anchor(ROOT, AnchorProvenance.PROVISIONING_SERVICE));

    assertThat(one.hash()).isEqualTo(other.hash());
  }

  @Test
  void provenanceIsPartOfTheProfile() {
    TrustProfile downloaded =
        cx600(new TrustProfile.Anchor(ROOT, AnchorProvenance.PROVISIONING_SERVICE));
    TrustProfile published =
        cx600(new TrustProfile.Anchor(ROOT, AnchorProvenance.ACTIVE_DIRECTORY));

    assertThat(downloaded.hash()).isNotEqualTo(published.hash());
  }

  @Test
  void readsItsCanonicalTextBack() {
    TrustProfile profile =
        cx600(
            new TrustProfile.Anchor(ROOT, AnchorProvenance.PROVISIONING_SERVICE),
            new TrustProfile.Anchor(ISSUING, AnchorProvenance.ACTIVE_DIRECTORY));

    assertThat(TrustProfile.fromCanonicalText(profile.canonicalText())).contains(profile);
    assertThat(TrustProfile.fromCanonicalText("something else")).isEmpty();
  }
}
