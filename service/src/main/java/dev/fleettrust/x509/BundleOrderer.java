package dev.fleettrust.x509;

import java.util.List;

/** Orders a bundle leaf to root by AKI/SKI and names, or says why it is not one chain. */
public final class BundleOrderer {
  private BundleOrderer() {}

  public static BundleOrder order(List<Certificate> bundle) {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
