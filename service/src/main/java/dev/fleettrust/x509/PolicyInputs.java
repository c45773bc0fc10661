package dev.fleettrust.x509;

import java.util.Set;

/**
 * The four certificate-policy inputs of RFC 5280 section 6.1.1 (c), (e), (f), (g).
 *
 * @param initialPolicySet the policy OIDs the relying party accepts; {@link #ANY_POLICY} for any
 * @param explicitPolicy the path must be valid for at least one policy of the initial set
 * @param inhibitPolicyMapping policy mapping is not permitted in the path
 * @param inhibitAnyPolicy anyPolicy in a certificate is not taken to match every policy
 */
public record PolicyInputs(
    Set<String> initialPolicySet,
    boolean explicitPolicy,
    boolean inhibitPolicyMapping,
    boolean inhibitAnyPolicy) {
  /** The special policy anyPolicy (RFC 5280 section 4.2.1.4). */
  public static final String ANY_POLICY = "2.5.29.32.0";

  private static final PolicyInputs DEFAULTS =
      new PolicyInputs(Set.of(ANY_POLICY), false, false, false);

  public PolicyInputs {
    initialPolicySet = Set.copyOf(initialPolicySet);
    if (initialPolicySet.isEmpty()) {
      throw new IllegalArgumentException("the initial policy set needs at least one OID");
    }
  }

  /** RFC 5280's defaults: any policy, no explicit policy, mapping and anyPolicy allowed. */
  public static PolicyInputs defaults() {
    return DEFAULTS;
  }

  boolean isDefault() {
    return equals(DEFAULTS);
  }
}
