package dev.fleettrust.api.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a bearer token may do. Each role includes the ones below it: an {@code admin} token may do
 * everything a {@code planner} may, and a planner everything a {@code viewer} may.
 */
public enum Role {
  VIEWER("viewer"),
  PLANNER("planner"),
  ADMIN("admin");

  /** Role names as {@code @Secured} annotations spell them. */
  public static final String VIEWER_NAME = "viewer";

  public static final String PLANNER_NAME = "planner";
  public static final String ADMIN_NAME = "admin";

  private final String claimValue;

  Role(String claimValue) {
    this.claimValue = claimValue;
  }

  public String claimValue() {
    return claimValue;
  }

  /** This role and every role it includes, highest first. */
  public List<Role> withIncludedRoles() {
    List<Role> included = new ArrayList<>();
    for (int i = ordinal(); i >= 0; i--) {
      included.add(values()[i]);
    }
    return List.copyOf(included);
  }

  public static Optional<Role> fromClaim(String value) {
    for (Role role : values()) {
      if (role.claimValue.equalsIgnoreCase(value)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
