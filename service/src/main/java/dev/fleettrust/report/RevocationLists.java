package dev.fleettrust.report;

import dev.fleettrust.environment.EnvironmentDocuments;
import dev.fleettrust.environment.EnvironmentService;
import dev.fleettrust.x509.CertificateInputException;
import dev.fleettrust.x509.Crl;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * The CAs' current CRLs the environment holds ({@code revocationLists}, parsed in x509), as the
 * forecast needs them: issuer and nextUpdate. A CRL without nextUpdate never lapses by date.
 */
@Singleton
class RevocationLists {
  private final EnvironmentService environments;

  RevocationLists(EnvironmentService environments) {
    this.environments = environments;
  }

  List<FleetForecast.RevocationList> current() {
    List<FleetForecast.RevocationList> lists = new ArrayList<>();
    for (String text : environments.latest().document().revocationLists()) {
      try {
        for (Crl crl : EnvironmentDocuments.parseCrl(text)) {
          crl.facts()
              .nextUpdate()
              .ifPresent(
                  next ->
                      lists.add(
                          new FleetForecast.RevocationList(
                              crl.facts().issuer().canonical(),
                              crl.facts().issuer().rfc4514(),
                              next)));
        }
      } catch (CertificateInputException e) {
        // Stored only after it parsed on PUT; a CRL that no longer parses is left out.
      }
    }
    return lists;
  }
}
