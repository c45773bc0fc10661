package dev.fleettrust.impact;

import dev.fleettrust.x509.Certificate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a device receives from one provisioning source: the certificate provisioning web service
 * (PIN authentication) or Active Directory (USB tethering, AD credentials).
 *
 * @param anchors certificates the device installs as trusted roots
 * @param intermediates certificates the device installs as intermediates
 * @param assumedRoots canonical names of roots the device receives although FleetTrust holds no
 *     copy: when the web service's chain cannot be completed to a self-signed root from the
 *     documents, the server's own store still hands its root out, so the device trusts that issuer
 *     by name
 */
record Download(
    List<Certificate> anchors, List<Certificate> intermediates, List<String> assumedRoots) {
  static final Download NOTHING = new Download(List.of(), List.of(), List.of());

  Download {
    anchors = List.copyOf(anchors);
    intermediates = List.copyOf(intermediates);
    assumedRoots = List.copyOf(assumedRoots);
  }

  Set<String> shas() {
    return Stream.concat(anchors.stream(), intermediates.stream())
        .map(Certificate::sha256)
        .collect(Collectors.toSet());
  }
}
