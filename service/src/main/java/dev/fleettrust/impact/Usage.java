package dev.fleettrust.impact;

/** The pool certificate usages devices meet (contract.md, "Usages"). */
public enum Usage {
  /** SIP/TLS on 5061: what the device signs in to. */
  DEFAULT,
  /** The internal web services: PIN authentication and the certificate provisioning service. */
  WEB_SERVICES_INTERNAL,
  /** The external web services. */
  WEB_SERVICES_EXTERNAL
}
