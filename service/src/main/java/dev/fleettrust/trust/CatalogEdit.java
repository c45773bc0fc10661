package dev.fleettrust.trust;

/** The outcome of an edit to the catalog: a new catalog version, or why the edit was refused. */
public sealed interface CatalogEdit {

  record Applied(Catalog catalog) implements CatalogEdit {}

  /**
   * @param field the field at fault, e.g. {@code family}
   */
  record Rejected(String field, String reason) implements CatalogEdit {}
}
