package dev.fleettrust.apispec;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Builds a swagger-request-validator that enforces the OpenAPI 3.1 document's types.
 *
 * <p>swagger-request-validator 2.x serialises each schema with swagger-core's OpenAPI 3.0
 * mapper, which drops 3.1 {@code type} (kept in {@code Schema.getTypes()}): every type check
 * silently disappears and string-or-object unions stop telling their branches apart. Copying
 * the 3.1 types into the 3.0 {@code type}/{@code nullable} pair before building the validator
 * restores them. Copy this class into the contract test as is.
 */
public final class OpenApi31Compat {

  private OpenApi31Compat() {}

  /** A validator for the spec at {@code openApiYaml}, with 3.1 types enforced. */
  public static OpenApiInteractionValidator.Builder validatorFor(Path openApiYaml) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(true);
    options.setResolveCombinators(false); // as the validator does when it parses itself
    OpenAPI api =
        new OpenAPIV3Parser().readLocation(openApiYaml.toUri().toString(), null, options).getOpenAPI();
    if (api == null) {
      throw new IllegalArgumentException("Cannot parse " + openApiYaml);
    }
    copyTypes(api);
    return OpenApiInteractionValidator.createFor(api);
  }

  /** Sets {@code type} and {@code nullable} from the 3.1 {@code types} on every reachable schema. */
  public static void copyTypes(OpenAPI api) {
    Set<Schema<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    var components = api.getComponents();
    if (components != null) {
      if (components.getSchemas() != null) {
        components.getSchemas().values().forEach(s -> walk(s, seen));
      }
      if (components.getParameters() != null) {
        components.getParameters().values().forEach(p -> walk(p.getSchema(), seen));
      }
      if (components.getHeaders() != null) {
        components.getHeaders().values().forEach(h -> walk(h.getSchema(), seen));
      }
      if (components.getResponses() != null) {
        components.getResponses().values().forEach(r -> {
          walk(r.getContent(), seen);
          if (r.getHeaders() != null) {
            r.getHeaders().values().forEach(h -> walk(h.getSchema(), seen));
          }
        });
      }
    }
    api.getPaths().values().forEach(item -> {
      if (item.getParameters() != null) {
        item.getParameters().forEach(p -> walk(p.getSchema(), seen));
      }
      item.readOperations().forEach(op -> {
        if (op.getParameters() != null) {
          op.getParameters().forEach(p -> walk(p.getSchema(), seen));
        }
        if (op.getRequestBody() != null) {
          walk(op.getRequestBody().getContent(), seen);
        }
        op.getResponses().values().forEach(r -> {
          walk(r.getContent(), seen);
          if (r.getHeaders() != null) {
            r.getHeaders().values().forEach(h -> walk(h.getSchema(), seen));
          }
        });
      });
    });
  }

  private static void walk(Content content, Set<Schema<?>> seen) {
    if (content != null) {
      content.values().forEach(media -> walk(media.getSchema(), seen));
    }
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void walk(Schema<?> schema, Set<Schema<?>> seen) {
    if (schema == null || !seen.add(schema)) {
      return;
    }
    Set<String> types = schema.getTypes();
    if (types != null && !types.isEmpty() && schema.getType() == null) {
      List<String> nonNull = types.stream().filter(t -> !t.equals("null")).toList();
      if (nonNull.size() == 1) {
        schema.setType(nonNull.get(0));
      } else if (nonNull.isEmpty()) {
        schema.setType("null");
      }
      // Several non-null types (e.g. string or object) stay untyped: the anyOf/oneOf
      // branches beside them carry the types.
      if (types.contains("null") && !nonNull.isEmpty()) {
        schema.setNullable(true);
      }
    }
    if (schema.getProperties() != null) {
      schema.getProperties().values().forEach(p -> walk((Schema) p, seen));
    }
    if (schema.getPatternProperties() != null) {
      schema.getPatternProperties().values().forEach(p -> walk((Schema) p, seen));
    }
    if (schema.getAdditionalProperties() instanceof Schema additional) {
      walk(additional, seen);
    }
    walk(schema.getItems(), seen);
    walk(schema.getNot(), seen);
    for (List<Schema> list :
        Arrays.asList(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf(), schema.getPrefixItems())) {
      if (list != null) {
        list.forEach(s -> walk(s, seen));
      }
    }
  }
}
