package dev.fleettrust.x509;

import java.util.List;
import java.util.Set;

/**
 * RFC 5280 section 4.2: "A certificate-using system MUST reject the certificate if it encounters a
 * critical extension it does not recognize". Applies to the anchor's certificate too. The policy
 * extensions are processed by {@link PolicyRule} (a critical certificatePolicies whose qualifiers
 * cannot be processed is refused while parsing).
 */
final class CriticalExtensionsRule implements PathRule {
  static final Set<String> KNOWN =
      Set.of(
          "2.5.29.14", // subjectKeyIdentifier
          "2.5.29.15", // keyUsage
          "2.5.29.17", // subjectAltName
          "2.5.29.18", // issuerAltName
          "2.5.29.19", // basicConstraints
          "2.5.29.30", // nameConstraints
          "2.5.29.31", // cRLDistributionPoints
          "2.5.29.32", // certificatePolicies
          "2.5.29.33", // policyMappings
          "2.5.29.35", // authorityKeyIdentifier
          "2.5.29.36", // policyConstraints
          "2.5.29.37", // extKeyUsage
          "2.5.29.54", // inhibitAnyPolicy
          "1.3.6.1.5.5.7.1.1" // authorityInfoAccess
          );

  @Override
  public void check(PathContext path, List<Finding> out) {
    for (Certificate c : path.withAnchor()) {
      for (String oid : c.facts().criticalExtensionOids()) {
        if (!KNOWN.contains(oid)) {
          out.add(
              Finding.error(
                  RuleId.UNKNOWN_CRITICAL_EXTENSION,
                  "The certificate "
                      + c.facts().subject().rfc4514()
                      + " has a critical extension ("
                      + oid
                      + ") that clients do not understand, so they must reject it.",
                  Evidence.of(c).put("extension", oid).map()));
        }
      }
    }
  }
}
