package dev.fleettrust.x509;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything FleetTrust needs to know about one certificate, with no Bouncy Castle type in sight.
 * Built only by {@link CertificateParser}.
 *
 * @param version the X.509 version as people count it (1, 2 or 3)
 * @param serialHex the serial number, lower-case hex without leading zeros (sign kept as {@code -}
 *     for the malformed negative serials some old CAs issued)
 * @param commonName the most specific CN of the subject
 * @param sha256 SHA-256 over the DER, lower-case hex
 * @param sha1Thumbprint SHA-1 over the DER, upper-case hex, as Windows shows a thumbprint
 * @param spkiSha256 SHA-256 over the DER SubjectPublicKeyInfo, lower-case hex (how identity anchors
 *     are keyed)
 * @param subjectKeyId SKI, lower-case hex
 * @param authorityKeyId AKI keyIdentifier, lower-case hex
 * @param signatureAlgorithmOid the OID of the outer signature algorithm (useful with {@link
 *     SignatureAlgorithm#OTHER})
 * @param pssHash for RSASSA-PSS, the hash, e.g. {@code SHA-256}
 * @param keyUsage the keyUsage bits; empty when the extension is absent (absent means any usage)
 * @param extendedKeyUsage the EKU purposes; empty when the extension is absent
 * @param nameConstraints present only on CAs that carry the extension
 * @param caIssuersUrls AIA caIssuers URLs
 * @param ocspUrls AIA OCSP URLs
 * @param crlDistributionPointUrls CRL distribution point URLs (full names only)
 * @param selfSigned subject equals issuer and the signature verifies with the certificate's own key
 * @param selfIssued subject equals issuer (RFC 5280 section 6.1: names compared canonically)
 * @param criticalExtensionOids OIDs of every extension marked critical
 */
public record CertificateFacts(
    int version,
    DistinguishedName subject,
    DistinguishedName issuer,
    String serialHex,
    Optional<String> commonName,
    String sha256,
    String sha1Thumbprint,
    String spkiSha256,
    Optional<String> subjectKeyId,
    Optional<String> authorityKeyId,
    Instant notBefore,
    Instant notAfter,
    SignatureAlgorithm signatureAlgorithm,
    String signatureAlgorithmOid,
    Optional<String> pssHash,
    PublicKeyInfo key,
    BasicConstraints basicConstraints,
    Optional<Set<KeyUsage>> keyUsage,
    Optional<List<KeyPurpose>> extendedKeyUsage,
    List<SubjectAltName> subjectAltNames,
    Optional<NameConstraints> nameConstraints,
    List<String> caIssuersUrls,
    List<String> ocspUrls,
    List<String> crlDistributionPointUrls,
    boolean selfSigned,
    boolean selfIssued,
    Set<String> criticalExtensionOids) {

  public CertificateFacts {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(serialHex, "serialHex");
    Objects.requireNonNull(commonName, "commonName");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(sha1Thumbprint, "sha1Thumbprint");
    Objects.requireNonNull(spkiSha256, "spkiSha256");
    Objects.requireNonNull(subjectKeyId, "subjectKeyId");
    Objects.requireNonNull(authorityKeyId, "authorityKeyId");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
    Objects.requireNonNull(signatureAlgorithmOid, "signatureAlgorithmOid");
    Objects.requireNonNull(pssHash, "pssHash");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(basicConstraints, "basicConstraints");
    keyUsage = keyUsage.map(Set::copyOf);
    extendedKeyUsage = extendedKeyUsage.map(List::copyOf);
    subjectAltNames = List.copyOf(subjectAltNames);
    Objects.requireNonNull(nameConstraints, "nameConstraints");
    caIssuersUrls = List.copyOf(caIssuersUrls);
    ocspUrls = List.copyOf(ocspUrls);
    crlDistributionPointUrls = List.copyOf(crlDistributionPointUrls);
    criticalExtensionOids = Set.copyOf(criticalExtensionOids);
  }

  /** True when basicConstraints says cA=TRUE. */
  public boolean isCa() {
    return basicConstraints.ca();
  }

  /** The DNS names among the SANs, as written. */
  public List<String> dnsNames() {
    return subjectAltNames.stream()
        .filter(s -> s.type() == GeneralNameType.DNS)
        .map(SubjectAltName::value)
        .toList();
  }

  /** The EKU explicitly lists serverAuth (what Lync/SfB require of a server certificate). */
  public boolean assertsServerAuth() {
    return extendedKeyUsage.map(l -> l.stream().anyMatch(KeyPurpose::isServerAuth)).orElse(false);
  }

  /**
   * The certificate may be used for TLS server authentication: no EKU, or an EKU with serverAuth or
   * anyExtendedKeyUsage.
   */
  public boolean allowsServerAuth() {
    return extendedKeyUsage
        .map(l -> l.stream().anyMatch(p -> p.isServerAuth() || p.isAny()))
        .orElse(true);
  }

  /**
   * Lower-case host names of every AIA (caIssuers, OCSP) and CRL distribution point URL, the hosts
   * a revocation-checking device must reach (trust-rules.md, REVOCATION_UNREACHABLE).
   */
  public Set<String> revocationHosts() {
    java.util.SortedSet<String> hosts = new TreeSet<>();
    for (List<String> urls : List.of(caIssuersUrls, ocspUrls, crlDistributionPointUrls)) {
      for (String url : urls) {
        hostOf(url).ifPresent(hosts::add);
      }
    }
    return java.util.Collections.unmodifiableSortedSet(hosts);
  }

  private static Optional<String> hostOf(String url) {
    try {
      String host = URI.create(url.trim()).getHost();
      if (host == null || host.isEmpty()) {
        return Optional.empty();
      }
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      return Optional.of(host.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      // A URL that does not parse names no host we could check for reachability.
      return Optional.empty();
    }
  }
}
