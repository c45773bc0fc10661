package dev.fleettrust.testing.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks an outbound ITSM message (a CloudEvent FleetTrust sends) against {@code
 * api-spec/events/itsm-message.schema.json}, read from disk so its relative {@code $ref}s resolve
 * as written.
 */
public final class ItsmMessageContract {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchema SCHEMA = load();

  private ItsmMessageContract() {}

  /** Everything about the message the schema does not allow; empty when it keeps it. */
  public static List<String> violations(String message) {
    try {
      return SCHEMA.validate(JSON.readTree(message)).stream()
          .map(ValidationMessage::getMessage)
          .toList();
    } catch (IOException e) {
      return List.of("not JSON: " + e.getMessage());
    }
  }

  private static JsonSchema load() {
    Path spec = Path.of(System.getProperty("fleettrust.api.spec", "../api-spec/openapi.yaml"));
    Path schema = spec.toAbsolutePath().getParent().resolve("events/itsm-message.schema.json");
    if (!schema.toFile().isFile()) {
      throw new UncheckedIOException(new IOException("No ITSM message schema at " + schema));
    }
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(SchemaLocation.of(schema.normalize().toUri().toString()), config);
  }
}
