package dev.fleettrust.api;

import io.micronaut.health.HealthStatus;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import reactor.core.publisher.Mono;

/**
 * {@code GET /health}: public, and shaped for a phone administrator's monitoring rather than
 * Micronaut's management format: each component (at least {@code database} and {@code kafka}) with
 * its status, {@code 200} when all are up and {@code 503} otherwise. Micronaut's own endpoints stay
 * under {@code /management} for Kubernetes probes.
 */
@Controller("/health")
@Secured(SecurityRule.IS_ANONYMOUS)
final class HealthController {
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);
  private static final Map<String, String> COMPONENT_NAMES = Map.of("jdbc", "database");

  private final List<HealthIndicator> indicators;

  HealthController(List<HealthIndicator> indicators) {
    this.indicators = indicators;
  }

  @Serdeable
  record ComponentHealth(String status, Object details) {}

  @Serdeable
  record Health(String status, Map<String, ComponentHealth> components) {}

  @Get
  @ExecuteOn(TaskExecutors.BLOCKING)
  HttpResponse<Health> health() {
    Map<String, ComponentHealth> components = new TreeMap<>();
    for (HealthIndicator indicator : indicators) {
      HealthResult result = check(indicator);
      if (result == null) {
        continue;
      }
      String name = COMPONENT_NAMES.getOrDefault(result.getName(), result.getName());
      if (name.equals("database") || name.equals("kafka")) {
        components.put(name, new ComponentHealth(statusName(result.getStatus()), details(result)));
      }
    }
    components.putIfAbsent("database", new ComponentHealth("UNKNOWN", null));
    components.putIfAbsent("kafka", new ComponentHealth("UNKNOWN", null));
    boolean allUp = components.values().stream().allMatch(c -> c.status().equals("UP"));
    Health health = new Health(allUp ? "UP" : "DOWN", components);
    return allUp
        ? HttpResponse.ok(health)
        : HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(health);
  }

  /** A component that does not answer in time counts as unknown, never as up. */
  private static HealthResult check(HealthIndicator indicator) {
    return Mono.from(indicator.getResult())
        .timeout(CHECK_TIMEOUT)
        .onErrorResume(e -> Mono.empty())
        .block();
  }

  private static Object details(HealthResult result) {
    Object details = result.getDetails();
    return details instanceof Map<?, ?> map ? map : null;
  }

  private static String statusName(HealthStatus status) {
    String name = status.getName();
    return name.equals("UP") || name.equals("DOWN") ? name : "UNKNOWN";
  }
}
