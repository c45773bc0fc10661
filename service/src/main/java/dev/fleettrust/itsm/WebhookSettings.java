package dev.fleettrust.itsm;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.net.URI;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * One webhook, under {@code fleettrust.itsm.webhooks.<name>}: every message is POSTed to {@code
 * url}, signed per Standard Webhooks with {@code secret}.
 *
 * @param url HTTPS; plain HTTP only to a loopback address (tests, a local relay)
 * @param secret {@code whsec_} followed by the base64 key, as Standard Webhooks prints it
 * @param template the payload template (FreeMarker), {@code classpath:...} or {@code file:...};
 *     absent sends the CloudEvent itself ({@code application/cloudevents+json})
 * @param contentType the media type of what the template renders
 * @param values named values the template reads as {@code values.<name>} (assignment group, CMDB
 *     CI, Jira project key ...)
 */
@EachProperty("fleettrust.itsm.webhooks")
public record WebhookSettings(
    @Parameter String name,
    @Bindable(defaultValue = "true") boolean enabled,
    URI url,
    String secret,
    @Nullable String template,
    @Bindable(defaultValue = "application/json") String contentType,
    @Nullable Map<String, String> values) {
  public WebhookSettings {
    values = values == null ? Map.of() : Map.copyOf(values);
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    boolean loopback =
        url.getHost() != null
            && (url.getHost().equals("localhost")
                || url.getHost().startsWith("127.")
                || url.getHost().equals("[::1]"));
    if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
      throw new IllegalArgumentException(
          "fleettrust.itsm.webhooks." + name + ".url must be https (http only to loopback)");
    }
    if (!secret.startsWith("whsec_")) {
      throw new IllegalArgumentException(
          "fleettrust.itsm.webhooks." + name + ".secret must be whsec_<base64 key>");
    }
    Base64.getDecoder().decode(secret.substring("whsec_".length()));
  }

  /** The key the signatures are computed with. */
  byte[] key() {
    return Base64.getDecoder().decode(secret.substring("whsec_".length()));
  }

  /** The transport name deliveries record: {@code webhook:<name>}. */
  String target() {
    return "webhook:" + name;
  }
}
