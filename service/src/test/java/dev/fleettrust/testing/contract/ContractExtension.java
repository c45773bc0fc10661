package dev.fleettrust.testing.contract;

import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test (JUnit extension auto-detection): fails a test during which any API
 * response drifted from {@code api-spec/openapi.yaml}.
 */
public final class ContractExtension implements BeforeEachCallback, AfterEachCallback {
  @Override
  public void beforeEach(ExtensionContext context) {
    ContractViolations.drain();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> violations = ContractViolations.drain();
    if (!violations.isEmpty()) {
      throw new AssertionError(
          "API responses drifted from api-spec/openapi.yaml:\n  "
              + String.join("\n  ", violations));
    }
  }
}
