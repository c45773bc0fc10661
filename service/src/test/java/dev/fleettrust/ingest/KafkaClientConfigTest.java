package dev.fleettrust.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Kafka client settings every client of the service shares, as the README documents them. */
class KafkaClientConfigTest {
  @Test
  void passesKafkaClientPropertiesThroughWithoutMicronautSectionsOrDerivedVariants() {
    // What Micronaut makes of KAFKA_SASL_MECHANISM=SCRAM-SHA-512 in the environment: the Kafka
    // name and variants with hyphens.
    Map<String, Object> properties =
        Map.of(
            "kafka.bootstrap.servers", "broker-1:9093",
            "kafka.security.protocol", "SASL_SSL",
            "kafka.sasl.mechanism", "SCRAM-SHA-512",
            "kafka.sasl-mechanism", "SCRAM-SHA-512",
            "kafka.health.enabled", "true");
    try (ApplicationContext context = ApplicationContext.builder().properties(properties).build()) {
      context.getEnvironment().start();
      Map<String, Object> config =
          new KafkaClientConfig(context.getEnvironment()).with(Map.of("group.id", "g"));
      assertThat(config)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "bootstrap.servers", "broker-1:9093",
                  "security.protocol", "SASL_SSL",
                  "sasl.mechanism", "SCRAM-SHA-512",
                  "group.id", "g"));
    }
  }
}
