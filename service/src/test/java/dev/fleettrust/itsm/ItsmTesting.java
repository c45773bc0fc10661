package dev.fleettrust.itsm;

import dev.fleettrust.testing.contract.ItsmMessageContract;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.transaction.TransactionOperations;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Shared by the ITSM tests: a clean outbox, reports to feed, and what the outbox holds. */
final class ItsmTesting {
  private ItsmTesting() {}

  /** One stored message, as the outbox holds it. */
  record Stored(String messageId, String type, String subject, String dedupKey, String event) {}

  static void clear(TransactionOperations<Connection> transactions) {
    transactions.executeWrite(
        status -> {
          try (Statement statement = status.getConnection().createStatement()) {
            statement.execute("TRUNCATE itsm_delivery, itsm_outbox, itsm_open_violation");
          }
          return null;
        });
  }

  /** What the outbox holds, every message checked against the ITSM message schema first. */
  static List<Stored> outbox(TransactionOperations<Connection> transactions) {
    List<Stored> stored = stored(transactions);
    for (Stored message : stored) {
      List<String> violations = ItsmMessageContract.violations(message.event());
      if (!violations.isEmpty()) {
        throw new AssertionError(
            "A stored message drifted from api-spec/events: " + violations + "\n" + message);
      }
    }
    return stored;
  }

  private static List<Stored> stored(TransactionOperations<Connection> transactions) {
    return transactions.executeRead(
        status -> {
          List<Stored> stored = new ArrayList<>();
          try (PreparedStatement query =
                  status
                      .getConnection()
                      .prepareStatement(
                          "SELECT message_id, type, subject, dedup_key, event::text"
                              + " FROM itsm_outbox ORDER BY id");
              ResultSet row = query.executeQuery()) {
            while (row.next()) {
              stored.add(
                  new Stored(
                      row.getString(1),
                      row.getString(2),
                      row.getString(3),
                      row.getString(4),
                      row.getString(5)));
            }
          }
          return stored;
        });
  }

  static ViolationFeed.FeedResult publish(
      TransactionOperations<Connection> transactions, ViolationFeed feed, ViolationReport report) {
    return transactions.executeWrite(status -> feed.publish(status.getConnection(), report));
  }

  /** Sends the request, which the service must refuse, and returns the refusal. */
  static HttpClientResponseException refused(HttpClient client, HttpRequest<?> request) {
    try {
      client.toBlocking().exchange(request, String.class);
    } catch (HttpClientResponseException e) {
      return e;
    }
    throw new AssertionError("the request was accepted: " + request);
  }

  static ViolationGroup group(String rule, String model, String build, int devices) {
    return new ViolationGroup(
        rule,
        model,
        build,
        devices,
        Map.of("BREAKS", devices),
        devices + " " + model + " on " + build + ": " + rule,
        URI.create(
            "http://localhost:8080/api/v1/devices?model="
                + URLEncoder.encode(model, StandardCharsets.UTF_8)
                + "&firmware="
                + URLEncoder.encode(build, StandardCharsets.UTF_8)));
  }

  /**
   * A nightly report over three violations the tests share: ANCHOR_EXPIRED on CX600, UNTRUSTED_ROOT
   * on VVX 450, WILDCARD_UNSUPPORTED on CX700, with these device counts (0 leaves one out).
   */
  static ViolationReport nightly(String id, int cx600, int vvx450, int cx700) {
    List<ViolationGroup> groups = new ArrayList<>();
    if (cx600 > 0) {
      groups.add(group("ANCHOR_EXPIRED", "CX600", "4.0.7577.107", cx600));
    }
    if (vvx450 > 0) {
      groups.add(group("UNTRUSTED_ROOT", "VVX 450", "6.4.0.8174", vvx450));
    }
    if (cx700 > 0) {
      groups.add(group("WILDCARD_UNSUPPORTED", "CX700", "4.0.7577.4100", cx700));
    }
    return report(id, groups.toArray(ViolationGroup[]::new));
  }

  static ViolationReport report(String id, ViolationGroup... groups) {
    return new ViolationReport(id, Instant.parse("2026-12-06T02:00:00Z"), List.of(groups));
  }

  static int count(TransactionOperations<Connection> transactions, String sql) {
    return transactions.executeRead(
        status -> {
          try (Statement statement = status.getConnection().createStatement();
              ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getInt(1);
          }
        });
  }
}
