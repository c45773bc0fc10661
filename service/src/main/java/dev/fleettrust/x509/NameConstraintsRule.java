package dev.fleettrust.x509;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;

/**
 * RFC 5280 sections 4.2.1.10 and 6.1.3 (b), (c), 6.1.4 (g): every name of every certificate below a
 * CA with name constraints (the subject DN, e-mail addresses in it, and each SAN) must lie in the
 * permitted subtrees of its type, if the CA lists any, and in none of the excluded ones. Each CA's
 * constraints apply on their own, which is the RFC's intersection of permitted subtrees.
 * Self-issued intermediates are not checked (6.1.3 (b)). Constraints that are themselves malformed,
 * names that cannot be checked (malformed, or a type such as otherName that is constrained but not
 * understood) fail, as RFC 5280 requires of implementations that do not process a constraint type.
 * A wildcard DNS name passes a permitted subtree only if everything it could match does, and fails
 * an excluded subtree if anything it could match would (CVE-2025-61727).
 */
final class NameConstraintsRule implements PathRule {
  /** Name/constraint comparisons allowed per path: a denial-of-service guard (limbo nc-dos-*). */
  static final int MAX_COMPARISONS = 1 << 16;

  private static final String EMAIL_ADDRESS_OID = BCStyle.EmailAddress.getId();

  @Override
  public void check(PathContext path, List<Finding> out) {
    List<Certificate> active = new ArrayList<>();
    path.anchorCert().filter(a -> a.data().permitted().isPresent()).ifPresent(active::add);
    for (Certificate ca : active) {
      validateSubtrees(ca, path, out);
    }
    List<Certificate> chain = path.chain();
    int[] budget = {MAX_COMPARISONS};
    for (int i = chain.size() - 1; i >= 0; i--) {
      Certificate c = chain.get(i);
      boolean leaf = i == 0;
      if (!active.isEmpty() && !(c.facts().selfIssued() && !leaf)) {
        for (Certificate ca : active) {
          if (!checkNames(c, ca, budget, path, out)) {
            return;
          }
        }
      }
      if (!leaf && c.data().permitted().isPresent()) {
        validateSubtrees(c, path, out);
        active.add(c);
      }
    }
  }

  private static void validateSubtrees(Certificate ca, PathContext path, List<Finding> out) {
    List<GeneralSubtree> all = new ArrayList<>(ca.data().permitted().orElse(List.of()));
    all.addAll(ca.data().excluded().orElse(List.of()));
    for (GeneralSubtree s : all) {
      Optional<String> problem = subtreeProblem(s.getBase());
      if (problem.isPresent()) {
        out.add(
            Finding.error(
                RuleId.NAME_CONSTRAINTS_VIOLATION,
                "The CA certificate "
                    + ca.facts().subject().rfc4514()
                    + " has a malformed name constraint: "
                    + problem.get()
                    + ".",
                Evidence.of(ca).map()));
        return;
      }
    }
  }

  static Optional<String> subtreeProblem(GeneralName base) {
    switch (base.getTagNo()) {
      case GeneralName.dNSName -> {
        String v = string(base);
        if (v.isEmpty()) {
          return Optional.empty();
        }
        // ".example.com" is not RFC 5280's syntax for a dNSName constraint, but OpenSSL, Go and
        // Bouncy Castle take it as "names under example.com" (and CAs issue it): so do we.
        String body = v.startsWith(".") ? v.substring(1) : v;
        for (String label : body.split("\\.", -1)) {
          if (!HostnameMatcher.isLdhLabel(label)) {
            return Optional.of("dNSName " + v + " is not a host name or domain");
          }
        }
        return Optional.empty();
      }
      case GeneralName.iPAddress -> {
        byte[] o = ASN1OctetString.getInstance(base.getName()).getOctets();
        if (o.length != 8 && o.length != 32) {
          return Optional.of("iPAddress constraint of " + o.length + " bytes is not address+mask");
        }
        boolean zeroSeen = false;
        for (int i = o.length / 2; i < o.length; i++) {
          for (int bit = 7; bit >= 0; bit--) {
            boolean one = ((o[i] >> bit) & 1) == 1;
            if (one && zeroSeen) {
              return Optional.of("iPAddress constraint mask is not a CIDR prefix");
            }
            zeroSeen |= !one;
          }
        }
        return Optional.empty();
      }
      case GeneralName.rfc822Name -> {
        String v = string(base);
        int at = v.indexOf('@');
        if (at >= 0 && (at != v.lastIndexOf('@') || at == 0 || at == v.length() - 1)) {
          return Optional.of("rfc822Name " + v + " is not a mailbox, host or domain");
        }
        return Optional.empty();
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  /** False when the budget ran out (a finding has then been added). */
  private static boolean checkNames(
      Certificate c, Certificate ca, int[] budget, PathContext path, List<Finding> out) {
    List<GeneralName> names = namesOf(c);
    List<GeneralSubtree> permitted = ca.data().permitted().orElse(List.of());
    List<GeneralSubtree> excluded = ca.data().excluded().orElse(List.of());
    budget[0] -= names.size() * (permitted.size() + excluded.size());
    if (budget[0] < 0) {
      out.add(
          Finding.error(
              RuleId.PATH_BUDGET_EXHAUSTED,
              "Checking the names of "
                  + c.facts().subject().rfc4514()
                  + " against the name constraints of "
                  + ca.facts().subject().rfc4514()
                  + " takes more work than any client spends; clients reject such chains.",
              Evidence.of(c).put("constrainedBy", ca.facts().subject().rfc4514()).map()));
      return false;
    }
    for (GeneralName name : names) {
      int tag = name.getTagNo();
      boolean anyPermittedOfType = false;
      boolean permittedMatch = false;
      String verdict = null;
      for (GeneralSubtree s : permitted) {
        if (s.getBase().getTagNo() != tag) {
          continue;
        }
        anyPermittedOfType = true;
        Boolean m = within(name, s.getBase(), false);
        if (m == null) {
          verdict = "cannot be checked against the constraints";
          break;
        }
        if (m) {
          permittedMatch = true;
          break;
        }
      }
      if (verdict == null && anyPermittedOfType && !permittedMatch) {
        verdict = "is outside the permitted names";
      }
      if (verdict == null) {
        for (GeneralSubtree s : excluded) {
          if (s.getBase().getTagNo() != tag) {
            continue;
          }
          Boolean m = within(name, s.getBase(), true);
          if (m == null) {
            verdict = "cannot be checked against the constraints";
            break;
          }
          if (m) {
            verdict = "is excluded";
            break;
          }
        }
      }
      if (verdict != null) {
        String shown = describe(name);
        out.add(
            Finding.error(
                RuleId.NAME_CONSTRAINTS_VIOLATION,
                "The name "
                    + shown
                    + " in "
                    + c.facts().subject().rfc4514()
                    + " "
                    + verdict
                    + " by the name constraints of "
                    + ca.facts().subject().rfc4514()
                    + ".",
                Evidence.of(c)
                    .put("name", shown)
                    .put("constrainedBy", ca.facts().subject().rfc4514())
                    .map()));
        return true;
      }
    }
    return true;
  }

  /** Subject DN, e-mail addresses in the subject, and the SAN entries. */
  private static List<GeneralName> namesOf(Certificate c) {
    List<GeneralName> names = new ArrayList<>();
    X500Name subject = c.data().subject();
    if (subject.getRDNs().length > 0) {
      names.add(new GeneralName(subject));
      for (RDN rdn : subject.getRDNs()) {
        for (AttributeTypeAndValue ava : rdn.getTypesAndValues()) {
          if (ava.getType().getId().equals(EMAIL_ADDRESS_OID)
              && ava.getValue() instanceof ASN1String s) {
            names.add(new GeneralName(GeneralName.rfc822Name, s.getString()));
          }
        }
      }
    }
    names.addAll(c.data().sanNames());
    return names;
  }

  /**
   * Whether {@code name} lies within the subtree {@code base} (for an excluded subtree: whether it
   * may); null when the name cannot be checked.
   */
  static Boolean within(GeneralName name, GeneralName base, boolean excluded) {
    return switch (name.getTagNo()) {
      case GeneralName.dNSName -> dns(string(name), string(base), excluded);
      case GeneralName.iPAddress -> ip(name, base);
      case GeneralName.rfc822Name -> email(string(name), string(base));
      case GeneralName.uniformResourceIdentifier -> uri(string(name), string(base));
      case GeneralName.directoryName -> directory(name, base);
      default -> null;
    };
  }

  private static Boolean dns(String name, String constraint, boolean excluded) {
    Optional<String> pattern = HostnameMatcher.normalisePattern(name);
    if (pattern.isEmpty()) {
      return null;
    }
    String c = constraint.toLowerCase(Locale.ROOT);
    if (c.endsWith(".")) {
      c = c.substring(0, c.length() - 1);
    }
    String n = pattern.get();
    if (n.startsWith("*.")) {
      String rest = n.substring(2);
      if (excluded) {
        return dnsWithin(rest, c) || c.endsWith("." + rest);
      }
      return dnsWithin(rest, c);
    }
    return dnsWithin(n, c);
  }

  private static boolean dnsWithin(String name, String c) {
    if (c.isEmpty()) {
      return true;
    }
    if (c.startsWith(".")) {
      // The leading-period form: names under the domain, not the domain itself (as OpenSSL, Go).
      return name.endsWith(c);
    }
    return name.equals(c) || name.endsWith("." + c);
  }

  private static Boolean ip(GeneralName name, GeneralName base) {
    byte[] n = ASN1OctetString.getInstance(name.getName()).getOctets();
    byte[] c = ASN1OctetString.getInstance(base.getName()).getOctets();
    if (n.length != 4 && n.length != 16) {
      return null;
    }
    if (c.length != 2 * n.length) {
      return false;
    }
    for (int i = 0; i < n.length; i++) {
      byte mask = c[n.length + i];
      if ((n[i] & mask) != (c[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static Boolean email(String name, String c) {
    int at = name.indexOf('@');
    if (at <= 0 || at != name.lastIndexOf('@') || at == name.length() - 1) {
      return null;
    }
    String local = name.substring(0, at);
    String domain = name.substring(at + 1).toLowerCase(Locale.ROOT);
    int cat = c.indexOf('@');
    if (cat >= 0) {
      return local.equals(c.substring(0, cat))
          && domain.equals(c.substring(cat + 1).toLowerCase(Locale.ROOT));
    }
    String lc = c.toLowerCase(Locale.ROOT);
    if (lc.startsWith(".")) {
      return domain.endsWith(lc);
    }
    return domain.equals(lc);
  }

  private static Boolean uri(String name, String c) {
    String host;
    try {
      host = URI.create(name).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (host == null || host.isEmpty()) {
      return null;
    }
    host = host.toLowerCase(Locale.ROOT);
    String lc = c.toLowerCase(Locale.ROOT);
    if (lc.startsWith(".")) {
      return host.endsWith(lc);
    }
    return host.equals(lc);
  }

  private static Boolean directory(GeneralName name, GeneralName base) {
    RDN[] n = X500Name.getInstance(name.getName()).getRDNs();
    RDN[] c = X500Name.getInstance(base.getName()).getRDNs();
    if (c.length > n.length) {
      return false;
    }
    for (int i = 0; i < c.length; i++) {
      if (!Names.canonicalRdn(n[i]).equals(Names.canonicalRdn(c[i]))) {
        return false;
      }
    }
    return true;
  }

  private static String string(GeneralName gn) {
    return ((ASN1String) gn.getName()).getString();
  }

  private static String describe(GeneralName gn) {
    return switch (gn.getTagNo()) {
      case GeneralName.dNSName -> "DNS:" + string(gn);
      case GeneralName.rfc822Name -> "email:" + string(gn);
      case GeneralName.uniformResourceIdentifier -> "URI:" + string(gn);
      case GeneralName.iPAddress ->
          "IP:"
              + FactsReader.ipText(ASN1OctetString.getInstance(gn.getName()).getOctets())
                  .orElse("(malformed)");
      case GeneralName.directoryName -> "DN:" + Names.rfc4514(X500Name.getInstance(gn.getName()));
      default -> "a name of type " + gn.getTagNo();
    };
  }
}
