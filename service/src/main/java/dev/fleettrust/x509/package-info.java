/**
 * Certificate analysis and chain validation: the only package that imports Bouncy Castle (issue 3).
 * Public types carry no Bouncy Castle type; everything else in FleetTrust sees {@link
 * dev.fleettrust.x509.Certificate}, {@link dev.fleettrust.x509.CertificateFacts} and the validation
 * records.
 */
package dev.fleettrust.x509;
