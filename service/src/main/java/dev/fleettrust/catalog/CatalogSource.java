package dev.fleettrust.catalog;

import dev.fleettrust.trust.Catalog;

/**
 * The firmware catalog in force: the data files shipped with the service plus every edit made
 * through the API. Assessments read it once per request and record its {@link Catalog#version()}.
 */
public interface CatalogSource {
  Catalog current();
}
