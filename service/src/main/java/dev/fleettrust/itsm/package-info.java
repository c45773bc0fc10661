/**
 * The feed into ITSM tools (ServiceNow, Jira Service Management): change-risk records for
 * assessments and one ticket per compliance violation, as CloudEvents 1.0.
 *
 * <p>Other packages call {@link dev.fleettrust.itsm.ItsmOutbox}, {@link
 * dev.fleettrust.itsm.ImpactFeed} or {@link dev.fleettrust.itsm.ViolationFeed} inside their own
 * JDBC transaction: the message is stored in the outbox with the state that caused it, or not at
 * all. The relay ({@code OutboxRelay}) sends each stored message by every configured transport
 * (Kafka, signed webhooks), at least once and in order per dedup key; receivers drop repeats by the
 * message ID.
 */
package dev.fleettrust.itsm;
