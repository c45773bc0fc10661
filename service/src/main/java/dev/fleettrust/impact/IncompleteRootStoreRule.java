package dev.fleettrust.impact;

import dev.fleettrust.trust.BuiltInRoot;
import dev.fleettrust.trust.RootStore;
import dev.fleettrust.trust.Rule;
import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.DistinguishedName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the catalog's list of a build's built-in roots says it is incomplete (a partial
 * reconstruction, as for Lync Phone Edition: trust-rules.md, "where a built-in root list is not
 * publicly known, say so in the data"), an UNTRUSTED_ROOT failure says only that the root is not in
 * the list, not that the phone lacks it: the finding becomes AT_RISK with BUILT_IN_ROOTS_UNKNOWN
 * and names the root that decides it. It stays a failure when the root is one the build is known
 * not to hold (seed 001: DigiCert Global Root CA before CU11), when the list names the root with a
 * key the chain does not match, and when the root is the organisation's own: an enterprise CA's
 * name is built from its Active Directory domain (DC= components, as the seeds' internal roots
 * show), and no firmware ships such a root.
 */
final class IncompleteRootStoreRule implements LegRule {
  /** domainComponent (RFC 4519), as canonical names spell attribute types. */
  private static final String DOMAIN_COMPONENT = "0.9.2342.19200300.100.1.25=";

  @Override
  public List<Finding> apply(Connection c, List<Finding> findings) {
    RootStore store = c.firmware().builtInRoots();
    Optional<RootStore.Gaps> gaps = store.gaps();
    if (gaps.isEmpty()
        || c.firmware().capabilities().osManagedTrust()
        || SignInSimulator.reported(c.profile())
        || findings.stream().noneMatch(f -> f.rule() == Rule.UNTRUSTED_ROOT)) {
      return findings;
    }
    Certificate top = c.completed().get(c.completed().size() - 1);
    DistinguishedName root =
        top.facts().selfSigned() ? top.facts().subject() : top.facts().issuer();
    String canonical = root.canonical();
    if (gaps.get().absent(canonical).isPresent()
        || canonical.contains(DOMAIN_COMPONENT)
        || store.rootsOrEmpty().stream()
            .map(BuiltInRoot::anchor)
            .anyMatch(a -> a.subjectCanonical().equals(canonical))) {
      return findings;
    }
    Optional<RootStore.NamedRoot> member = gaps.get().memberWithoutKey(canonical);
    String build = c.firmware().profileName();
    String doubt =
        member.isPresent()
            ? root.rfc4514()
                + " is believed to be in the built-in store of "
                + build
                + " ("
                + member.get().source()
                + "), but the catalog has no key for it, so the chain cannot be verified against"
                + " it: check the phone's certificate store."
            : "the catalog's list of built-in roots of "
                + build
                + " is incomplete ("
                + gaps.get().source()
                + "), so whether firmware "
                + build
                + " holds "
                + root.rfc4514()
                + " is not known: check the phone's certificate store.";
    List<Finding> out = new ArrayList<>();
    boolean added = false;
    for (Finding f : findings) {
      if (f.rule() != Rule.UNTRUSTED_ROOT) {
        out.add(f);
        continue;
      }
      if (added) {
        continue;
      }
      added = true;
      Map<String, String> evidence = new LinkedHashMap<>(f.evidence());
      evidence.put("root", root.rfc4514());
      evidence.put("build", c.firmware().build().text());
      evidence.put("rootStore", member.isPresent() ? "member without key" : "incomplete");
      out.add(
          new Finding(
              Rule.BUILT_IN_ROOTS_UNKNOWN,
              Verdict.AT_RISK,
              c.stage(),
              c.who()
                  + ", "
                  + PathTrustRule.phrase(c)
                  + ": the chain leads to "
                  + root.rfc4514()
                  + ", which the catalog does not list for this build; "
                  + doubt,
              evidence,
              Advice.forRule(Rule.BUILT_IN_ROOTS_UNKNOWN)));
    }
    return out;
  }
}
