package dev.fleettrust.inventory;

/** Where an anchor a device holds came from (contract.md, "Spellings"). */
public enum AnchorProvenance {
  /** Built into the firmware: survives a factory reset. */
  FIRMWARE,
  PROVISIONING_SERVICE,
  ACTIVE_DIRECTORY,
  VENDOR_PROFILE,
  /** Listed in the device's own trust-store report. */
  REPORTED;

  /**
   * Downloaded after boot, hence dropped by a factory reset (trust-rules.md, "downloaded anchors").
   */
  public boolean downloaded() {
    return this != FIRMWARE;
  }
}
