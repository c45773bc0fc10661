package dev.fleettrust.ingest.fleet;

import dev.fleettrust.inventory.ProvisioningMethod;
import java.util.List;

/**
 * The phone population the generator draws from: families with their models, firmware builds (most
 * common first, then the long tail) and how they provision, with weights taken from the shape of
 * real Lync/Skype for Business fleets (trust-rules.md, "the moving parts"). The numbers are
 * weights, not percentages.
 */
final class FleetCatalog {
  private FleetCatalog() {}

  record Weighted<T>(T value, int weight) {}

  record Model(String name, String vendor, String oui, List<String> builds) {}

  enum Family {
    LPE_ARIES(
        38,
        List.of(
            new Weighted<>(new Model("CX600", "Polycom", "00:04:f2", lpeBuilds()), 45),
            new Weighted<>(new Model("CX500", "Polycom", "00:04:f2", lpeBuilds()), 15),
            new Weighted<>(new Model("CX3000", "Polycom", "00:04:f2", lpeBuilds()), 10),
            new Weighted<>(new Model("HP 4120", "HP", "00:1f:29", lpeBuilds()), 20),
            new Weighted<>(new Model("HP 4110", "HP", "00:1f:29", lpeBuilds()), 10)),
        List.of(
            new Weighted<>(ProvisioningMethod.PIN_AUTH, 82),
            new Weighted<>(ProvisioningMethod.USB_TETHER, 14),
            new Weighted<>(ProvisioningMethod.AD_CREDENTIALS, 4))),
    LPE_TANJAY(
        4,
        List.of(
            new Weighted<>(
                new Model(
                    "CX700",
                    "Polycom",
                    "00:04:f2",
                    List.of(
                        "4.0.7577.4420",
                        "4.0.7577.4414",
                        "3.5.6907.253",
                        "4.0.7577.4100",
                        "3.5.6907.37",
                        "4.0.7577.4051",
                        "3.5.6907.206")),
                1)),
        List.of(
            new Weighted<>(ProvisioningMethod.PIN_AUTH, 80),
            new Weighted<>(ProvisioningMethod.USB_TETHER, 20))),
    POLYCOM_VVX(
        34,
        List.of(
            new Weighted<>(new Model("VVX 410", "Polycom", "64:16:7f", vvxBuilds()), 25),
            new Weighted<>(new Model("VVX 450", "Polycom", "64:16:7f", vvxBuilds()), 20),
            new Weighted<>(new Model("VVX 310", "Polycom", "64:16:7f", vvxBuilds()), 15),
            new Weighted<>(new Model("VVX 500", "Polycom", "64:16:7f", vvxBuilds()), 10),
            new Weighted<>(new Model("VVX 411", "Polycom", "64:16:7f", vvxBuilds()), 10),
            new Weighted<>(new Model("VVX 300", "Polycom", "64:16:7f", vvxBuilds()), 8),
            new Weighted<>(new Model("VVX 600", "Polycom", "64:16:7f", vvxBuilds()), 7),
            new Weighted<>(new Model("VVX 601", "Polycom", "64:16:7f", vvxBuilds()), 5)),
        List.of(
            new Weighted<>(ProvisioningMethod.PIN_AUTH, 60),
            new Weighted<>(ProvisioningMethod.VENDOR_PROFILE, 30),
            new Weighted<>(ProvisioningMethod.USB_TETHER, 10))),
    YEALINK(
        14,
        List.of(
            new Weighted<>(new Model("SIP-T48S", "Yealink", "80:5e:c0", yealinkSBuilds()), 35),
            new Weighted<>(new Model("SIP-T46S", "Yealink", "80:5e:c0", yealinkSBuilds()), 30),
            new Weighted<>(new Model("SIP-T42S", "Yealink", "80:5e:c0", yealinkSBuilds()), 10),
            new Weighted<>(
                new Model(
                    "SIP-T48G",
                    "Yealink",
                    "00:15:65",
                    List.of("35.83.0.35", "35.81.0.110", "35.80.0.95", "35.73.0.50")),
                10),
            new Weighted<>(
                new Model(
                    "SIP-T58A",
                    "Yealink",
                    "24:9a:d8",
                    List.of("58.85.0.5", "58.84.0.25", "58.83.0.15")),
                15)),
        List.of(
            new Weighted<>(ProvisioningMethod.PIN_AUTH, 55),
            new Weighted<>(ProvisioningMethod.VENDOR_PROFILE, 45))),
    AUDIOCODES(
        10,
        List.of(
            new Weighted<>(new Model("450HD", "AudioCodes", "00:90:8f", audiocodesBuilds()), 45),
            new Weighted<>(new Model("445HD", "AudioCodes", "00:90:8f", audiocodesBuilds()), 35),
            new Weighted<>(new Model("440HD", "AudioCodes", "00:90:8f", audiocodesBuilds()), 20)),
        List.of(
            new Weighted<>(ProvisioningMethod.PIN_AUTH, 60),
            new Weighted<>(ProvisioningMethod.VENDOR_PROFILE, 40)));

    final int weight;
    final List<Weighted<Model>> models;
    final List<Weighted<ProvisioningMethod>> methods;

    Family(int weight, List<Weighted<Model>> models, List<Weighted<ProvisioningMethod>> methods) {
      this.weight = weight;
      this.models = models;
      this.methods = methods;
    }

    /** The SIP User-Agent a registrar logs for this family, in the phones' real format. */
    String userAgent(Model model, String build, String mac) {
      return switch (this) {
        case LPE_ARIES, LPE_TANJAY ->
            build.startsWith("3.5.")
                ? "OCPhone/" + build + " (Microsoft Office Communicator 2007 R2 Phone Edition)"
                : "CPE/"
                    + build
                    + " OCPhone/"
                    + build
                    + " (Microsoft Lync 2010 (Beta) Phone Edition)";
        case POLYCOM_VVX -> "PolycomVVX-" + model.name().replace(' ', '_') + "-UA/" + build;
        case YEALINK -> "Yealink " + model.name() + " " + build;
        case AUDIOCODES ->
            "AUDC-IPPhone/"
                + build
                + " ("
                + model.name()
                + "-Rev0; "
                + mac.replace(":", "").toUpperCase(java.util.Locale.ROOT)
                + ")";
      };
    }

    boolean lyncPhoneEdition() {
      return this == LPE_ARIES || this == LPE_TANJAY;
    }
  }

  /** LPE builds, CU11 first, then older cumulative updates down to the first Lync 2010 build. */
  private static List<String> lpeBuilds() {
    return List.of(
        "4.0.7577.4420",
        "4.0.7577.4414",
        "4.0.7577.4463",
        "4.0.7577.4100",
        "4.0.7577.4444",
        "4.0.7577.4487",
        "4.0.7577.4398",
        "4.0.7577.4375",
        "4.0.7577.4366",
        "4.0.7577.4287",
        "4.0.7577.4276",
        "4.0.7577.4051",
        "4.0.7577.4494",
        "4.0.7577.275",
        "4.0.7577.253",
        "4.0.7577.250",
        "4.0.7577.223",
        "4.0.7577.108",
        "4.0.7577.107");
  }

  private static List<String> vvxBuilds() {
    return List.of(
        "6.4.3.5032",
        "5.9.5.0614",
        "6.3.1.8427",
        "6.4.6.2807",
        "5.9.7.3480",
        "6.2.0.4617",
        "6.1.0.6189",
        "5.8.0.12848",
        "5.7.1.2079",
        "5.6.0.17325",
        "5.5.2.11338",
        "5.4.0.12197");
  }

  private static List<String> yealinkSBuilds() {
    return List.of(
        "66.85.0.5",
        "66.86.0.15",
        "66.84.0.10",
        "66.83.0.30",
        "66.82.0.20",
        "66.81.0.110",
        "66.80.0.35");
  }

  private static List<String> audiocodesBuilds() {
    return List.of(
        "3.4.4.1000", "3.2.1.404", "3.0.1.376.81", "3.4.6.569", "3.0.0.459.1", "3.1.2.89");
  }

  private static List<Weighted<Family>> families;

  /** The families, weighted by their share of the fleet. */
  static synchronized List<Weighted<Family>> families() {
    if (families == null) {
      families =
          java.util.Arrays.stream(Family.values()).map(f -> new Weighted<>(f, f.weight)).toList();
    }
    return families;
  }

  /** Names for sites: a city, then a building number. */
  static final List<String> CITIES =
      List.of(
          "HQ",
          "Leeds",
          "Manchester",
          "Bristol",
          "Glasgow",
          "Dublin",
          "Paris",
          "Lyon",
          "Berlin",
          "Munich",
          "Hamburg",
          "Madrid",
          "Barcelona",
          "Milan",
          "Rome",
          "Vienna",
          "Zurich",
          "Amsterdam",
          "Rotterdam",
          "Brussels",
          "Copenhagen",
          "Oslo",
          "Stockholm",
          "Helsinki",
          "Warsaw",
          "Prague",
          "Budapest",
          "Lisbon",
          "Athens",
          "Istanbul",
          "Dubai",
          "Mumbai",
          "Singapore",
          "Sydney",
          "Tokyo",
          "Toronto",
          "Chicago",
          "Dallas",
          "Denver",
          "Seattle");

  /**
   * Why a sign-in failed, as registrars and phones log it, with the TLS alert when there is one.
   */
  record Failure(String reason, Integer tlsAlert) {}

  static final List<Weighted<Failure>> FAILURES =
      List.of(
          new Weighted<>(
              new Failure("TLS handshake failed: certificate chain rooted in an untrusted CA", 48),
              40),
          new Weighted<>(new Failure("Cannot connect to the server", null), 25),
          new Weighted<>(new Failure("TLS handshake failed: bad certificate", 42), 15),
          new Weighted<>(new Failure("Authentication failed: PIN not accepted", null), 10),
          new Weighted<>(new Failure("Connection timed out", null), 10));
}
