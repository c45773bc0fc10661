package dev.fleettrust.ingest;

import java.util.Objects;
import java.util.Optional;

/**
 * What a SIP User-Agent says about a phone. The raw string is always kept; vendor, model and
 * firmware are present only when the string names them in a format known to come from that phone.
 */
public record UserAgent(
    String raw, Optional<String> vendor, Optional<String> model, Optional<String> firmware) {

  public UserAgent {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(vendor, "vendor");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(firmware, "firmware");
  }

  static UserAgent unknown(String raw) {
    return new UserAgent(raw, Optional.empty(), Optional.empty(), Optional.empty());
  }

  public boolean recognised() {
    return vendor.isPresent();
  }
}
