package dev.fleettrust.trust;

/** Where a certificate a device holds came from (contract.md, "Anchor provenance"). */
public enum Provenance {
  /** Baked into the firmware build; only a firmware update changes it (seed 001). */
  FIRMWARE,
  /** Downloaded from the Lync/SfB certificate provisioning web service (PIN authentication). */
  PROVISIONING_SERVICE,
  /** Published in Active Directory with certutil -dspublish, fetched on USB/AD sign-in. */
  ACTIVE_DIRECTORY,
  /** Pushed by a vendor provisioning profile. */
  VENDOR_PROFILE,
  /** Read from the device's own trust-store report. */
  REPORTED
}
