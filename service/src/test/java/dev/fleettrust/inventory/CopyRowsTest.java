package dev.fleettrust.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.ingest.IngestTesting;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link CopyRows} writes is what PostgreSQL reads back, escapes and times included. */
class CopyRowsTest {
  @Test
  void textAndTimesSurviveTheRoundTripThroughCopy() throws Exception {
    List<String> texts =
        List.of(
            "plain",
            "{\"reason\":\"line one\\nline two\",\"path\":\"C:\\\\certs\"}",
            "tab\there, newline\nthere, return\rthere, backslash\\there",
            "ünïcode ✓ and \\N as text",
            "");
    List<Instant> times =
        List.of(
            Instant.parse("2026-11-22T05:30:40Z"),
            Instant.parse("2026-11-22T05:30:40.123456Z"),
            Instant.parse("1999-01-02T03:04:05.000001Z"),
            Instant.parse("2026-02-28T23:59:59.999999Z"),
            Instant.parse("0999-12-31T00:00:00Z"));
    CopyRows rows = new CopyRows(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      rows.integer(i).text(texts.get(i)).time(times.get(i)).endRow();
    }
    rows.integer(texts.size()).text(null).time(null).endRow();

    List<String> readTexts = new ArrayList<>();
    List<Instant> readTimes = new ArrayList<>();
    try (Connection connection = IngestTesting.database()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TEMP TABLE copied (n int, t text, at timestamptz)");
        assertThat(rows.copyInto(connection, "copied (n, t, at)")).isEqualTo(texts.size() + 1);
        try (ResultSet result = statement.executeQuery("SELECT t, at FROM copied ORDER BY n")) {
          while (result.next()) {
            readTexts.add(result.getString(1));
            java.time.OffsetDateTime at = result.getObject(2, java.time.OffsetDateTime.class);
            readTimes.add(at == null ? null : at.toInstant());
          }
        }
      }
      connection.rollback();
    }

    List<String> expectedTexts = new ArrayList<>(texts);
    expectedTexts.add(null);
    List<Instant> expectedTimes = new ArrayList<>(times);
    expectedTimes.add(null);
    assertThat(readTexts).isEqualTo(expectedTexts);
    assertThat(readTimes).isEqualTo(expectedTimes);
  }
}
