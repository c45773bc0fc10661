package dev.fleettrust.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.catalog.CatalogEditSpec.BuildSpec;
import dev.fleettrust.catalog.CatalogEditSpec.FamilySpec;
import dev.fleettrust.trust.Catalog;
import dev.fleettrust.trust.CatalogJson;
import dev.fleettrust.trust.ProvisioningMethod;
import dev.fleettrust.trust.ResolvedFirmware;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Edits applied to the shipped catalog without a database: what replay relies on. */
class CatalogEditsTest {
  private static final Catalog SHIPPED = CatalogJson.loadBundled();

  @Test
  void puttingBackWhatGetShowsKeepsTheCapabilitiesTheApiCannotExpress() {
    CatalogState shipped = CatalogState.shipped(SHIPPED);
    FamilySpec shown = shipped.family("WINDOWS-CLIENT").orElseThrow();

    CatalogState edited = applied(CatalogEdits.apply(shipped, shown, 1));

    ResolvedFirmware before = resolve(SHIPPED, "WINDOWS-CLIENT", "16.0.1");
    ResolvedFirmware after = resolve(edited.catalog(), "WINDOWS-CLIENT", "16.0.1");
    assertThat(before.capabilities().osManagedTrust()).isTrue();
    assertThat(after.capabilities()).isEqualTo(before.capabilities());
    assertThat(
            resolve(edited.catalog(), "LPE-AIRES", "4.0.7577.4420")
                .capabilities()
                .provisioningMethods())
        .containsExactlyInAnyOrder(ProvisioningMethod.PIN_AUTH, ProvisioningMethod.USB_TETHER);
  }

  @Test
  void aStoredEditReadBackAppliesToTheSameCatalogVersion() {
    CatalogState shipped = CatalogState.shipped(SHIPPED);
    BuildSpec spec =
        new BuildSpec(
            "lpe-aries",
            "4.0.7577.4999",
            "hypothetical",
            Optional.of(LocalDate.parse("2016-01-01")),
            CapabilitiesSpec.NONE,
            RootsSpec.UNKNOWN,
            Optional.of("CatalogEditsTest"));

    CatalogState direct = applied(CatalogEdits.apply(shipped, spec, 7));
    CatalogDocuments.Parsed<? extends CatalogEditSpec> stored =
        CatalogDocuments.readStored(spec.kind(), CatalogDocuments.writeStored(spec));
    CatalogState replayed =
        applied(
            CatalogEdits.apply(
                shipped,
                ((CatalogDocuments.Parsed.Ok<? extends CatalogEditSpec>) stored).value(),
                7));

    assertThat(replayed.catalog().version())
        .isEqualTo(direct.catalog().version())
        .isNotEqualTo(SHIPPED.version());
    assertThat(replayed.build("LPE-AIRES", "4.0.7577.4999"))
        .isEqualTo(direct.build("LPE-AIRES", "4.0.7577.4999"));
    assertThat(direct.build("LPE-AIRES", "4.0.7577.4999").orElseThrow().builtInRootsKnown())
        .isFalse();
    assertThat(direct.lastEditId()).isEqualTo(7);
    assertThat(direct.editCount()).isEqualTo(1);
  }

  private static CatalogState applied(CatalogEdits.Outcome outcome) {
    assertThat(outcome).isInstanceOf(CatalogEdits.Outcome.Applied.class);
    return ((CatalogEdits.Outcome.Applied) outcome).state();
  }

  private static ResolvedFirmware resolve(Catalog catalog, String family, String build) {
    return catalog.resolveBuild(family, build).orElseThrow();
  }
}
