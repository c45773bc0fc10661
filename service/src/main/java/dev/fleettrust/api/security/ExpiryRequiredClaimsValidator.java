package dev.fleettrust.api.security;

import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;

/**
 * A token without {@code exp} would never expire: micronaut-security's expiration check passes such
 * a token, so this one refuses it. (Its {@code nbf} is checked by the library once {@code
 * micronaut.security.token.jwt.claims-validators.not-before} is on, as application.yml sets.)
 */
@Singleton
final class ExpiryRequiredClaimsValidator<T> implements GenericJwtClaimsValidator<T> {
  @Override
  public boolean validate(Claims claims, T request) {
    return claims.get(Claims.EXPIRATION_TIME) != null;
  }
}
