package dev.fleettrust.x509;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the evidence maps of findings: which certificate, named so an administrator finds it. */
final class Evidence {
  private final Map<String, String> map = new LinkedHashMap<>();

  private Evidence() {}

  static Evidence of(Certificate c) {
    return new Evidence().certificate(c);
  }

  static Evidence empty() {
    return new Evidence();
  }

  Evidence certificate(Certificate c) {
    map.put("certificate", c.facts().subject().rfc4514());
    map.put("thumbprint", c.facts().sha1Thumbprint());
    return this;
  }

  Evidence anchor(TrustAnchor a) {
    map.put("anchor", a.displayName());
    map.put("anchorSpkiSha256", a.spkiSha256());
    return this;
  }

  Evidence put(String key, String value) {
    map.put(key, value);
    return this;
  }

  Map<String, String> map() {
    return map;
  }
}
