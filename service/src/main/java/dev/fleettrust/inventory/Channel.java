package dev.fleettrust.inventory;

/** How an event reached FleetTrust; both carry the same events with the same semantics. */
public enum Channel {
  KAFKA,
  HTTP
}
