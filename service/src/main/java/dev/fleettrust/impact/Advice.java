package dev.fleettrust.impact;

import dev.fleettrust.trust.Rule;

/**
 * The sentences of each rule: what it means for a fleet, and the remediation (trust-rules.md,
 * "remediation the engine should propose").
 */
final class Advice {
  private Advice() {}

  /** What the rule means, in a phone administrator's words (the summary's per-rule message). */
  static String summary(Rule rule) {
    return switch (rule) {
      case UNTRUSTED_ROOT -> "The chain leads to a root these devices do not hold.";
      case MISSING_INTERMEDIATE ->
          "The server does not send an intermediate these devices do not hold and cannot fetch.";
      case WILDCARD_UNSUPPORTED ->
          "The FQDN the devices dial is covered only by a wildcard SAN, which their firmware"
              + " refuses.";
      case HOSTNAME_MISMATCH -> "No name in the certificate matches the FQDN the devices dial.";
      case SIGNATURE_ALGORITHM_UNSUPPORTED ->
          "A certificate is signed with an algorithm the firmware (or Lync/SfB itself) does not"
              + " support.";
      case REVOCATION_UNREACHABLE ->
          "The devices check AIA/CDP reachability and an AIA/CDP host of the chain does not"
              + " resolve.";
      case PROVISIONED_CHAIN_MISMATCH ->
          "The provisioning web service hands out a chain inferred from its own certificate, which"
              + " lacks what the Default certificate needs.";
      case EWS_ISSUER_NOT_TRUSTED ->
          "The Exchange certificate comes from a CA these devices do not trust for Exchange:"
              + " sign-in works, Exchange integration fails.";
      case ANCHOR_EXPIRED -> "The only root the devices can use has expired.";
      case CERTIFICATE_EXPIRED -> "A certificate of the chain has expired.";
      case NOT_YET_VALID -> "A certificate of the chain is not valid yet.";
      case TLS_VERSION_UNSUPPORTED ->
          "The pool accepts none of the TLS versions the firmware speaks.";
      case KEY_UNSUPPORTED ->
          "A key in the chain is of a type or size the firmware does not handle.";
      case MODEL_NOT_IN_CATALOG -> "The model is not in the catalog.";
      case FIRMWARE_NOT_IN_CATALOG -> "The firmware build is not in the catalog.";
      case BUILT_IN_ROOTS_UNKNOWN ->
          "The outcome depends on the firmware's built-in roots, which the catalog does not know.";
      case NEVER_PROVISIONED ->
          "The device was never seen provisioning, reported no trust store, and its built-in"
              + " roots are unknown.";
      case PROVISIONING_PATH_UNCERTAIN ->
          "The outcome depends on which provisioning path the device takes at its next sign-in.";
      case POOL_NOT_IN_ENVIRONMENT -> "The device's pool is not in the environment document.";
      default -> "The chain does not validate (RFC 5280).";
    };
  }

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
      case NEVER_PROVISIONED ->
          "Collect the device's trust store (device.trust-store-reported) or record its"
              + " provisioning, or add the build's built-in roots to the catalog.";
      case BUILT_IN_ROOTS_UNKNOWN ->
          "Add the build's built-in roots to the catalog (PUT"
              + " /catalog/families/{family}/builds/{build}), or collect the device's trust store"
              + " (device.trust-store-reported).";
      case PROVISIONING_PATH_UNCERTAIN ->
          "Have the device sign in by the path that works (PIN authentication at a site that"
              + " offers it, or USB tethering), or make every path work.";
      default -> "Fix the chain so that it validates (RFC 5280).";
    };
  }
}
