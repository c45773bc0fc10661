package dev.fleettrust.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the local default reads from its environment, with the documented defaults. */
record LocalSettings(
    Path home,
    Optional<String> databaseUrl,
    Optional<String> kafkaBootstrapServers,
    Optional<String> jwtSecret,
    int kafkaPort,
    int postgresPort,
    boolean demo) {

  static LocalSettings fromEnvironment(Map<String, String> env, String[] args) {
    Path home =
        Path.of(
            nonBlank(env.get("FLEETTRUST_HOME"))
                .orElse(System.getProperty("user.home") + "/.fleettrust"));
    return new LocalSettings(
        home.toAbsolutePath(),
        nonBlank(env.get("DATASOURCES_DEFAULT_URL")),
        nonBlank(env.get("KAFKA_BOOTSTRAP_SERVERS")),
        nonBlank(env.get("FLEETTRUST_JWT_SECRET")),
        port(env, "FLEETTRUST_KAFKA_PORT", 9092),
        port(env, "FLEETTRUST_POSTGRES_PORT", 0),
        List.of(args).contains("--demo"));
  }

  private static int port(Map<String, String> env, String name, int defaultPort) {
    Optional<String> value = nonBlank(env.get(name));
    if (value.isEmpty()) {
      return defaultPort;
    }
    try {
      int port = Integer.parseInt(value.get().trim());
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a port number, not '" + value.get() + "'");
    }
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}
