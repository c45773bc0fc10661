package dev.fleettrust.catalog;

import dev.fleettrust.catalog.CatalogEditSpec.BuildSpec;
import dev.fleettrust.catalog.CatalogEditSpec.FamilySpec;
import dev.fleettrust.trust.BuildNumber;
import dev.fleettrust.trust.BuiltInRoot;
import dev.fleettrust.trust.CapabilityOverrides;
import dev.fleettrust.trust.Catalog;
import dev.fleettrust.trust.FirmwareBuild;
import dev.fleettrust.trust.FirmwareFamily;
import dev.fleettrust.trust.RootStore;
import dev.fleettrust.x509.DistinguishedName;
import dev.fleettrust.x509.TrustAnchor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The catalog in force after a number of stored edits, with the family and build documents as they
 * were last put, so that a {@code GET} answers exactly what the {@code PUT} said (including what
 * the engine does not keep: a family's display name and vendor, {@code minTlsVersion}, PEM text as
 * pasted).
 *
 * @param familiesAsPut last put document per family, keyed by the catalog's family ID
 * @param buildsAsPut last put document per build, keyed by {@link #buildKey}
 * @param editCount how many stored edits this state includes
 * @param lastEditId the ID of the last stored edit included, 0 for none
 */
public record CatalogState(
    Catalog catalog,
    Map<String, FamilySpec> familiesAsPut,
    Map<String, BuildSpec> buildsAsPut,
    long editCount,
    long lastEditId) {

  public CatalogState {
    Objects.requireNonNull(catalog, "catalog");
    familiesAsPut = Map.copyOf(familiesAsPut);
    buildsAsPut = Map.copyOf(buildsAsPut);
  }

  /** The shipped catalog before any edit. */
  public static CatalogState shipped(Catalog catalog) {
    return new CatalogState(catalog, Map.of(), Map.of(), 0, 0);
  }

  static String buildKey(String familyId, BuildNumber build) {
    return familyId + "|" + build.key();
  }

  /** A family's defaults by ID or alias, as last put or as shipped. */
  public Optional<FamilySpec> family(String idOrAlias) {
    return catalog.family(idOrAlias).map(this::familyView);
  }

  /** A catalogued build (exactly this number, no series match) of a family. */
  public Optional<BuildView> build(String familyIdOrAlias, String build) {
    Optional<FirmwareFamily> family = catalog.family(familyIdOrAlias);
    if (family.isEmpty()) {
      return Optional.empty();
    }
    BuildNumber number;
    try {
      number = BuildNumber.parse(build);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return family.get().build(number).map(b -> buildView(family.get(), b));
  }

  private FamilySpec familyView(FirmwareFamily f) {
    FamilySpec put = familiesAsPut.get(f.id());
    if (put != null) {
      return new FamilySpec(
          f.id(),
          put.displayName(),
          put.vendor(),
          put.capabilities(),
          put.builtInRoots(),
          put.source());
    }
    return new FamilySpec(
        f.id(),
        Optional.of(f.name()),
        Optional.of(f.vendor()).filter(v -> !v.isEmpty()),
        new CapabilitiesSpec(f.defaults(), Optional.empty()),
        describe(f.builtInRoots()),
        describe(f.sources()));
  }

  private BuildView buildView(FirmwareFamily f, FirmwareBuild b) {
    BuildSpec put = buildsAsPut.get(buildKey(f.id(), b.build()));
    BuildSpec stated =
        put != null
            ? new BuildSpec(
                f.id(),
                b.build().text(),
                put.releaseName(),
                put.releasedOn(),
                put.capabilities(),
                put.builtInRoots(),
                put.source())
            : new BuildSpec(
                f.id(),
                b.build().text(),
                b.releaseName().orElse(b.build().text()),
                b.releasedOn(),
                new CapabilitiesSpec(b.capabilities(), Optional.empty()),
                b.builtInRoots().map(CatalogState::describe).orElse(RootsSpec.INHERIT),
                describe(b.sources()));
    Map<String, Object> merged = new LinkedHashMap<>(f.defaults().toMap());
    merged.putAll(b.capabilities().toMap());
    CapabilityOverrides effective =
        ((CapabilityOverrides.Parsed.Ok) CapabilityOverrides.fromMap(merged)).overrides();
    FamilySpec family = familyView(f);
    CapabilitiesSpec effectiveSpec =
        new CapabilitiesSpec(
            effective,
            stated.capabilities().minTlsVersion().or(() -> family.capabilities().minTlsVersion()));
    boolean known = b.builtInRoots().orElse(f.builtInRoots()).isKnown();
    return new BuildView(stated, effectiveSpec, known);
  }

  /** The API form of an engine root store that was shipped rather than put. */
  static RootsSpec describe(RootStore store) {
    if (!(store instanceof RootStore.Known known)) {
      return RootsSpec.UNKNOWN;
    }
    List<RootSpec> roots = new ArrayList<>();
    for (BuiltInRoot r : known.roots()) {
      if (r.anchor() instanceof TrustAnchor.OfCertificate c) {
        roots.add(new RootSpec.Pem(c.certificate().toPem()));
      } else {
        TrustAnchor a = r.anchor();
        roots.add(
            new RootSpec.Identity(
                subject(a.subjectCanonical(), r.label()),
                a.spkiSha256().toUpperCase(Locale.ROOT),
                a.notAfter()));
      }
    }
    return new RootsSpec.Listed(roots);
  }

  /**
   * An RFC 4514 subject for an identity anchor, which the engine keeps only in canonical form: the
   * label when it is that name, else the canonical name with attribute names for the OIDs.
   */
  private static String subject(String canonical, String label) {
    try {
      if (DistinguishedName.fromRfc4514(label).canonical().equals(canonical)) {
        return label;
      }
    } catch (IllegalArgumentException e) {
      // A label such as "Baltimore CyberTrust Root" is not a name; fall through.
    }
    try {
      DistinguishedName named = DistinguishedName.fromRfc4514(canonical);
      if (named.canonical().equals(canonical)) {
        return named.rfc4514();
      }
    } catch (IllegalArgumentException e) {
      // The canonical form with OIDs is itself a valid RFC 4514 string.
    }
    return canonical;
  }

  /** Where a shipped entry's facts come from, one {@code fact: source} per fact. */
  private static Optional<String> describe(Map<String, String> sources) {
    if (sources.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder sb = new StringBuilder();
    sources.forEach(
        (fact, source) ->
            sb.append(sb.length() == 0 ? "" : "; ").append(fact).append(": ").append(source));
    String text = sb.toString();
    return Optional.of(text.length() <= 2048 ? text : text.substring(0, 2045) + "...");
  }
}
