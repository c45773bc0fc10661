package dev.fleettrust.trust;

/**
 * How a device obtained its sign-in material (contract.md, "Provisioning methods"). The method a
 * device used last is the one it repeats at its next sign-in.
 */
public enum ProvisioningMethod {
  /**
   * DHCP option 43/120 points the phone at the certificate provisioning web service; it downloads
   * the chain over HTTP port 80, intermediates included (seeds 001, 002).
   */
  PIN_AUTH,
  /**
   * Credentials passed from a tethered PC; the phone fetches AD-published CAs but a firmware bug
   * skips the intermediate download (seed 002).
   */
  USB_TETHER,
  /** Domain credentials typed on the phone (CX700 / Tanjay); AD-published CAs (seed 001). */
  AD_CREDENTIALS,
  /** A vendor provisioning profile (3PIP phones); the device keeps what it was given. */
  VENDOR_PROFILE;

  /** The provenance of a bare PEM a device received by this method (contract.md, "Events"). */
  public Provenance provenance() {
    return switch (this) {
      case PIN_AUTH -> Provenance.PROVISIONING_SERVICE;
      case USB_TETHER, AD_CREDENTIALS -> Provenance.ACTIVE_DIRECTORY;
      case VENDOR_PROFILE -> Provenance.VENDOR_PROFILE;
    };
  }
}
