package dev.fleettrust.x509;

/** How much a finding matters: an ERROR makes the path (or the planned chain) unusable. */
public enum Severity {
  ERROR,
  WARNING,
  INFO
}
