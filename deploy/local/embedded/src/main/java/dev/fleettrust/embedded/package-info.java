/** A real PostgreSQL and a real KRaft Kafka broker, for the local default and for tests. */
package dev.fleettrust.embedded;
