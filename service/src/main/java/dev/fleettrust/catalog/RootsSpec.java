package dev.fleettrust.catalog;

import java.util.List;

/**
 * What an edit says about a built-in root store (contract.md: {@code builtInRoots} absent or {@code
 * null} means unknown, {@code []} means none; on a build, absent means "as the family").
 */
public sealed interface RootsSpec {

  /** A build that states nothing: the family's store applies. */
  record Inherit() implements RootsSpec {}

  /** The store is not known ({@code null}). */
  record Unknown() implements RootsSpec {}

  /** The store is known and holds exactly these roots (possibly none). */
  record Listed(List<RootSpec> roots) implements RootsSpec {
    public Listed {
      roots = List.copyOf(roots);
    }
  }

  RootsSpec INHERIT = new Inherit();
  RootsSpec UNKNOWN = new Unknown();
}
