package dev.fleettrust.impact;

import dev.fleettrust.trust.Rule;

/**
 * The remediation sentence of each rule (trust-rules.md, "remediation the engine should propose").
 */
final class Advice {
  private Advice() {}

  static String forRule(Rule rule) {
    return switch (rule) {
      case UNTRUSTED_ROOT ->
          "Upgrade the firmware to the first build whose built-in store holds the root (LPE: CU11"
              + " 4.0.7577.4420 for the 2013/14 public CA changes); or publish the chain in AD"
              + " (certutil -f -dspublish <file> RootCA) and sign in again by USB/AD credentials; or"
              + " add the chain to TrustedCACerts with InferCertChainFromSSL $False and re-provision"
              + " by PIN.";
      case MISSING_INTERMEDIATE ->
          "Sign in once with PIN authentication (it downloads the intermediate over port 80); serve"
              + " the full chain; or add the intermediate to TrustedCACerts (IntermediateCA store).";
      case WILDCARD_UNSUPPORTED ->
          "Add the exact FQDN the device dials as a SAN entry; or upgrade the firmware to"
              + " 4.0.7577.4100 or later first (the upgrade itself needs a working TLS path, so do it"
              + " before the change).";
      case HOSTNAME_MISMATCH -> "Reissue the certificate with the FQDN in its SAN.";
      case SIGNATURE_ALGORITHM_UNSUPPORTED ->
          "Reissue the CA and the leaf with SHA256 (SHA1 for a legacy fleet without SHA-2); or"
              + " upgrade the firmware.";
      case REVOCATION_UNREACHABLE ->
          "Publish the AIA/CDP host in internal DNS (a CNAME to an online CA holding the CRL and"
              + " the certificate), or reissue with reachable AIA/CDP URLs.";
      case PROVISIONED_CHAIN_MISMATCH ->
          "New-CsWebTrustedCACertificate for the old root, the new root and the issuing CA;"
              + " Set-CsWebServiceConfiguration -TrustedCACerts @{Add=...} -InferCertChainFromSSL"
              + " $False; then let the phones re-provision.";
      case EWS_ISSUER_NOT_TRUSTED ->
          "Reissue the Exchange certificate from the CA that issued the pool's certificate; or add"
              + " the Exchange certificate's CA to TrustedCACerts (New-CsWebTrustedCACertificate).";
      case ANCHOR_EXPIRED ->
          "Upgrade the firmware to a build with a current copy of the root; or move to a chain"
              + " anchored in a root the firmware still holds.";
      case CERTIFICATE_EXPIRED, NOT_YET_VALID -> "Reissue the certificate or fix the change date.";
      case TLS_VERSION_UNSUPPORTED ->
          "Keep TLS 1.0 enabled on the endpoints these devices use, or retire the devices.";
      case KEY_UNSUPPORTED -> "Reissue with a key the firmware supports (RSA 2048).";
      case MODEL_NOT_IN_CATALOG ->
          "Add the model to the catalog (PUT /catalog/models/{model}) with its family.";
      case FIRMWARE_NOT_IN_CATALOG ->
          "Add the build to the catalog (PUT /catalog/families/{family}/builds/{build}).";
      case POOL_NOT_IN_ENVIRONMENT ->
          "Add the pool and its certificates to the environment (PUT /environment).";
      case TRUST_STORE_UNKNOWN ->
          "Collect the device's trust store (device.trust-store-reported) or record its"
              + " provisioning, or add the build's built-in roots to the catalog.";
      default -> "Fix the chain so that it validates (RFC 5280).";
    };
  }
}
