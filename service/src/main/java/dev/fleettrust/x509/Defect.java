package dev.fleettrust.x509;

/**
 * Something wrong with how a certificate is built, found while parsing.
 *
 * @param fatal true when no TLS stack can use the certificate (an extension that does not parse,
 *     mismatched signature algorithm fields); false for issuance-rule breaches that only strict
 *     validators refuse ({@link ClientProfile#strictIssuanceChecks()})
 * @param rule the finding a validator reports for it
 * @param detail what is wrong, in words an administrator can pass on to the CA
 */
record Defect(boolean fatal, RuleId rule, String detail) {
  static Defect fatal(String detail) {
    return new Defect(true, RuleId.MALFORMED_CERTIFICATE, detail);
  }

  static Defect issuance(String detail) {
    return new Defect(false, RuleId.MALFORMED_CERTIFICATE, detail);
  }
}
