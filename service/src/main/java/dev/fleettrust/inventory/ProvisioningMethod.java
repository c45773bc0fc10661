package dev.fleettrust.inventory;

/** How a device fetched its downloaded anchors (contract.md, "Spellings"). */
public enum ProvisioningMethod {
  PIN_AUTH,
  USB_TETHER,
  AD_CREDENTIALS,
  VENDOR_PROFILE;

  /**
   * Where a certificate a provisioning step delivered came from when the event does not say:
   * contract.md, "Events" ({@code PIN_AUTH} downloads from the provisioning web service, USB
   * tethering and AD credentials fetch what Active Directory publishes).
   */
  public AnchorProvenance defaultProvenance() {
    return switch (this) {
      case PIN_AUTH -> AnchorProvenance.PROVISIONING_SERVICE;
      case USB_TETHER, AD_CREDENTIALS -> AnchorProvenance.ACTIVE_DIRECTORY;
      case VENDOR_PROFILE -> AnchorProvenance.VENDOR_PROFILE;
    };
  }
}
