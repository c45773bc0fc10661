package dev.fleettrust.environment;

import dev.fleettrust.x509.CertificateInputException;
import jakarta.inject.Singleton;
import java.util.Objects;
import java.util.Optional;

/**
 * The UC environment as last put. Each {@code PUT} is stored as a new revision ({@code version} 1,
 * 2, ...); reads ask the table for its newest revision number (one index-only query) and map a
 * revision to the engine's environment only when that number changed, so every replica serves the
 * newest revision and an assessment records the version it ran against.
 */
@Singleton
public final class EnvironmentService implements EnvironmentSource {
  private final EnvironmentRevisionStore store;
  private volatile Loaded cached = new Loaded(EnvironmentRevision.NONE, CurrentEnvironment.EMPTY);

  EnvironmentService(EnvironmentRevisionStore store) {
    this.store = store;
  }

  /** A revision with the engine environment it maps to. */
  private record Loaded(EnvironmentRevision revision, CurrentEnvironment current) {}

  /** The outcome of a {@code PUT}. */
  public sealed interface PutOutcome {
    record Saved(EnvironmentRevision revision) implements PutOutcome {}

    /**
     * @param field JSONPath of the PEM field that does not parse
     * @param pem the field's text
     */
    record InvalidCertificate(String field, String pem, CertificateInputException error)
        implements PutOutcome {}
  }

  /**
   * @throws dev.fleettrust.inventory.InventoryStoreException when PostgreSQL cannot be read
   */
  @Override
  public CurrentEnvironment current() {
    return load().current();
  }

  /**
   * The newest revision as stored, with its defaults filled in.
   *
   * @throws dev.fleettrust.inventory.InventoryStoreException when PostgreSQL cannot be read
   */
  public EnvironmentRevision latest() {
    return load().revision();
  }

  /**
   * Validates every chain of {@code document}, then stores it as the next revision.
   *
   * @param updatedBy the token subject
   * @throws dev.fleettrust.inventory.InventoryStoreException when PostgreSQL cannot take the write
   */
  public PutOutcome put(EnvironmentDocument document, String updatedBy) {
    Objects.requireNonNull(document, "document");
    EnvironmentDocuments.Mapped mapped = EnvironmentDocuments.toEngine(document);
    if (mapped instanceof EnvironmentDocuments.Mapped.InvalidCertificate bad) {
      return new PutOutcome.InvalidCertificate(bad.field(), bad.pem(), bad.error());
    }
    EnvironmentRevisionStore.Row row =
        store.append(EnvironmentDocuments.write(document), updatedBy);
    Loaded loaded = loaded(row, document, ((EnvironmentDocuments.Mapped.Ok) mapped).environment());
    synchronized (this) {
      if (cached.revision().version() < loaded.revision().version()) {
        cached = loaded;
      }
    }
    return new PutOutcome.Saved(loaded.revision());
  }

  private Loaded load() {
    long newest = store.latestVersion();
    Loaded known = cached;
    if (known.revision().version() == newest) {
      return known;
    }
    synchronized (this) {
      known = cached;
      if (known.revision().version() >= newest) {
        return known;
      }
      Optional<EnvironmentRevisionStore.Row> row = store.revision(newest);
      if (row.isEmpty()) {
        return known;
      }
      EnvironmentDocuments.Parsed parsed = EnvironmentDocuments.readStored(row.get().document());
      if (!(parsed instanceof EnvironmentDocuments.Parsed.Ok ok)) {
        throw new IllegalStateException(
            "environment revision " + newest + " no longer reads: " + parsed);
      }
      EnvironmentDocuments.Mapped mapped = EnvironmentDocuments.toEngine(ok.document());
      if (!(mapped instanceof EnvironmentDocuments.Mapped.Ok env)) {
        throw new IllegalStateException(
            "environment revision " + newest + " no longer maps: " + mapped);
      }
      cached = loaded(row.get(), ok.document(), env.environment());
      return cached;
    }
  }

  private static Loaded loaded(
      EnvironmentRevisionStore.Row row,
      EnvironmentDocument document,
      dev.fleettrust.impact.Environment environment) {
    EnvironmentRevision revision =
        new EnvironmentRevision(
            row.version(), document, Optional.of(row.updatedAt()), Optional.of(row.updatedBy()));
    return new Loaded(
        revision,
        new CurrentEnvironment(
            row.version(),
            environment,
            Optional.of(row.updatedAt()),
            Optional.of(row.updatedBy())));
  }
}
