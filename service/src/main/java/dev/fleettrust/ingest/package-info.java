/**
 * Device events in: CloudEvents from Kafka (structured and binary mode) and from {@code POST
 * /api/v1/events}, decoded and validated against contract.md, then written to the inventory one
 * transaction per batch. Bad events go to the dead-letter topic and the {@code rejected_event}
 * table; nothing blocks a partition.
 */
package dev.fleettrust.ingest;
