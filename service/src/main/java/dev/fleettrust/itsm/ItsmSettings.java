package dev.fleettrust.itsm;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * What the ITSM messages say, under {@code fleettrust.itsm}.
 *
 * @param source the CloudEvent {@code source} of every message
 * @param publicBaseUrl where the ITSM tool's users reach this service's API: device-list links
 *     start with it
 * @param criticalBreaksShare an assessment whose {@code BREAKS} devices exceed this share of the
 *     fleet (0 to 1) is {@code critical} rather than {@code high}
 * @param topFindings how many findings (and remediation actions) an assessment message carries
 */
@ConfigurationProperties("fleettrust.itsm")
public record ItsmSettings(
    @Bindable(defaultValue = "/fleettrust") String source,
    @Bindable(defaultValue = "http://localhost:8080") String publicBaseUrl,
    @Bindable(defaultValue = "0.2") double criticalBreaksShare,
    @Bindable(defaultValue = "5") int topFindings) {
  public ItsmSettings {
    if (!(criticalBreaksShare >= 0 && criticalBreaksShare <= 1)) {
      throw new IllegalArgumentException(
          "fleettrust.itsm.critical-breaks-share must be between 0 and 1");
    }
    publicBaseUrl =
        publicBaseUrl.endsWith("/")
            ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
            : publicBaseUrl;
  }
}
