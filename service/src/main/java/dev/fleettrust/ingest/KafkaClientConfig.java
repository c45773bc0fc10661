package dev.fleettrust.ingest;

import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The Kafka client settings the service shares: every {@code kafka.*} key that is a Kafka client
 * property ({@code kafka.bootstrap.servers}, {@code kafka.security.protocol}, {@code
 * kafka.sasl.jaas.config} ...), without micronaut-kafka's own sections. Set from the environment as
 * {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_JAAS_CONFIG} and so on.
 */
@Singleton
public final class KafkaClientConfig {
  private static final Set<String> MICRONAUT_SECTIONS =
      Set.of("health", "consumers", "producers", "streams", "embedded", "enabled");

  private final Map<String, Object> common;

  KafkaClientConfig(Environment environment) {
    Map<String, Object> common = new HashMap<>();
    environment
        .getProperties("kafka")
        .forEach(
            (key, value) -> {
              String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
              // Kafka's property names never contain '-': from KAFKA_SASL_MECHANISM Micronaut
              // derives sasl-mechanism beside sasl.mechanism, which Kafka would warn about.
              if (!MICRONAUT_SECTIONS.contains(section) && value != null && !key.contains("-")) {
                common.put(key, String.valueOf(value));
              }
            });
    this.common = Map.copyOf(common);
  }

  public Map<String, Object> with(Map<String, Object> specific) {
    Map<String, Object> config = new HashMap<>(common);
    config.putAll(specific);
    return config;
  }
}
