package dev.fleettrust.testing;

import dev.fleettrust.embedded.SharedInfrastructure;
import io.micronaut.test.support.TestPropertyProvider;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of every test that needs the running service: it points Micronaut at the one PostgreSQL and
 * the one Kafka broker shared by the whole test run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class IntegrationTest implements TestPropertyProvider {
  /** One signing secret per test run, so no token minted elsewhere is accepted. */
  public static final String JWT_SECRET = randomSecret();

  @Override
  public Map<String, String> getProperties() {
    return infrastructureProperties();
  }

  public static Map<String, String> infrastructureProperties() {
    SharedInfrastructure.Endpoints endpoints = SharedInfrastructure.endpoints();
    return Map.of(
        "datasources.default.url", endpoints.jdbcUrl(),
        "datasources.default.username", endpoints.username(),
        "datasources.default.password", endpoints.password(),
        "kafka.bootstrap.servers", endpoints.kafkaBootstrapServers(),
        "micronaut.security.token.jwt.signatures.secret.generator.secret", JWT_SECRET,
        // A free port, not the service's 8080: the tests must run beside a local service and
        // beside another checkout's tests.
        "micronaut.server.port", "-1");
  }

  private static String randomSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
