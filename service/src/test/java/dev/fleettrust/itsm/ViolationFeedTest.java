package dev.fleettrust.itsm;

import static dev.fleettrust.itsm.ItsmTesting.group;
import static dev.fleettrust.itsm.ItsmTesting.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleettrust.testing.IntegrationTest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The violation feed's diff against the open violations, on the real database. */
@MicronautTest(transactional = false)
class ViolationFeedTest extends IntegrationTest {
  @Inject TransactionOperations<Connection> transactions;
  @Inject ViolationFeed feed;

  @BeforeEach
  void clean() {
    ItsmTesting.clear(transactions);
  }

  private ViolationFeed.FeedResult publish(ViolationReport report) {
    return ItsmTesting.publish(transactions, feed, report);
  }

  private List<String> types() {
    return ItsmTesting.outbox(transactions).stream().map(ItsmTesting.Stored::type).toList();
  }

  @Test
  void opensOneMessagePerGroupAndARepeatedRunSendsNothing() {
    ViolationReport nightly =
        report(
            "r1",
            group("ANCHOR_EXPIRED", "CX600", "4.0.7577.107", 1500),
            group("UNTRUSTED_ROOT", "VVX 450", "6.4.0.8174", 12));

    assertThat(publish(nightly)).isEqualTo(new ViolationFeed.FeedResult(2, 0, 0, 0));
    assertThat(publish(nightly)).isEqualTo(new ViolationFeed.FeedResult(0, 0, 0, 2));

    assertThat(types())
        .containsExactly("fleettrust.violation.opened", "fleettrust.violation.opened");
    assertThat(ItsmTesting.outbox(transactions))
        .extracting(ItsmTesting.Stored::dedupKey)
        .containsExactly(
            ViolationFeed.dedupKey("ANCHOR_EXPIRED", "CX600", "4.0.7577.107"),
            ViolationFeed.dedupKey("UNTRUSTED_ROOT", "VVX 450", "6.4.0.8174"));
  }

  @Test
  void aChangedCountIsUpdatedAndAViolationNoLongerFoundIsResolved() {
    publish(
        report(
            "r1",
            group("ANCHOR_EXPIRED", "CX600", "4.0.7577.107", 1500),
            group("UNTRUSTED_ROOT", "VVX 450", "6.4.0.8174", 12)));

    ViolationFeed.FeedResult second =
        publish(report("r2", group("ANCHOR_EXPIRED", "CX600", "4.0.7577.107", 1490)));

    assertThat(second).isEqualTo(new ViolationFeed.FeedResult(0, 1, 1, 0));
    List<ItsmTesting.Stored> stored = ItsmTesting.outbox(transactions);
    assertThat(stored.get(2).type()).isEqualTo("fleettrust.violation.updated");
    assertThat(stored.get(2).event())
        .contains("\"devices\":1490")
        .contains("\"previousDevices\":1500")
        .contains("\"openedAt\":\"2026-12-06T02:00:00Z\"");
    assertThat(stored.get(3).type()).isEqualTo("fleettrust.violation.resolved");
    assertThat(stored.get(3).subject())
        .isEqualTo(ViolationFeed.dedupKey("UNTRUSTED_ROOT", "VVX 450", "6.4.0.8174"));
    assertThat(stored.get(3).event()).contains("\"state\":\"RESOLVED\"").contains("\"devices\":0");
    assertThat(ItsmTesting.count(transactions, "SELECT count(*) FROM itsm_open_violation"))
        .isEqualTo(1);
  }

  @Test
  void aViolationThatReturnsAfterResolvingOpensAgainUnderTheSameKey() {
    ViolationGroup expired = group("ANCHOR_EXPIRED", "CX600", "4.0.7577.107", 3);
    publish(report("r1", expired));
    publish(report("r2"));
    publish(report("r3", expired));

    assertThat(types())
        .containsExactly(
            "fleettrust.violation.opened",
            "fleettrust.violation.resolved",
            "fleettrust.violation.opened");
    assertThat(ItsmTesting.outbox(transactions))
        .extracting(ItsmTesting.Stored::dedupKey)
        .containsOnly(expired.dedupKey());
  }

  @Test
  void aReportTransactionThatRollsBackLeavesNeitherMessagesNorOpenViolations() {
    assertThatThrownBy(
            () ->
                transactions.executeWrite(
                    status -> {
                      feed.publish(
                          status.getConnection(),
                          report("r1", group("ANCHOR_EXPIRED", "CX600", "4.0.7577.107", 3)));
                      throw new IllegalStateException("the report failed after the feed ran");
                    }))
        .hasMessageContaining("the report failed");

    assertThat(ItsmTesting.outbox(transactions)).isEmpty();
    assertThat(ItsmTesting.count(transactions, "SELECT count(*) FROM itsm_open_violation"))
        .isZero();
  }

  @Test
  void theSameGroupTwiceInOneReportIsRefused() {
    assertThatThrownBy(
            () ->
                report(
                    "r1",
                    group("ANCHOR_EXPIRED", "CX600", "4.0.7577.107", 3),
                    group("ANCHOR_EXPIRED", "CX600", "4.0.7577.107", 4)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
