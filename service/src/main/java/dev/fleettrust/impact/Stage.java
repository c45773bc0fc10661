package dev.fleettrust.impact;

/** Where in the next sign-in a finding arises, in the order the device goes through them. */
public enum Stage {
  /** Looking the device up in the catalog and the environment. */
  CATALOG,
  /** The pool as a whole: services up, TLS versions offered. */
  POOL,
  /**
   * PIN authentication's HTTPS leg to the web services (seed 000: the old root was still needed).
   */
  PROVISIONING,
  /** TLS to the SIP endpoint (the DEFAULT certificate on 5061). */
  SIGN_IN,
  /** The Exchange EWS/Autodiscover connection (seed 004). */
  EXCHANGE
}
