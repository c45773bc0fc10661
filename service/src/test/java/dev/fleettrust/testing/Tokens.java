package dev.fleettrust.testing;

import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import jakarta.inject.Singleton;
import java.util.List;

/** Mints bearer tokens the way a real issuer would: signed JWTs with a {@code roles} claim. */
@Singleton
public final class Tokens {
  private final TokenGenerator generator;

  public Tokens(TokenGenerator generator) {
    this.generator = generator;
  }

  public String bearer(String role) {
    Authentication authentication = Authentication.build("test-" + role, List.of(role));
    return "Bearer "
        + generator
            .generateToken(authentication, 3600)
            .orElseThrow(() -> new IllegalStateException("No token generator configured"));
  }
}
