package dev.fleettrust.catalog;

import dev.fleettrust.catalog.CatalogEditStore.Stamp;
import dev.fleettrust.catalog.CatalogEditStore.StoredEdit;
import dev.fleettrust.trust.Catalog;
import dev.fleettrust.trust.CatalogJson;
import dev.fleettrust.x509.CertificateInputException;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog in force: the shipped data files ({@link CatalogJson#loadBundled()}) with every
 * stored edit replayed in order. The state is cached; each read first asks the table for its edit
 * count and newest ID (one index-only query) and replays only what another replica added since.
 * Writes take a PostgreSQL advisory lock, re-read what they missed, apply the edit to the engine's
 * catalog and append it in the same transaction, so every replica replays the same sequence and
 * reaches the same {@link Catalog#version()}.
 */
@Singleton
public final class CatalogService implements CatalogSource {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogService.class);

  private final CatalogEditStore store;
  private final Catalog shipped;
  private volatile CatalogState cached;

  CatalogService(CatalogEditStore store) {
    this.store = store;
    this.shipped = CatalogJson.loadBundled();
  }

  /** The outcome of a {@code PUT}. */
  public sealed interface PutOutcome {
    /**
     * @param created a new model, family or build ({@code 201}) rather than a replaced one
     */
    record Saved(CatalogState state, boolean created) implements PutOutcome {}

    record UnknownFamily(String family) implements PutOutcome {}

    /**
     * @param field JSONPath of the root within the request body
     * @param pem the field's text
     */
    record InvalidCertificate(String field, String pem, CertificateInputException error)
        implements PutOutcome {}
  }

  @Override
  public Catalog current() {
    return state().catalog();
  }

  /**
   * The catalog in force with the documents as last put.
   *
   * @throws dev.fleettrust.inventory.InventoryStoreException when PostgreSQL cannot be read
   */
  public CatalogState state() {
    Stamp stamp = store.stamp();
    CatalogState known = cached;
    if (known != null
        && known.editCount() == stamp.count()
        && known.lastEditId() == stamp.lastId()) {
      return known;
    }
    synchronized (this) {
      known = cached;
      if (known != null
          && known.editCount() >= stamp.count()
          && known.lastEditId() >= stamp.lastId()) {
        return known;
      }
      CatalogState fresh = catchUp(known, store.editsAfter(known == null ? 0 : known.lastEditId()));
      if (fresh.editCount() < stamp.count()) {
        // An edit with a lower ID than one already seen: only a full replay is certain.
        fresh = catchUp(null, store.editsAfter(0));
      }
      cached = fresh;
      return fresh;
    }
  }

  /**
   * Applies and stores one edit, serialised with every other writer.
   *
   * @param createdBy the token subject, kept with the edit
   * @throws dev.fleettrust.inventory.InventoryStoreException when PostgreSQL cannot take the write
   */
  public PutOutcome put(CatalogEditSpec spec, String createdBy) {
    Objects.requireNonNull(spec, "spec");
    PutOutcome outcome =
        store.locked(
            connection -> {
              Stamp stamp = CatalogEditStore.stamp(connection);
              CatalogState base = cached;
              if (base == null
                  || base.editCount() != stamp.count()
                  || base.lastEditId() != stamp.lastId()) {
                base = catchUp(null, CatalogEditStore.editsAfter(connection, 0));
              }
              CatalogEdits.Outcome applied = CatalogEdits.apply(base, spec, 0);
              if (applied instanceof CatalogEdits.Outcome.UnknownFamily u) {
                return new PutOutcome.UnknownFamily(u.family());
              }
              if (applied instanceof CatalogEdits.Outcome.InvalidCertificate bad) {
                return new PutOutcome.InvalidCertificate(bad.field(), bad.pem(), bad.error());
              }
              CatalogEdits.Outcome.Applied ok = (CatalogEdits.Outcome.Applied) applied;
              long id = CatalogEditStore.insert(connection, spec, createdBy);
              CatalogState next =
                  new CatalogState(
                      ok.state().catalog(),
                      ok.state().familiesAsPut(),
                      ok.state().buildsAsPut(),
                      ok.state().editCount(),
                      id);
              return new PutOutcome.Saved(next, ok.created());
            });
    if (outcome instanceof PutOutcome.Saved saved) {
      synchronized (this) {
        CatalogState known = cached;
        if (known == null || known.lastEditId() < saved.state().lastEditId()) {
          cached = saved.state();
        }
      }
    }
    return outcome;
  }

  /** {@code edits} replayed over {@code from}, or over the shipped catalog when it is null. */
  private CatalogState catchUp(CatalogState from, List<StoredEdit> edits) {
    CatalogState state = from != null ? from : CatalogState.shipped(shipped);
    for (StoredEdit edit : edits) {
      state = replay(state, edit);
    }
    return state;
  }

  /** Rebuilds the state from the shipped files and every stored edit (what a restart does). */
  CatalogState replayAll() {
    return catchUp(null, store.editsAfter(0));
  }

  private static CatalogState replay(CatalogState state, StoredEdit edit) {
    CatalogDocuments.Parsed<? extends CatalogEditSpec> parsed =
        CatalogDocuments.readStored(edit.kind(), edit.document());
    CatalogState skipped =
        new CatalogState(
            state.catalog(),
            state.familiesAsPut(),
            state.buildsAsPut(),
            state.editCount() + 1,
            edit.id());
    if (!(parsed instanceof CatalogDocuments.Parsed.Ok<? extends CatalogEditSpec> ok)) {
      LOG.warn(
          "Catalog edit {} ({} {}) no longer reads; skipped", edit.id(), edit.kind(), edit.key());
      return skipped;
    }
    CatalogEdits.Outcome outcome = CatalogEdits.apply(state, ok.value(), edit.id());
    if (outcome instanceof CatalogEdits.Outcome.Applied applied) {
      return applied.state();
    }
    // The shipped files changed under a stored edit (a family renamed or removed).
    LOG.warn(
        "Catalog edit {} ({} {}) no longer applies ({}); skipped",
        edit.id(),
        edit.kind(),
        edit.key(),
        outcome);
    return skipped;
  }
}
