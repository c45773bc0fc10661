/**
 * The device inventory in PostgreSQL: what each phone is, what it trusts and where that came from,
 * its event history and sign-in outcomes, and the trust profile it shares with devices in the same
 * situation. Written by {@code ingest}, read by the API and the engine.
 */
package dev.fleettrust.inventory;
