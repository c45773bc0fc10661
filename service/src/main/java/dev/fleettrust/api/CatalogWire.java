package dev.fleettrust.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fleettrust.catalog.BuildView;
import dev.fleettrust.catalog.CapabilitiesSpec;
import dev.fleettrust.catalog.CatalogDocuments;
import dev.fleettrust.catalog.CatalogEditSpec.BuildSpec;
import dev.fleettrust.catalog.CatalogEditSpec.FamilySpec;
import dev.fleettrust.catalog.RootSpec;
import dev.fleettrust.catalog.RootsSpec;
import dev.fleettrust.trust.DeviceModel;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalog responses of api-spec/openapi.yaml ({@code CatalogModel}, {@code FirmwareFamily},
 * {@code FirmwareBuild}, {@code Capabilities}), mapped from the catalog's views.
 */
final class CatalogWire {
  private CatalogWire() {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Model(String model, String vendor, String family, String catalogVersion) {
    static Model of(DeviceModel m, String catalogVersion) {
      return new Model(m.model(), m.vendor(), m.family(), catalogVersion);
    }
  }

  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Capabilities(
      Boolean wildcardNames,
      List<String> signatureAlgorithms,
      Boolean usbTetherSkipsIntermediates,
      Boolean checksRevocationReachability,
      String maxTlsVersion,
      String minTlsVersion,
      Boolean ewsTrustsOnlyPoolIssuer,
      List<String> keyTypes,
      Integer minRsaKeyBits,
      Integer maxRsaKeyBits,
      Boolean requiresServerAuthEku,
      Boolean fetchesIntermediatesFromAia,
      Integer maxChainDepth) {

    @SuppressWarnings("unchecked")
    static Capabilities of(CapabilitiesSpec spec) {
      Map<String, Object> v = CatalogDocuments.capabilitiesView(spec);
      return new Capabilities(
          (Boolean) v.get("wildcardNames"),
          (List<String>) v.get("signatureAlgorithms"),
          (Boolean) v.get("usbTetherSkipsIntermediates"),
          (Boolean) v.get("checksRevocationReachability"),
          (String) v.get("maxTlsVersion"),
          (String) v.get("minTlsVersion"),
          (Boolean) v.get("ewsTrustsOnlyPoolIssuer"),
          (List<String>) v.get("keyTypes"),
          (Integer) v.get("minRsaKeyBits"),
          (Integer) v.get("maxRsaKeyBits"),
          (Boolean) v.get("requiresServerAuthEku"),
          (Boolean) v.get("fetchesIntermediatesFromAia"),
          (Integer) v.get("maxChainDepth"));
    }
  }

  /** {@code builtInRoots} is always present on a family: {@code null} when unknown. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Family(
      String family,
      String displayName,
      String vendor,
      Capabilities capabilities,
      @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode builtInRoots,
      String source,
      String catalogVersion) {
    static Family of(FamilySpec f, String catalogVersion) {
      return new Family(
          f.family(),
          f.displayName().orElse(null),
          f.vendor().orElse(null),
          Capabilities.of(f.capabilities()),
          roots(f.builtInRoots()),
          f.source().orElse(null),
          catalogVersion);
    }
  }

  /**
   * {@code builtInRoots} is absent when the build inherits the family's store, {@code null} when
   * its store is unknown, else the list.
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Build(
      String family,
      String build,
      String releaseName,
      @JsonInclude(JsonInclude.Include.ALWAYS) String releasedOn,
      Capabilities capabilities,
      JsonNode builtInRoots,
      String source,
      Capabilities effectiveCapabilities,
      boolean builtInRootsKnown,
      String catalogVersion) {
    static Build of(BuildView view, String catalogVersion) {
      BuildSpec b = view.stated();
      return new Build(
          b.family(),
          b.build(),
          b.releaseName(),
          b.releasedOn().map(Object::toString).orElse(null),
          Capabilities.of(b.capabilities()),
          b.builtInRoots() instanceof RootsSpec.Inherit ? null : roots(b.builtInRoots()),
          b.source().orElse(null),
          Capabilities.of(view.effectiveCapabilities()),
          view.builtInRootsKnown(),
          catalogVersion);
    }
  }

  private static JsonNode roots(RootsSpec roots) {
    if (!(roots instanceof RootsSpec.Listed listed)) {
      return JsonNode.nullNode();
    }
    List<JsonNode> items = new ArrayList<>();
    for (RootSpec r : listed.roots()) {
      if (r instanceof RootSpec.Pem p) {
        items.add(JsonNode.createStringNode(p.pem()));
      } else {
        RootSpec.Identity i = (RootSpec.Identity) r;
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("subject", JsonNode.createStringNode(i.subject()));
        fields.put("spkiSha256", JsonNode.createStringNode(i.spkiSha256()));
        i.notAfter()
            .ifPresent(t -> fields.put("notAfter", JsonNode.createStringNode(t.toString())));
        items.add(JsonNode.createObjectNode(fields));
      }
    }
    return JsonNode.createArrayNode(items);
  }
}
