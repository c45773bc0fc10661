package dev.fleettrust.trust;

import java.util.List;

/**
 * The built-in root store of a firmware build. Where the list is not publicly known the catalog
 * says so ({@link Unknown}, a {@code null} in the data files and the API), and verdicts that depend
 * on it become {@code AT_RISK} or {@code UNKNOWN} instead of a guess (contract.md, "Rules, made
 * precise"); {@code []} means the build trusts no public root at all.
 */
public sealed interface RootStore {

  /** The list is not known. */
  record Unknown() implements RootStore {}

  /** The list is known (possibly empty). */
  record Known(List<BuiltInRoot> roots) implements RootStore {
    public Known {
      roots = List.copyOf(roots);
    }
  }

  RootStore UNKNOWN = new Unknown();

  static RootStore known(List<BuiltInRoot> roots) {
    return new Known(roots);
  }

  default boolean isKnown() {
    return this instanceof Known;
  }

  /** The roots when known, otherwise none. */
  default List<BuiltInRoot> rootsOrEmpty() {
    return this instanceof Known k ? k.roots() : List.of();
  }
}
