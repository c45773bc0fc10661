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
 *   <li>4.2.1.11, 4.2.1.14: policyConstraints and inhibitAnyPolicy critical;
 *   <li>BR 7.1.1: the leaf is version 3; BR 7.1.4.3: its CN repeats one of its SANs character for
 *       character (a CN that spells a SAN differently, in letter case, as a U-label, or as an IP
 *       address in non-canonical text, is an error; a CN naming something else only a warning, as
 *       BetterTLS and x509-limbo expect such leaves to validate);
 *   <li>BR 7.1.2.1.3: a self-signed anchor's AKI, if any, is only a keyIdentifier equal to its SKI.
 * </ul>
 */
final class IssuanceRule implements PathRule {
  private static final String AKI = "2.5.29.35";
  private static final String SKI = "2.5.29.14";
  private static final String AIA = "1.3.6.1.5.5.7.1.1";
  private static final String POLICY_CONSTRAINTS = "2.5.29.36";
  private static final String INHIBIT_ANY_POLICY = "2.5.29.54";

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
      if (hasExtension(c, POLICY_CONSTRAINTS)
          && !f.criticalExtensionOids().contains(POLICY_CONSTRAINTS)) {
        problems.add("its policy constraints are not marked critical (RFC 5280 4.2.1.11)");
      }
      if (hasExtension(c, INHIBIT_ANY_POLICY)
          && !f.criticalExtensionOids().contains(INHIBIT_ANY_POLICY)) {
        problems.add("its inhibit anyPolicy is not marked critical (RFC 5280 4.2.1.14)");
      }
      if (isLeaf) {
        commonNameMisspellsSan(f).ifPresent(problems::add);
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
    return hasExtension(c, AKI);
  }

  private static boolean hasExtension(Certificate c, String oid) {
    return c.data().holder().getExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier(oid))
        != null;
  }

  /**
   * BR 7.1.4.3: a CN that names one of the leaf's SANs but spells it differently: another letter
   * case, the U-label of an A-label SAN, or an IP address SAN in other than its canonical text
   * (dotted decimal; RFC 5952 for IPv6).
   */
  private static Optional<String> commonNameMisspellsSan(CertificateFacts f) {
    if (f.commonName().isEmpty() || f.subjectAltNames().isEmpty()) {
      return Optional.empty();
    }
    String cn = f.commonName().get();
    for (SubjectAltName san : f.subjectAltNames()) {
      if (san.value().equals(cn)) {
        return Optional.empty();
      }
    }
    for (SubjectAltName san : f.subjectAltNames()) {
      boolean same =
          switch (san.type()) {
            case DNS ->
                san.value().equalsIgnoreCase(cn) || san.value().equalsIgnoreCase(aLabel(cn));
            case IP ->
                HostnameMatcher.parseIp(san.value())
                    .map(ip -> java.util.Arrays.equals(ip, looseIp(cn).orElse(null)))
                    .orElse(false);
            default -> false;
          };
      if (same) {
        return Optional.of(
            "its common name "
                + cn
                + " spells its subject alternative name "
                + san.value()
                + " differently (CA/B Forum BR 7.1.4.3)");
      }
    }
    return Optional.empty();
  }

  private static String aLabel(String name) {
    try {
      return java.net.IDN.toASCII(name, java.net.IDN.ALLOW_UNASSIGNED);
    } catch (IllegalArgumentException e) {
      return name;
    }
  }

  /** An IP address as inet_aton (hex, octal, fewer parts) or RFC 4291 text reads it. */
  private static Optional<byte[]> looseIp(String text) {
    if (text.indexOf(':') >= 0) {
      return HostnameMatcher.parseIpv6(text.toLowerCase(java.util.Locale.ROOT));
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length < 1 || parts.length > 4) {
      return Optional.empty();
    }
    long[] v = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].toLowerCase(java.util.Locale.ROOT);
      try {
        if (p.startsWith("0x") && p.length() > 2) {
          v[i] = Long.parseLong(p.substring(2), 16);
        } else if (p.length() > 1 && p.startsWith("0")) {
          v[i] = Long.parseLong(p.substring(1), 8);
        } else {
          v[i] = Long.parseLong(p);
        }
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      if (v[i] < 0 || v[i] > 0xffffffffL) {
        return Optional.empty();
      }
    }
    long addr = 0;
    for (int i = 0; i < parts.length - 1; i++) {
      if (v[i] > 255) {
        return Optional.empty();
      }
      addr = addr << 8 | v[i];
    }
    int restBits = 8 * (5 - parts.length);
    if (v[parts.length - 1] >= (1L << restBits)) {
      return Optional.empty();
    }
    addr = addr << restBits | v[parts.length - 1];
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      out[i] = (byte) (addr >> (24 - 8 * i));
    }
    return Optional.of(out);
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
    if (commonNameMisspellsSan(f).isPresent()) {
      return Optional.empty();
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
