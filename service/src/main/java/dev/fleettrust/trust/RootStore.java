package dev.fleettrust.trust;

import dev.fleettrust.x509.DistinguishedName;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The built-in root store of a firmware build. Where the list is not publicly known the catalog
 * says so ({@link Unknown}, a {@code null} in the data files and the API), and verdicts that depend
 * on it become {@code AT_RISK} or {@code UNKNOWN} instead of a guess (contract.md, "Rules, made
 * precise"); {@code []} means the build trusts no public root at all.
 *
 * <p>A known list may itself be a partial reconstruction (trust-rules.md: "where a built-in root
 * list is not publicly known, say so in the data"): the LPE stores are listed only with the roots
 * whose certificates could be had, while the real stores also held older public roots. Such a list
 * carries {@link Gaps}: why it is incomplete, the roots known to be absent (seed 001: CU11 added
 * the DigiCert roots, so builds before it lack them) and the names of members whose keys the
 * catalog cannot give.
 */
public sealed interface RootStore {

  /** The list is not known. */
  record Unknown() implements RootStore {}

  /**
   * The list is known (possibly empty).
   *
   * @param gaps present when the list is known to be incomplete
   */
  record Known(List<BuiltInRoot> roots, Optional<Gaps> gaps) implements RootStore {
    public Known {
      roots = List.copyOf(roots);
      Objects.requireNonNull(gaps, "gaps");
    }

    /** A complete list. */
    public Known(List<BuiltInRoot> roots) {
      this(roots, Optional.empty());
    }
  }

  /**
   * What an incomplete list leaves open.
   *
   * @param source why the list is incomplete
   * @param knownAbsent roots the build is known not to hold: a chain to one of them fails
   * @param knownMembersWithoutKey roots the build is believed to hold, by name only
   */
  record Gaps(String source, List<NamedRoot> knownAbsent, List<NamedRoot> knownMembersWithoutKey) {
    public Gaps {
      Objects.requireNonNull(source, "source");
      knownAbsent = List.copyOf(knownAbsent);
      knownMembersWithoutKey = List.copyOf(knownMembersWithoutKey);
    }

    /** The known-absent root with this canonical subject. */
    public Optional<NamedRoot> absent(String subjectCanonical) {
      return knownAbsent.stream().filter(r -> r.canonical().equals(subjectCanonical)).findFirst();
    }

    /** The member known by name only with this canonical subject. */
    public Optional<NamedRoot> memberWithoutKey(String subjectCanonical) {
      return knownMembersWithoutKey.stream()
          .filter(r -> r.canonical().equals(subjectCanonical))
          .findFirst();
    }
  }

  /**
   * A root named by its subject only, with where that fact comes from.
   *
   * @param subject RFC 4514, as administrators read it
   */
  record NamedRoot(DistinguishedName subject, String source) {
    public NamedRoot {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(source, "source");
    }

    public String canonical() {
      return subject.canonical();
    }
  }

  RootStore UNKNOWN = new Unknown();

  static RootStore known(List<BuiltInRoot> roots) {
    return new Known(roots);
  }

  static RootStore incomplete(List<BuiltInRoot> roots, Gaps gaps) {
    return new Known(roots, Optional.of(gaps));
  }

  default boolean isKnown() {
    return this instanceof Known;
  }

  /** A known list that says it is incomplete: what it leaves open. */
  default Optional<Gaps> gaps() {
    return this instanceof Known k ? k.gaps() : Optional.empty();
  }

  /** The roots when known, otherwise none. */
  default List<BuiltInRoot> rootsOrEmpty() {
    return this instanceof Known k ? k.roots() : List.of();
  }
}
