package dev.fleettrust.trust;

import dev.fleettrust.x509.TrustAnchor;
import java.util.Objects;

/**
 * One root baked into a firmware build: a full certificate or only an identity (name plus key hash,
 * optionally with the expiry of the copy the firmware carries, since old builds keep roots that
 * have since expired or been re-issued; seed 001's GlobalSign root expired in January 2014 on old
 * LPE firmware).
 *
 * @param label how to name it to an administrator
 */
public record BuiltInRoot(TrustAnchor anchor, String label) {
  public BuiltInRoot {
    Objects.requireNonNull(anchor, "anchor");
    Objects.requireNonNull(label, "label");
  }

  public static BuiltInRoot of(TrustAnchor anchor) {
    return new BuiltInRoot(anchor, anchor.displayName());
  }
}
