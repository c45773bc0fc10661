/** Starts the service with embedded PostgreSQL and Kafka unless real ones are configured. */
package dev.fleettrust.local;
