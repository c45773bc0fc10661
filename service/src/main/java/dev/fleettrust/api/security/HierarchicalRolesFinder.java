package dev.fleettrust.api.security;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.token.DefaultRolesFinder;
import io.micronaut.security.token.RolesFinder;
import io.micronaut.security.token.config.TokenConfiguration;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the token's roles claim and adds the roles each one includes, so that endpoints name only
 * the lowest role they need ({@code @Secured("viewer")} admits planners and admins too).
 */
@Singleton
@Replaces(DefaultRolesFinder.class)
final class HierarchicalRolesFinder implements RolesFinder {
  private final String rolesClaim;

  HierarchicalRolesFinder(TokenConfiguration tokenConfiguration) {
    this.rolesClaim = tokenConfiguration.getRolesName();
  }

  @Override
  public List<String> resolveRoles(@Nullable Map<String, Object> attributes) {
    if (attributes == null) {
      return List.of();
    }
    Object claim = attributes.get(rolesClaim);
    Collection<?> granted =
        claim instanceof Collection<?> values ? values : claim == null ? List.of() : List.of(claim);
    Set<String> roles = new LinkedHashSet<>();
    for (Object value : granted) {
      Role.fromClaim(String.valueOf(value))
          .ifPresent(role -> role.withIncludedRoles().forEach(r -> roles.add(r.claimValue())));
    }
    return List.copyOf(roles);
  }
}
