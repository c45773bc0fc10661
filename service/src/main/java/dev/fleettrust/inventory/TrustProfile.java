package dev.fleettrust.inventory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Everything about a device that decides whether it trusts a server: its model, firmware build, the
 * provisioning method it re-provisions by, its site, and the anchors it holds with their
 * provenance. Devices with equal profiles get the same verdict, so the engine evaluates a profile
 * once and the API groups devices by its {@link #hash()}.
 *
 * <p>The hash is SHA-256 over the UTF-8 bytes of {@link #canonicalText()}, in lower-case hex:
 *
 * <pre>
 * fleettrust-trust-profile/v1
 * model=&lt;model&gt;
 * firmware=&lt;firmware build&gt;
 * provisioning=&lt;PIN_AUTH|USB_TETHER|AD_CREDENTIALS|VENDOR_PROFILE&gt;
 * site=&lt;site&gt;
 * anchors=&lt;sha256&gt;:&lt;PROVENANCE&gt;,&lt;sha256&gt;:&lt;PROVENANCE&gt;...
 * </pre>
 *
 * Lines end with {@code \n} (the last one too); an unknown value is empty after the {@code =};
 * anchors are sorted by fingerprint, then by provenance name, and an anchor held with two
 * provenances appears twice. Values never contain control characters (ingestion refuses them), so
 * the text is unambiguous. Changing any of this changes every hash: bump {@code v1} then.
 * service/docs/adr/0502-trust-profile-hash.md says why these fields and no others.
 */
public record TrustProfile(
    Optional<String> model,
    Optional<String> firmwareBuild,
    Optional<ProvisioningMethod> provisioningMethod,
    Optional<String> site,
    SortedSet<Anchor> anchors) {

  public static final String VERSION_LINE = "fleettrust-trust-profile/v1";

  public TrustProfile {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(firmwareBuild, "firmwareBuild");
    Objects.requireNonNull(provisioningMethod, "provisioningMethod");
    Objects.requireNonNull(site, "site");
    anchors = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(anchors));
  }

  /** One anchor as a profile counts it: a fingerprint and where the device got it. */
  public record Anchor(String sha256, AnchorProvenance provenance) implements Comparable<Anchor> {
    private static final Comparator<Anchor> ORDER =
        Comparator.comparing(Anchor::sha256).thenComparing(a -> a.provenance().name());

    public Anchor {
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(provenance, "provenance");
    }

    @Override
    public int compareTo(Anchor other) {
      return ORDER.compare(this, other);
    }
  }

  public String canonicalText() {
    StringBuilder text = new StringBuilder(128 + anchors.size() * 80);
    text.append(VERSION_LINE).append('\n');
    text.append("model=").append(model.orElse("")).append('\n');
    text.append("firmware=").append(firmwareBuild.orElse("")).append('\n');
    text.append("provisioning=").append(provisioningMethod.map(Enum::name).orElse("")).append('\n');
    text.append("site=").append(site.orElse("")).append('\n');
    text.append("anchors=");
    boolean first = true;
    for (Anchor anchor : anchors) {
      if (!first) {
        text.append(',');
      }
      text.append(anchor.sha256()).append(':').append(anchor.provenance().name());
      first = false;
    }
    return text.append('\n').toString();
  }

  /** SHA-256 of the canonical text, lower-case hex. */
  public String hash() {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of()
          .formatHex(sha256.digest(canonicalText().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-256", e);
    }
  }

  /** Reads a canonical text back; empty if it is not one this version wrote. */
  public static Optional<TrustProfile> fromCanonicalText(String text) {
    String[] lines = text.split("\n", -1);
    if (lines.length != 7 || !lines[0].equals(VERSION_LINE) || !lines[6].isEmpty()) {
      return Optional.empty();
    }
    List<String> values = new ArrayList<>();
    String[] keys = {"model=", "firmware=", "provisioning=", "site=", "anchors="};
    for (int i = 0; i < keys.length; i++) {
      if (!lines[i + 1].startsWith(keys[i])) {
        return Optional.empty();
      }
      values.add(lines[i + 1].substring(keys[i].length()));
    }
    try {
      SortedSet<Anchor> anchors = new TreeSet<>();
      if (!values.get(4).isEmpty()) {
        for (String anchor : values.get(4).split(",")) {
          int colon = anchor.indexOf(':');
          anchors.add(
              new Anchor(
                  anchor.substring(0, colon),
                  AnchorProvenance.valueOf(anchor.substring(colon + 1))));
        }
      }
      return Optional.of(
          new TrustProfile(
              nonEmpty(values.get(0)),
              nonEmpty(values.get(1)),
              nonEmpty(values.get(2)).map(ProvisioningMethod::valueOf),
              nonEmpty(values.get(3)),
              anchors));
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> nonEmpty(String value) {
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }
}
