package dev.fleettrust.impact;

import dev.fleettrust.x509.Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An Exchange EWS/Autodiscover host the phones reach for calendar, voicemail and call logs (seed
 * 004), with the chain it presents: leaf first, then what it sends.
 */
public record ExchangeHost(String ewsFqdn, List<Certificate> chain) {
  public ExchangeHost {
    ewsFqdn = Environment.normaliseHost(Objects.requireNonNull(ewsFqdn, "ewsFqdn"));
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("an Exchange host needs its certificate");
    }
  }

  static String key(String fqdn) {
    return Environment.normaliseHost(fqdn.toLowerCase(Locale.ROOT));
  }
}
