package dev.fleettrust.impact;

import java.util.Objects;

/**
 * A site, and whether PIN authentication (DHCP option 43/120 pointing at the web service) is
 * offered there (seed 001).
 */
public record Site(String name, boolean pinAuthentication) {
  public Site {
    name = Objects.requireNonNull(name, "name").strip();
  }
}
