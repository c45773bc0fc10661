package dev.fleettrust.x509;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One extended key usage (RFC 5280 section 4.2.1.12).
 *
 * @param name the usual short name for well-known purposes ({@code serverAuth}, {@code clientAuth},
 *     {@code anyExtendedKeyUsage}, ...)
 */
public record KeyPurpose(String oid, Optional<String> name) {
  public static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  public static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  public static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

  private static final Map<String, String> KNOWN =
      Map.of(
          SERVER_AUTH,
          "serverAuth",
          CLIENT_AUTH,
          "clientAuth",
          "1.3.6.1.5.5.7.3.3",
          "codeSigning",
          "1.3.6.1.5.5.7.3.4",
          "emailProtection",
          "1.3.6.1.5.5.7.3.8",
          "timeStamping",
          "1.3.6.1.5.5.7.3.9",
          "OCSPSigning",
          ANY_EXTENDED_KEY_USAGE,
          "anyExtendedKeyUsage");

  public KeyPurpose {
    Objects.requireNonNull(oid, "oid");
    Objects.requireNonNull(name, "name");
  }

  public static KeyPurpose of(String oid) {
    return new KeyPurpose(oid, Optional.ofNullable(KNOWN.get(oid)));
  }

  /** Resolves a short name ({@code serverAuth}) or a dotted OID. */
  public static Optional<KeyPurpose> fromNameOrOid(String nameOrOid) {
    if (nameOrOid.matches("[0-9]+(\\.[0-9]+)+")) {
      return Optional.of(of(nameOrOid));
    }
    return KNOWN.entrySet().stream()
        .filter(e -> e.getValue().equalsIgnoreCase(nameOrOid))
        .map(e -> of(e.getKey()))
        .findFirst();
  }

  public boolean isServerAuth() {
    return SERVER_AUTH.equals(oid);
  }

  public boolean isAny() {
    return ANY_EXTENDED_KEY_USAGE.equals(oid);
  }

  @Override
  public String toString() {
    return name.orElse(oid);
  }
}
