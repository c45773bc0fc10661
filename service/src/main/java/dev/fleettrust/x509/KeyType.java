package dev.fleettrust.x509;

/** The kind of public key a certificate carries. */
public enum KeyType {
  RSA,
  EC,
  ED25519,
  DSA,
  OTHER
}
