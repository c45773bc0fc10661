package dev.fleettrust.trust;

import java.util.Locale;
import java.util.Objects;

/**
 * A device model and the firmware family it runs (issue 6: {@code PUT /catalog/models/{model}}
 * takes vendor and family).
 *
 * @param source where the model-to-family fact comes from
 */
public record DeviceModel(String model, String vendor, String family, String source) {
  public DeviceModel {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(vendor, "vendor");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(source, "source");
    model = model.strip();
    if (model.isEmpty()) {
      throw new IllegalArgumentException("model must not be blank");
    }
  }

  /**
   * The look-up key of a model name: upper case, letters and digits only, so that {@code HP 4120},
   * {@code hp-4120} and {@code HP4120} meet.
   */
  public static String key(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (char c : name.toUpperCase(Locale.ROOT).toCharArray()) {
      if (Character.isLetterOrDigit(c)) {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
