package dev.fleettrust.impact;

import dev.fleettrust.x509.ClientProfile;
import dev.fleettrust.x509.PathValidator;
import dev.fleettrust.x509.ValidationRequest;
import dev.fleettrust.x509.ValidationResult;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Path validations of one assessment, shared by every profile and every what-if run: thousands of
 * profiles hold the same few anchor sets, so most validations are asked many times. The key names
 * the whole question, so an answer is reused only for the same chain, holdings, host, profile and
 * time.
 */
final class ValidationMemo {
  record Key(
      String chain, String holdings, String host, ClientProfile profile, Instant at, String aia) {}

  private final PathValidator validator;
  private final Map<Key, ValidationResult> results = new ConcurrentHashMap<>();

  ValidationMemo(PathValidator validator) {
    this.validator = validator;
  }

  ValidationResult validate(Key key, Supplier<ValidationRequest> request) {
    ValidationResult r = results.get(key);
    if (r == null) {
      r = validator.validate(request.get());
      results.putIfAbsent(key, r);
    }
    return r;
  }

  int size() {
    return results.size();
  }
}
