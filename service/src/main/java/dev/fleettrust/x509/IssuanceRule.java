package dev.fleettrust.x509;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Issuance rules of the RFC 5280 profile (and the CA/B Forum baseline requirements where noted)
 * that lenient TLS stacks do not enforce. With {@link ClientProfile#strictIssuanceChecks()} they
 * are errors (MALFORMED_CERTIFICATE, BASIC_CONSTRAINTS_VIOLATION, KEY_USAGE_INVALID,
 * NAME_CONSTRAINTS_VIOLATION, EKU_SERVER_AUTH_MISSING), otherwise warnings.
 *
 * <ul>
 *   <li>4.2.1.1: AKI keyIdentifier present in every certificate not self-signed; AKI non-critical;
 *   <li>4.2.1.2: SKI present in CA certificates; SKI non-critical;
 *   <li>4.2.2.1: AIA non-critical;
 *   <li>4.2.1.6: SAN critical when the subject is empty (and, BR 7.1.2.7.12, only then);
 *   <li>4.1.2.4 / 4.1.2.6: non-empty issuer; non-empty subject in CA certificates;
 *   <li>4.2.1.9 / 4.2.1.3: cA and keyCertSign agree; pathLenConstraint only with both;
 *   <li>4.2.1.10: name constraints only in CA certificates, never empty;
 *   <li>4.2.1.12: EKU never empty;
 *   <li>BR 7.1.1: the leaf is version 3; BR 7.1.4.3: its CN repeats one of its SANs;
 *   <li>BR 7.1.2.1.3: a self-signed anchor's AKI, if any, is only a keyIdentifier equal to its SKI.
 * </ul>
 */
final class IssuanceRule implements PathRule {
  private static final String AKI = "2.5.29.35";
  private static final String SKI = "2.5.29.14";
  private static final String AIA = "1.3.6.1.5.5.7.1.1";

  @Override
  public void check(PathContext path, List<Finding> out) {
    Severity sev = path.issuanceSeverity();
    List<Certificate> chain = path.chain();
    List<Certificate> all = path.withAnchor();
    for (int i = 0; i < all.size(); i++) {
      Certificate c = all.get(i);
      CertificateFacts f = c.facts();
      CertData d = c.data();
      boolean isAnchor = i >= chain.size();
      boolean isLeaf = i == 0;
      boolean actsAsCa = !isLeaf;
      List<String> problems = new ArrayList<>();
      RuleId rule = RuleId.MALFORMED_CERTIFICATE;

      if (!isAnchor && !f.selfSigned() && f.authorityKeyId().isEmpty()) {
        problems.add("it has no authority key identifier (RFC 5280 4.2.1.1)");
      }
      if (f.criticalExtensionOids().contains(AKI)) {
        problems.add("its authority key identifier is marked critical (RFC 5280 4.2.1.1)");
      }
      if (actsAsCa && f.subjectKeyId().isEmpty()) {
        problems.add("this CA certificate has no subject key identifier (RFC 5280 4.2.1.2)");
      }
      if (f.criticalExtensionOids().contains(SKI)) {
        problems.add("its subject key identifier is marked critical (RFC 5280 4.2.1.2)");
      }
      if (f.criticalExtensionOids().contains(AIA)) {
        problems.add("its authority information access is marked critical (RFC 5280 4.2.2.1)");
      }
      if (!isAnchor && f.issuer().isEmpty()) {
        problems.add("its issuer name is empty (RFC 5280 4.1.2.4)");
      }
      if (actsAsCa && f.subject().isEmpty()) {
        problems.add("this CA certificate has an empty subject (RFC 5280 4.1.2.6)");
      }
      if (f.subject().isEmpty() && !d.sanNames().isEmpty() && !d.sanCritical()) {
        problems.add(
            "its subject is empty but its subject alternative name is not critical (RFC 5280"
                + " 4.2.1.6)");
      }
      if (isLeaf && !f.subject().isEmpty() && d.sanCritical()) {
        problems.add(
            "its subject alternative name is critical although the subject is not empty (CA/B"
                + " Forum BR 7.1.2.7.12)");
      }
      if (d.ekuEmpty()) {
        problems.add("its extended key usage lists no purpose (RFC 5280 4.2.1.12)");
      }
      if (isLeaf && f.version() < 3) {
        problems.add(
            "it is a version " + f.version() + " certificate, not version 3 (CA/B Forum BR 7.1.1)");
      }
      if (isAnchor && f.selfSigned()) {
        if (d.akiHasIssuerOrSerial()) {
          problems.add(
              "its authority key identifier names an issuer or serial number (CA/B Forum BR"
                  + " 7.1.2.1.3)");
        }
        if (hasAki(c) && f.authorityKeyId().isEmpty()) {
          problems.add("its authority key identifier lacks the key identifier (BR 7.1.2.1.3)");
        }
        if (f.authorityKeyId().isPresent()
            && f.subjectKeyId().isPresent()
            && !Objects.equals(f.authorityKeyId(), f.subjectKeyId())) {
          problems.add(
              "this self-signed certificate's authority key identifier differs from its subject"
                  + " key identifier");
        }
      }
      report(out, sev, rule, c, problems);
      if (isLeaf) {
        // Not a validation failure anywhere but in the CA/B Forum issuance rules, and x509-limbo
        // expects leaves with a CN outside the SANs to validate: say it, do not fail on it.
        report(out, Severity.WARNING, rule, c, commonNameNotInSan(f).stream().toList());
      }

      List<String> bcProblems = new ArrayList<>();
      BasicConstraints bc = f.basicConstraints();
      boolean keyCertSign = f.keyUsage().map(k -> k.contains(KeyUsage.KEY_CERT_SIGN)).orElse(false);
      if (keyCertSign && !bc.ca()) {
        bcProblems.add(
            "its key usage allows certificate signing but it is not a CA (RFC 5280 4.2.1.9)");
      }
      if (bc.ca() && f.keyUsage().isPresent() && !keyCertSign) {
        bcProblems.add(
            "it is a CA but its key usage does not allow certificate signing (RFC 5280 4.2.1.9)");
      }
      if (bc.pathLen().isPresent() && !bc.ca()) {
        bcProblems.add("it has a path length constraint without being a CA (RFC 5280 4.2.1.9)");
      }
      report(out, sev, RuleId.BASIC_CONSTRAINTS_VIOLATION, c, bcProblems);

      if (f.nameConstraints().isPresent()) {
        List<String> ncProblems = new ArrayList<>();
        if (!bc.ca()) {
          ncProblems.add("it carries name constraints without being a CA (RFC 5280 4.2.1.10)");
        }
        NameConstraints nc = f.nameConstraints().get();
        if (nc.permitted().isEmpty() && nc.excluded().isEmpty()) {
          ncProblems.add("its name constraints are empty (RFC 5280 4.2.1.10)");
        }
        report(out, sev, RuleId.NAME_CONSTRAINTS_VIOLATION, c, ncProblems);
      }
    }
  }

  private static boolean hasAki(Certificate c) {
    return c.data().holder().getExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier(AKI))
        != null;
  }

  /** BR 7.1.4.3: a leaf's CN, if any, is character for character one of its SAN values. */
  private static Optional<String> commonNameNotInSan(CertificateFacts f) {
    if (f.commonName().isEmpty() || f.subjectAltNames().isEmpty()) {
      return Optional.empty();
    }
    String cn = f.commonName().get();
    for (SubjectAltName san : f.subjectAltNames()) {
      if ((san.type() == GeneralNameType.DNS || san.type() == GeneralNameType.IP)
          && san.value().equals(cn)) {
        return Optional.empty();
      }
    }
    return Optional.of(
        "its common name "
            + cn
            + " is not one of its subject alternative names (CA/B Forum BR 7.1.4.3)");
  }

  private static void report(
      List<Finding> out, Severity sev, RuleId rule, Certificate c, List<String> problems) {
    if (problems.isEmpty()) {
      return;
    }
    out.add(
        new Finding(
            rule,
            sev,
            "The certificate "
                + c.facts().subject().rfc4514()
                + " breaks issuance rules: "
                + String.join("; ", problems)
                + ".",
            Evidence.of(c).map()));
  }
}
