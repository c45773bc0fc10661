/** Benchmarks: JMH for the engine, load drivers for ingestion and the API. */
package dev.fleettrust.bench;
