package dev.fleettrust.x509;

import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The parsed Bouncy Castle view of a certificate that validation rules need beyond {@link
 * CertificateFacts}; computed once at parse time so validation never re-parses.
 *
 * @param defects problems found while parsing, in the order found
 * @param sanNames the raw subjectAltName entries (empty when absent)
 * @param permitted raw permitted subtrees, when the certificate has name constraints
 * @param excluded raw excluded subtrees, when the certificate has name constraints
 * @param ekuEmpty the EKU extension is present but lists no purpose
 * @param akiHasIssuerOrSerial the AKI carries authorityCertIssuer or authorityCertSerialNumber
 * @param ecExplicitCurve the EC key uses explicit curve parameters
 * @param policy the policy extensions (RFC 5280 section 6.1)
 * @param crlDistributionPoints the cRLDistributionPoints (RFC 5280 section 6.3)
 */
record CertData(
    X509CertificateHolder holder,
    X500Name subject,
    X500Name issuer,
    SubjectPublicKeyInfo spki,
    List<Defect> defects,
    List<GeneralName> sanNames,
    boolean sanCritical,
    Optional<List<GeneralSubtree>> permitted,
    Optional<List<GeneralSubtree>> excluded,
    boolean nameConstraintsCritical,
    boolean ekuEmpty,
    boolean ekuCritical,
    boolean akiHasIssuerOrSerial,
    boolean ecExplicitCurve,
    PolicyData policy,
    List<org.bouncycastle.asn1.x509.DistributionPoint> crlDistributionPoints) {}
