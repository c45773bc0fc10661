package dev.fleettrust.x509;

import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Resolves a client profile by name for the offline verifier ({@code deploy/local/verify.sh
 * --profile}). The seam for the firmware catalog: a module that knows catalog profiles such as
 * {@code LPE-AIRES:4.0.7577.4100} registers an implementation through {@link ServiceLoader} ({@code
 * META-INF/services/dev.fleettrust.x509.ProfileLookup}); {@link #builtIn()} knows the web-PKI
 * default and {@code rfc5280}.
 */
public interface ProfileLookup {

  Optional<ClientProfile> find(String name);

  /**
   * {@code WEB_PKI} (any case, {@code -} or {@code _}): {@link ClientProfile#webPki()}; {@code
   * rfc5280} (any case): {@link ClientProfile#rfc5280()}.
   */
  static ProfileLookup builtIn() {
    return name -> {
      String key = name.toUpperCase(Locale.ROOT).replace('-', '_');
      if (key.equals(ClientProfile.WEB_PKI)) {
        return Optional.of(ClientProfile.webPki());
      }
      if (key.equals(ClientProfile.RFC5280.toUpperCase(Locale.ROOT))) {
        return Optional.of(ClientProfile.rfc5280());
      }
      return Optional.empty();
    };
  }

  /** Registered lookups first, in class-path order, then {@link #builtIn()}. */
  static ProfileLookup installed() {
    return name -> {
      for (ProfileLookup lookup : ServiceLoader.load(ProfileLookup.class)) {
        Optional<ClientProfile> found = lookup.find(name);
        if (found.isPresent()) {
          return found;
        }
      }
      return builtIn().find(name);
    };
  }
}
