package dev.fleettrust.api.security;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.inject.ExecutableMethod;
import io.micronaut.management.endpoint.EndpointSensitivityProcessor;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.security.rules.SensitiveEndpointRule;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * Sensitive management endpoints (metrics, routes, thread dumps, loggers) show the service's inside
 * and some change it: only an admin token opens them. Health stays public for probes.
 */
@Singleton
@Replaces(SensitiveEndpointRule.class)
final class AdminSensitiveEndpointRule extends SensitiveEndpointRule {

  AdminSensitiveEndpointRule(EndpointSensitivityProcessor processor) {
    super(processor);
  }

  @Override
  protected Publisher<SecurityRuleResult> checkSensitiveAuthenticated(
      HttpRequest<?> request, Authentication authentication, ExecutableMethod<?, ?> method) {
    return Publishers.just(
        authentication.getRoles().contains(Role.ADMIN_NAME)
            ? SecurityRuleResult.ALLOWED
            : SecurityRuleResult.REJECTED);
  }
}
