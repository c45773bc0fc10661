package dev.fleettrust.x509;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A certificate's policy extensions as RFC 5280 section 6.1 processes them.
 *
 * @param policies the certificatePolicies OIDs in order ({@link PolicyInputs#ANY_POLICY} included);
 *     empty when the extension is absent
 * @param mappings policyMappings as (issuerDomainPolicy, subjectDomainPolicy) pairs
 * @param requireExplicitPolicy policyConstraints requireExplicitPolicy (skip certs)
 * @param inhibitPolicyMapping policyConstraints inhibitPolicyMapping (skip certs)
 * @param inhibitAnyPolicy inhibitAnyPolicy (skip certs)
 */
record PolicyData(
    Optional<List<String>> policies,
    List<Map.Entry<String, String>> mappings,
    OptionalInt requireExplicitPolicy,
    OptionalInt inhibitPolicyMapping,
    OptionalInt inhibitAnyPolicy) {
  static final PolicyData NONE =
      new PolicyData(
          Optional.empty(),
          List.of(),
          OptionalInt.empty(),
          OptionalInt.empty(),
          OptionalInt.empty());

  PolicyData {
    policies = policies.map(List::copyOf);
    mappings = List.copyOf(mappings);
    Objects.requireNonNull(requireExplicitPolicy, "requireExplicitPolicy");
    Objects.requireNonNull(inhibitPolicyMapping, "inhibitPolicyMapping");
    Objects.requireNonNull(inhibitAnyPolicy, "inhibitAnyPolicy");
  }

  /** Whether anything here can make policy processing fail with RFC 5280's default inputs. */
  boolean constrains() {
    return requireExplicitPolicy.isPresent() || !mappings.isEmpty();
  }
}
