package dev.fleettrust.impact;

import java.util.Arrays;
import java.util.Optional;

/** The store a {@code New-CsWebTrustedCACertificate} entry goes to ({@code -CAStore}). */
public enum CaStore {
  TRUSTED_ROOT_CA("TrustedRootCA"),
  INTERMEDIATE_CA("IntermediateCA");

  private final String wireName;

  CaStore(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<CaStore> fromWireName(String name) {
    return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
  }
}
