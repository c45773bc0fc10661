package dev.fleettrust.itsm;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The Kafka transport, under {@code fleettrust.itsm.kafka}: structured-mode CloudEvents keyed by
 * dedup key. The connection comes from the service's {@code kafka.*} keys.
 */
@ConfigurationProperties("fleettrust.itsm.kafka")
public record KafkaTransportSettings(
    @Bindable(defaultValue = "false") boolean enabled,
    @Bindable(defaultValue = "fleettrust.itsm") String topic) {}
