package dev.fleettrust.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** CloudEvents as a collector sends them to {@code POST /api/v1/events}, for tests. */
final class TestEvents {
  private TestEvents() {}

  static Map<String, Object> event(
      String type, String device, Instant time, Map<String, Object> data) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("specversion", "1.0");
    event.put("id", UUID.randomUUID().toString());
    event.put("source", "urn:fleettrust:test");
    event.put("type", type);
    event.put("subject", device);
    event.put("time", time.toString());
    event.put("datacontenttype", "application/json");
    event.put("data", data);
    return event;
  }

  /** A successful sign-in with these values. */
  static Map<String, Object> registered(
      String device, String model, String build, String pool, Instant time) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("model", model);
    data.put("firmware", build);
    data.put("pool", pool);
    data.put("site", "HQ");
    data.put("dialedFqdn", pool);
    data.put("outcome", "SUCCESS");
    return event("device.registered", device, time, data);
  }
}
