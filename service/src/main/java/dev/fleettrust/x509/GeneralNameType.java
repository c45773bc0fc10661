package dev.fleettrust.x509;

/** The GeneralName forms FleetTrust models (RFC 5280 section 4.2.1.6). */
public enum GeneralNameType {
  DNS,
  IP,
  URI,
  EMAIL,
  DIRECTORY_NAME,
  /** otherName, x400Address, ediPartyName, registeredID. */
  OTHER
}
