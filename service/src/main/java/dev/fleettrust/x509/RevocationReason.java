package dev.fleettrust.x509;

import java.util.Arrays;
import java.util.Optional;

/** RFC 5280 section 5.3.1 CRLReason codes (7 is unused), with the ReasonFlags bit of each. */
public enum RevocationReason {
  UNSPECIFIED(0),
  KEY_COMPROMISE(1),
  CA_COMPROMISE(2),
  AFFILIATION_CHANGED(3),
  SUPERSEDED(4),
  CESSATION_OF_OPERATION(5),
  CERTIFICATE_HOLD(6),
  REMOVE_FROM_CRL(8),
  PRIVILEGE_WITHDRAWN(9),
  AA_COMPROMISE(10);

  private final int code;

  RevocationReason(int code) {
    this.code = code;
  }

  /** The CRLReason enumeration value. */
  public int code() {
    return code;
  }

  public static Optional<RevocationReason> fromCode(int code) {
    return Arrays.stream(values()).filter(r -> r.code == code).findFirst();
  }
}
