package dev.fleettrust.x509;

import static dev.fleettrust.x509.TestPki.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.x509.TestPki.Issued;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.PolicyQualifierInfo;
import org.junit.jupiter.api.Test;

/** The RFC 5280 gaps of issue 18: the four defects and certificate policy processing. */
class PathValidatorRfc5280Test {
  static final String HOST = "sip.example.net";
  static final Issued ROOT = TestPki.root("RFC 5280 Root");
  static final String POLICY_A = "1.3.6.1.4.1.55738.1.1";
  static final String POLICY_B = "1.3.6.1.4.1.55738.1.2";

  final PathValidator validator = new PathValidator();

  static ValidationRequest request(List<Certificate> presented, String host, ClientProfile p) {
    return new ValidationRequest(
        presented,
        List.of(),
        List.of(new TrustAnchor.OfCertificate(ROOT.cert())),
        Optional.of(host),
        NOW,
        p);
  }

  ValidationResult validate(List<Certificate> presented, ClientProfile profile) {
    return validator.validate(request(presented, HOST, profile));
  }

  ValidationResult validate(List<Certificate> presented, PolicyInputs policy) {
    return validator.validate(request(presented, HOST, ClientProfile.webPki()).withPolicy(policy));
  }

  static CertificatePolicies policies(String... oids) {
    PolicyInformation[] infos = new PolicyInformation[oids.length];
    for (int i = 0; i < oids.length; i++) {
      infos[i] = new PolicyInformation(new ASN1ObjectIdentifier(oids[i]));
    }
    return new CertificatePolicies(infos);
  }

  @Test
  void acceptsACaWhoseBasicConstraintsAreNotCriticalWithAWarning() {
    Issued ca =
        TestPki.cert("CN=Non-critical BC CA")
            .ca(null)
            .basicConstraintsNotCritical()
            .keys(TestPki.rsa("bc-noncritical"))
            .issuer(ROOT)
            .build();
    Issued leaf = TestPki.cert("CN=" + HOST).dns(HOST).issuer(ca).build();

    ValidationResult r = validate(List.of(leaf.cert(), ca.cert()), ClientProfile.webPki());

    assertThat(r.valid()).isTrue();
    assertThat(r.findings())
        .anySatisfy(
            f -> {
              assertThat(f.rule()).isEqualTo(RuleId.BASIC_CONSTRAINTS_VIOLATION);
              assertThat(f.severity()).isEqualTo(Severity.WARNING);
            });
  }

  @Test
  void rejectsATlsServerLeafWhoseKeyUsageOnlySignsCrls() {
    Issued crlSigner =
        TestPki.cert("CN=" + HOST).dns(HOST).keyUsage(KeyUsage.cRLSign).issuer(ROOT).build();
    Issued signer =
        TestPki.cert("CN=" + HOST)
            .dns(HOST)
            .keyUsage(KeyUsage.digitalSignature)
            .issuer(ROOT)
            .build();

    assertThat(validate(List.of(crlSigner.cert()), ClientProfile.webPki()).errorRules())
        .containsExactly(RuleId.KEY_USAGE_INVALID);
    assertThat(validate(List.of(signer.cert()), ClientProfile.webPki()).valid()).isTrue();
  }

  @Test
  void takesADnsNameConstraintWithALeadingPeriodAsTheNamesUnderTheDomain() {
    Issued ca =
        TestPki.cert("CN=Leading Period CA")
            .ca(null)
            .keys(TestPki.rsa("nc-leading-period"))
            .permitDns(".example.net")
            .issuer(ROOT)
            .build();
    Issued inside = TestPki.cert("CN=" + HOST).dns(HOST).issuer(ca).build();
    Issued apex = TestPki.cert("CN=example.net").dns("example.net").issuer(ca).build();

    assertThat(validate(List.of(inside.cert(), ca.cert()), ClientProfile.webPki()).valid())
        .isTrue();
    assertThat(
            validator
                .validate(
                    request(List.of(apex.cert(), ca.cert()), "example.net", ClientProfile.webPki()))
                .errorRules())
        .containsExactly(RuleId.NAME_CONSTRAINTS_VIOLATION);
  }

  @Test
  void refusesACriticalCertificatePoliciesExtensionWithAQualifierItCannotProcess() {
    ASN1EncodableVector qualifiers = new ASN1EncodableVector();
    qualifiers.add(
        new PolicyQualifierInfo(
            new ASN1ObjectIdentifier("1.3.6.1.4.1.55738.9.9"), new DERIA5String("opaque")));
    PolicyInformation withUnknown =
        new PolicyInformation(new ASN1ObjectIdentifier(POLICY_A), new DERSequence(qualifiers));
    PolicyInformation withCps =
        new PolicyInformation(
            new ASN1ObjectIdentifier(POLICY_A),
            new DERSequence(new PolicyQualifierInfo("https://cps.example.net")));
    Issued unknown =
        TestPki.cert("CN=" + HOST)
            .dns(HOST)
            .extension(Extension.certificatePolicies, true, new CertificatePolicies(withUnknown))
            .issuer(ROOT)
            .build();
    Issued cps =
        TestPki.cert("CN=" + HOST)
            .dns(HOST)
            .extension(Extension.certificatePolicies, true, new CertificatePolicies(withCps))
            .issuer(ROOT)
            .build();

    assertThat(validate(List.of(unknown.cert()), ClientProfile.webPki()).errorRules())
        .containsExactly(RuleId.MALFORMED_CERTIFICATE);
    assertThat(validate(List.of(cps.cert()), ClientProfile.webPki()).valid()).isTrue();
  }

  @Test
  void requiresAnInitialPolicyWhenExplicitPolicyIsAskedFor() {
    Issued ca =
        TestPki.cert("CN=Policy CA")
            .ca(null)
            .keys(TestPki.rsa("policy-ca"))
            .extension(Extension.certificatePolicies, false, policies(POLICY_A, POLICY_B))
            .issuer(ROOT)
            .build();
    Issued leaf =
        TestPki.cert("CN=" + HOST)
            .dns(HOST)
            .extension(Extension.certificatePolicies, false, policies(POLICY_B))
            .issuer(ca)
            .build();
    List<Certificate> chain = List.of(leaf.cert(), ca.cert());

    assertThat(validate(chain, new PolicyInputs(Set.of(POLICY_B), true, false, false)).valid())
        .isTrue();
    assertThat(validate(chain, new PolicyInputs(Set.of(POLICY_A), true, false, false)).errorRules())
        .containsExactly(RuleId.POLICY_CONSTRAINTS_VIOLATION);
    assertThat(validate(chain, new PolicyInputs(Set.of(POLICY_A), false, false, false)).valid())
        .as("without explicit policy a path valid for no acceptable policy still validates")
        .isTrue();
  }

  @Test
  void honoursACasRequireExplicitPolicyWithTheDefaultInputs() {
    Issued ca =
        TestPki.cert("CN=Require Explicit CA")
            .ca(null)
            .keys(TestPki.rsa("require-explicit"))
            .extension(
                Extension.policyConstraints,
                true,
                new org.bouncycastle.asn1.x509.PolicyConstraints(java.math.BigInteger.ZERO, null))
            .extension(Extension.certificatePolicies, false, policies(POLICY_A))
            .issuer(ROOT)
            .build();
    Issued withPolicy =
        TestPki.cert("CN=" + HOST)
            .dns(HOST)
            .extension(Extension.certificatePolicies, false, policies(POLICY_A))
            .issuer(ca)
            .build();
    Issued without = TestPki.cert("CN=" + HOST).dns(HOST).issuer(ca).build();

    assertThat(validate(List.of(withPolicy.cert(), ca.cert()), PolicyInputs.defaults()).valid())
        .isTrue();
    assertThat(validate(List.of(without.cert(), ca.cert()), PolicyInputs.defaults()).errorRules())
        .containsExactly(RuleId.POLICY_CONSTRAINTS_VIOLATION);
  }

  @Test
  void followsPolicyMappingsUnlessMappingIsInhibited() {
    Issued ca =
        TestPki.cert("CN=Mapping CA")
            .ca(null)
            .keys(TestPki.rsa("mapping-ca"))
            .extension(Extension.certificatePolicies, false, policies(POLICY_A))
            .extension(
                Extension.policyMappings,
                false,
                new org.bouncycastle.asn1.x509.PolicyMappings(
                    new org.bouncycastle.asn1.x509.CertPolicyId[] {
                      org.bouncycastle.asn1.x509.CertPolicyId.getInstance(
                          new ASN1ObjectIdentifier(POLICY_A))
                    },
                    new org.bouncycastle.asn1.x509.CertPolicyId[] {
                      org.bouncycastle.asn1.x509.CertPolicyId.getInstance(
                          new ASN1ObjectIdentifier(POLICY_B))
                    }))
            .issuer(ROOT)
            .build();
    Issued leaf =
        TestPki.cert("CN=" + HOST)
            .dns(HOST)
            .extension(Extension.certificatePolicies, false, policies(POLICY_B))
            .issuer(ca)
            .build();
    List<Certificate> chain = List.of(leaf.cert(), ca.cert());

    assertThat(validate(chain, new PolicyInputs(Set.of(POLICY_A), true, false, false)).valid())
        .isTrue();
    assertThat(validate(chain, new PolicyInputs(Set.of(POLICY_A), true, true, false)).errorRules())
        .containsExactly(RuleId.POLICY_CONSTRAINTS_VIOLATION);
  }

  @Test
  void theRfc5280ProfileAcceptsSha1AndRsa1024ThatTheWebPkiProfileRefuses() {
    Issued ca =
        TestPki.cert("CN=Legacy CA")
            .ca(null)
            .keys(TestPki.rsa(1024))
            .signature("SHA1withRSA")
            .issuer(ROOT)
            .build();
    Issued leaf = TestPki.cert("CN=" + HOST).dns(HOST).signature("SHA1withRSA").issuer(ca).build();
    List<Certificate> chain = List.of(leaf.cert(), ca.cert());

    assertThat(validate(chain, ClientProfile.webPki()).errorRules())
        .contains(RuleId.SIGNATURE_ALGORITHM_UNSUPPORTED, RuleId.KEY_UNSUPPORTED);
    assertThat(validate(chain, ClientProfile.rfc5280()).valid()).isTrue();
    assertThat(ProfileLookup.builtIn().find("rfc5280")).contains(ClientProfile.rfc5280());
  }

  ValidationResult validateWithCrls(List<Certificate> presented, List<Crl> crls) {
    return validator.validate(
        request(presented, HOST, ClientProfile.webPki())
            .withRevocation(RevocationInputs.checkWith(crls)));
  }

  @Test
  void aDeltaCrlRevokesAndItsRemoveFromCrlUndoesAnOnHoldEntry() {
    Issued leaf = TestPki.cert("CN=" + HOST).dns(HOST).issuer(ROOT).build();
    java.time.Instant when = NOW.minusSeconds(7200);
    Crl complete = TestPki.crl(ROOT).number(10).build();
    Crl deltaRevoking =
        TestPki.crl(ROOT).number(11).deltaOf(10).revoke(leaf.cert(), when, 1).build();
    Crl onHold = TestPki.crl(ROOT).number(20).revoke(leaf.cert(), when, 6).build();
    Crl released = TestPki.crl(ROOT).number(21).deltaOf(20).revoke(leaf.cert(), when, 8).build();

    assertThat(validateWithCrls(List.of(leaf.cert()), List.of(complete)).valid()).isTrue();
    assertThat(
            validateWithCrls(List.of(leaf.cert()), List.of(complete, deltaRevoking)).errorRules())
        .containsExactly(RuleId.CERTIFICATE_REVOKED);
    assertThat(validateWithCrls(List.of(leaf.cert()), List.of(onHold)).errorRules())
        .containsExactly(RuleId.CERTIFICATE_REVOKED);
    assertThat(validateWithCrls(List.of(leaf.cert()), List.of(onHold, released)).valid()).isTrue();
  }

  @Test
  void withoutACrlInScopeTheStatusIsUnknownAndAStaleCrlSaysSo() {
    Issued other = TestPki.root("Unrelated CRL Root");
    Issued leaf = TestPki.cert("CN=" + HOST).dns(HOST).issuer(ROOT).build();
    Crl unrelated = TestPki.crl(other).build();
    Crl lapsed = TestPki.crl(ROOT).times(NOW.minusSeconds(90_000), NOW.minusSeconds(3600)).build();

    ValidationResult stale = validateWithCrls(List.of(leaf.cert()), List.of(lapsed));

    assertThat(validateWithCrls(List.of(leaf.cert()), List.of(unrelated)).errorRules())
        .containsExactly(RuleId.REVOCATION_STATUS_UNKNOWN);
    assertThat(stale.errorRules()).containsExactly(RuleId.REVOCATION_STALE);
    assertThat(stale.findings().get(0).evidence())
        .containsEntry("nextUpdate", NOW.minusSeconds(3600).toString());
    assertThat(
            validator.validate(request(List.of(leaf.cert()), HOST, ClientProfile.webPki())).valid())
        .as("no revocation checking unless the request asks for it")
        .isTrue();
  }
}
