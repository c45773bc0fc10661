package dev.fleettrust.x509;

import static dev.fleettrust.x509.TestPki.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.x509.TestPki.Issued;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

class PathValidatorTest {
  static final String HOST = "sip.example.net";
  static final Issued ROOT = TestPki.root("Contoso Root");
  static final Issued ISSUING =
      TestPki.cert("CN=Contoso Issuing CA,O=Contoso")
          .ca(0)
          .keys(TestPki.rsa("issuing"))
          .issuer(ROOT)
          .build();
  static final Issued LEAF =
      TestPki.cert("CN=" + HOST)
          .dns(HOST)
          .crl("http://pki.contoso.example/issuing.crl")
          .issuer(ISSUING)
          .build();

  final PathValidator validator = new PathValidator();

  static ValidationRequest request(List<Certificate> presented, List<TrustAnchor> anchors) {
    return new ValidationRequest(
        presented, List.of(), anchors, Optional.of(HOST), NOW, ClientProfile.webPki());
  }

  static TrustAnchor anchor(Issued i) {
    return new TrustAnchor.OfCertificate(i.cert());
  }

  ValidationResult validate(
      List<Certificate> presented, List<TrustAnchor> anchors, ClientProfile p) {
    return validator.validate(
        new ValidationRequest(presented, List.of(), anchors, Optional.of(HOST), NOW, p));
  }

  @Test
  void acceptsChainThatReachesATrustedRoot() {
    ValidationResult r =
        validator.validate(request(List.of(LEAF.cert(), ISSUING.cert()), List.of(anchor(ROOT))));

    assertThat(r.valid()).isTrue();
    assertThat(r.errorRules()).isEmpty();
    assertThat(r.path()).containsExactly(LEAF.cert(), ISSUING.cert(), ROOT.cert());
    assertThat(r.anchor()).contains(anchor(ROOT));
  }

  @Test
  void neverTrustsASelfSignedRootJustBecauseTheServerSendsIt() {
    Issued other = TestPki.root("Fabrikam Root");
    ValidationResult r =
        validator.validate(
            request(List.of(LEAF.cert(), ISSUING.cert(), ROOT.cert()), List.of(anchor(other))));

    assertThat(r.valid()).isFalse();
    assertThat(r.errorRules()).containsExactly(RuleId.UNTRUSTED_ROOT);
    assertThat(r.findings().get(0).evidence())
        .containsEntry("certificate", ROOT.cert().facts().subject().rfc4514());
  }

  @Test
  void reportsMissingIntermediateWithTheIssuerNameAndAki() {
    ValidationResult r = validator.validate(request(List.of(LEAF.cert()), List.of(anchor(ROOT))));

    assertThat(r.valid()).isFalse();
    assertThat(r.errorRules()).containsExactly(RuleId.MISSING_INTERMEDIATE);
    Finding f = r.findings().get(0);
    assertThat(f.evidence())
        .containsEntry("missingIssuer", "CN=Contoso Issuing CA,O=Contoso")
        .containsEntry("authorityKeyId", LEAF.cert().facts().authorityKeyId().orElseThrow());
  }

  @Test
  void usesAnIntermediateTheClientAlreadyHolds() {
    ValidationResult r =
        validator.validate(
            new ValidationRequest(
                List.of(LEAF.cert()),
                List.of(ISSUING.cert()),
                List.of(anchor(ROOT)),
                Optional.of(HOST),
                NOW,
                ClientProfile.webPki()));

    assertThat(r.valid()).isTrue();
  }

  @Test
  void fetchesAMissingIntermediateThroughAiaOnlyWhenTheProfileDoes() {
    ValidationRequest fetching =
        new ValidationRequest(
            List.of(LEAF.cert()),
            List.of(),
            List.of(anchor(ROOT)),
            Optional.of(HOST),
            NOW,
            ClientProfile.webPki().withFetchesAiaIntermediates(true),
            List.of(ISSUING.cert()));
    ValidationRequest notFetching =
        new ValidationRequest(
            List.of(LEAF.cert()),
            List.of(),
            List.of(anchor(ROOT)),
            Optional.of(HOST),
            NOW,
            ClientProfile.webPki(),
            List.of(ISSUING.cert()));

    ValidationResult r = validator.validate(fetching);
    assertThat(r.valid()).isTrue();
    assertThat(r.findings()).extracting(Finding::severity).containsOnly(Severity.INFO);
    assertThat(validator.validate(notFetching).errorRules())
        .containsExactly(RuleId.MISSING_INTERMEDIATE);
  }

  @Test
  void acceptsTheCrossSignedAlternativeWhenTheOldRootHasExpired() {
    // The issuing CA was re-certified by a new root; the server still sends the old one.
    Issued oldRoot =
        TestPki.cert("CN=Old Root,O=Contoso")
            .ca(null)
            .keys(TestPki.rsa("old-root"))
            .selfSigned()
            .validity(NOW.minus(3650, ChronoUnit.DAYS), NOW.minus(1, ChronoUnit.DAYS))
            .build();
    Issued newRoot =
        TestPki.cert("CN=New Root,O=Contoso")
            .ca(null)
            .keys(TestPki.rsa("new-root"))
            .selfSigned()
            .build();
    Issued viaOld =
        TestPki.cert("CN=Cross CA,O=Contoso")
            .ca(null)
            .keys(TestPki.rsa("cross"))
            .issuer(oldRoot)
            .build();
    Issued viaNew =
        TestPki.cert("CN=Cross CA,O=Contoso")
            .ca(null)
            .keys(TestPki.rsa("cross"))
            .issuer(newRoot)
            .build();
    Issued leaf = TestPki.cert("CN=" + HOST).dns(HOST).issuer(viaOld).build();

    ValidationResult both =
        validate(
            List.of(leaf.cert(), viaOld.cert()),
            List.of(anchor(oldRoot), anchor(newRoot)),
            ClientProfile.webPki());
    ValidationResult withHeldCross =
        validator.validate(
            new ValidationRequest(
                List.of(leaf.cert(), viaOld.cert()),
                List.of(viaNew.cert()),
                List.of(anchor(oldRoot), anchor(newRoot)),
                Optional.of(HOST),
                NOW,
                ClientProfile.webPki()));
    ValidationResult onlyOld =
        validate(
            List.of(leaf.cert(), viaOld.cert()), List.of(anchor(oldRoot)), ClientProfile.webPki());

    assertThat(both.valid()).isFalse();
    assertThat(both.errorRules()).containsExactly(RuleId.ANCHOR_EXPIRED);
    assertThat(withHeldCross.valid()).isTrue();
    assertThat(withHeldCross.path()).containsExactly(leaf.cert(), viaNew.cert(), newRoot.cert());
    assertThat(onlyOld.errorRules()).containsExactly(RuleId.ANCHOR_EXPIRED);
  }

  @Test
  void prefersAnyValidPathAmongSameNamedIntermediates() {
    Issued rootA = TestPki.root("Root A");
    Issued rootB = TestPki.root("Root B");
    Issued intA =
        TestPki.cert("CN=Shared CA").ca(null).keys(TestPki.rsa("shared")).issuer(rootA).build();
    Issued intB =
        TestPki.cert("CN=Shared CA").ca(null).keys(TestPki.rsa("shared")).issuer(rootB).build();
    Issued leaf = TestPki.cert("CN=" + HOST).dns(HOST).issuer(intA).build();

    ValidationResult r =
        validate(
            List.of(leaf.cert(), intA.cert(), intB.cert()),
            List.of(anchor(rootB)),
            ClientProfile.webPki());

    assertThat(r.valid()).isTrue();
    assertThat(r.path()).containsExactly(leaf.cert(), intB.cert(), rootB.cert());
  }

  @Test
  void trustsAnIdentityAnchorByNameAndKey() {
    TrustAnchor identity = TrustAnchor.OfIdentity.of(ROOT.cert());

    ValidationResult withRootSent =
        validate(
            List.of(LEAF.cert(), ISSUING.cert(), ROOT.cert()),
            List.of(identity),
            ClientProfile.webPki());
    ValidationResult rootNotSent =
        validate(List.of(LEAF.cert(), ISSUING.cert()), List.of(identity), ClientProfile.webPki());

    assertThat(withRootSent.valid()).isTrue();
    assertThat(withRootSent.path()).containsExactly(LEAF.cert(), ISSUING.cert(), ROOT.cert());
    assertThat(rootNotSent.valid()).isTrue();
    assertThat(rootNotSent.anchor()).contains(identity);
    assertThat(rootNotSent.findings())
        .singleElement()
        .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.INFO));
  }

  @Test
  void rejectsAnIdentityAnchorWhoseKeyDiffersFromTheSentRoot() {
    Issued impostor =
        TestPki.cert("CN=Contoso Root,O=FleetTrust Test")
            .ca(null)
            .keys(TestPki.rsa("impostor"))
            .selfSigned()
            .build();
    TrustAnchor identity =
        new TrustAnchor.OfIdentity(
            ROOT.cert().facts().subject().canonical(),
            impostor.cert().facts().spkiSha256(),
            Optional.empty());

    ValidationResult r =
        validate(
            List.of(LEAF.cert(), ISSUING.cert(), ROOT.cert()),
            List.of(identity),
            ClientProfile.webPki());

    assertThat(r.valid()).isFalse();
    assertThat(r.errorRules()).containsExactly(RuleId.UNTRUSTED_ROOT);
  }

  @Test
  void reportsAnchorExpiredForAnExpiredIdentityAnchor() {
    TrustAnchor expired =
        new TrustAnchor.OfIdentity(
            ROOT.cert().facts().subject().canonical(),
            ROOT.cert().facts().spkiSha256(),
            Optional.of(Instant.parse("2014-01-01T00:00:00Z")));

    ValidationResult r =
        validate(List.of(LEAF.cert(), ISSUING.cert()), List.of(expired), ClientProfile.webPki());

    assertThat(r.errorRules()).containsExactly(RuleId.ANCHOR_EXPIRED);
  }

  @Test
  void flagsWildcardOnlyNameForClientsWithoutWildcardSupport() {
    Issued wildcard = TestPki.cert("CN=example.net").dns("*.example.net").issuer(ISSUING).build();
    List<Certificate> chain = List.of(wildcard.cert(), ISSUING.cert());

    ValidationResult preJune2012 =
        validate(chain, List.of(anchor(ROOT)), ClientProfile.webPki().withWildcardNames(false));
    ValidationResult modern = validate(chain, List.of(anchor(ROOT)), ClientProfile.webPki());

    assertThat(preJune2012.errorRules()).containsExactly(RuleId.WILDCARD_UNSUPPORTED);
    assertThat(modern.valid()).isTrue();
  }

  @Test
  void reportsHostnameMismatchWhenNoNameCoversTheHost() {
    Issued other =
        TestPki.cert("CN=web.example.net")
            .dns("web.example.net", "*.lync.example.net")
            .issuer(ISSUING)
            .build();

    ValidationResult r =
        validate(
            List.of(other.cert(), ISSUING.cert()),
            List.of(anchor(ROOT)),
            ClientProfile.webPki().withWildcardNames(false));

    assertThat(r.errorRules()).containsExactly(RuleId.HOSTNAME_MISMATCH);
  }

  @Test
  void fallsBackToTheCommonNameOnlyForProfilesThatDo() {
    Issued cnOnly = TestPki.cert("CN=" + HOST).issuer(ISSUING).build();
    List<Certificate> chain = List.of(cnOnly.cert(), ISSUING.cert());

    assertThat(validate(chain, List.of(anchor(ROOT)), ClientProfile.webPki()).errorRules())
        .containsExactly(RuleId.HOSTNAME_MISMATCH);
    assertThat(
            validate(
                    chain,
                    List.of(anchor(ROOT)),
                    ClientProfile.webPki().withCommonNameFallback(true))
                .valid())
        .isTrue();
  }

  @Test
  void rejectsSignatureAlgorithmsTheProfileDoesNotList() {
    Issued pssCa =
        TestPki.cert("CN=PSS Issuing CA")
            .ca(0)
            .keys(TestPki.rsa("pss"))
            .issuer(ROOT)
            .signature("SHA256withRSAandMGF1")
            .build();
    Issued pssLeaf = TestPki.cert("CN=" + HOST).dns(HOST).issuer(pssCa).build();
    Issued md5Leaf =
        TestPki.cert("CN=" + HOST)
            .dns(HOST)
            .keys(TestPki.ec("md5"))
            .issuer(ISSUING)
            .signature("MD5withRSA")
            .build();
    ClientProfile lyncOnly =
        ClientProfile.webPki()
            .withSignatureAlgorithms(
                EnumSet.of(
                    SignatureAlgorithm.SHA1_WITH_RSA,
                    SignatureAlgorithm.SHA256_WITH_RSA,
                    SignatureAlgorithm.ECDSA_WITH_SHA256));
    ClientProfile sha1Only =
        ClientProfile.webPki()
            .withSignatureAlgorithms(EnumSet.of(SignatureAlgorithm.SHA1_WITH_RSA));

    assertThat(pssCa.cert().facts().pssHash()).contains("SHA-256");
    assertThat(
            validate(
                    List.of(pssLeaf.cert(), pssCa.cert()),
                    List.of(anchor(ROOT)),
                    ClientProfile.webPki())
                .valid())
        .isTrue();
    assertThat(
            validate(List.of(pssLeaf.cert(), pssCa.cert()), List.of(anchor(ROOT)), lyncOnly)
                .errorRules())
        .containsExactly(RuleId.SIGNATURE_ALGORITHM_UNSUPPORTED);
    assertThat(
            validate(
                    List.of(md5Leaf.cert(), ISSUING.cert()),
                    List.of(anchor(ROOT)),
                    ClientProfile.webPki())
                .errorRules())
        .containsExactly(RuleId.SIGNATURE_ALGORITHM_UNSUPPORTED);
    ValidationResult sha256OnOldBuild =
        validate(List.of(LEAF.cert(), ISSUING.cert()), List.of(anchor(ROOT)), sha1Only);
    assertThat(sha256OnOldBuild.errorRules())
        .containsExactly(RuleId.SIGNATURE_ALGORITHM_UNSUPPORTED);
    assertThat(sha256OnOldBuild.findings()).hasSize(2);
  }

  @Test
  void rejectsKeysOutsideTheProfile() {
    Issued weakRoot =
        TestPki.cert("CN=Weak Root").ca(null).keys(TestPki.rsa(1024)).selfSigned().build();
    Issued weakInt =
        TestPki.cert("CN=Weak Issuing")
            .ca(null)
            .keys(TestPki.rsa("weak-int"))
            .issuer(weakRoot)
            .build();
    Issued leaf = TestPki.cert("CN=" + HOST).dns(HOST).issuer(weakInt).build();
    ClientProfile rsaOnly = ClientProfile.webPki().withKeys(EnumSet.of(KeyType.RSA), 1024, 4096);

    assertThat(
            validate(
                    List.of(leaf.cert(), weakInt.cert()),
                    List.of(anchor(weakRoot)),
                    ClientProfile.webPki())
                .errorRules())
        .containsExactly(RuleId.KEY_UNSUPPORTED);
    assertThat(
            validate(List.of(LEAF.cert(), ISSUING.cert()), List.of(anchor(ROOT)), rsaOnly)
                .errorRules())
        .containsExactly(RuleId.KEY_UNSUPPORTED);
    assertThat(
            validate(
                    List.of(leaf.cert(), weakInt.cert()),
                    List.of(anchor(weakRoot)),
                    ClientProfile.webPki()
                        .withKeys(EnumSet.of(KeyType.RSA, KeyType.EC), 1024, 4096))
                .valid())
        .isTrue();
  }

  @Test
  void reportsExpiredAndNotYetValidCertificates() {
    Issued expired =
        TestPki.cert("CN=" + HOST)
            .dns(HOST)
            .issuer(ISSUING)
            .validity(NOW.minus(400, ChronoUnit.DAYS), NOW.minus(1, ChronoUnit.DAYS))
            .build();
    Issued future =
        TestPki.cert("CN=" + HOST)
            .dns(HOST)
            .issuer(ISSUING)
            .validity(NOW.plus(1, ChronoUnit.DAYS), NOW.plus(400, ChronoUnit.DAYS))
            .build();

    assertThat(
            validate(
                    List.of(expired.cert(), ISSUING.cert()),
                    List.of(anchor(ROOT)),
                    ClientProfile.webPki())
                .errorRules())
        .containsExactly(RuleId.CERTIFICATE_EXPIRED);
    assertThat(
            validate(
                    List.of(future.cert(), ISSUING.cert()),
                    List.of(anchor(ROOT)),
                    ClientProfile.webPki())
                .errorRules())
        .containsExactly(RuleId.NOT_YET_VALID);
  }

  @Test
  void enforcesBasicConstraintsAndPathLength() {
    Issued notCa =
        TestPki.cert("CN=Not A CA").keys(TestPki.rsa("not-ca")).noServerAuth().issuer(ROOT).build();
    Issued underNotCa = TestPki.cert("CN=" + HOST).dns(HOST).issuer(notCa).build();
    Issued second =
        TestPki.cert("CN=Second Level CA")
            .ca(null)
            .keys(TestPki.rsa("second"))
            .issuer(ISSUING)
            .build();
    Issued underSecond = TestPki.cert("CN=" + HOST).dns(HOST).issuer(second).build();

    assertThat(
            validate(
                    List.of(underNotCa.cert(), notCa.cert()),
                    List.of(anchor(ROOT)),
                    ClientProfile.webPki())
                .errorRules())
        .contains(RuleId.BASIC_CONSTRAINTS_VIOLATION);
    assertThat(
            validate(
                    List.of(underSecond.cert(), second.cert(), ISSUING.cert()),
                    List.of(anchor(ROOT)),
                    ClientProfile.webPki())
                .errorRules())
        .containsExactly(RuleId.PATH_LENGTH_EXCEEDED);
  }

  @Test
  void enforcesNameConstraintsOfAnIntermediate() {
    Issued constrained =
        TestPki.cert("CN=Constrained CA")
            .ca(null)
            .keys(TestPki.rsa("nc"))
            .permitDns("corp.example.org")
            .issuer(ROOT)
            .build();
    Issued outside = TestPki.cert("CN=" + HOST).dns(HOST).issuer(constrained).build();
    Issued inside =
        TestPki.cert("CN=lync.corp.example.org")
            .dns("lync.corp.example.org")
            .issuer(constrained)
            .build();

    assertThat(
            validate(
                    List.of(outside.cert(), constrained.cert()),
                    List.of(anchor(ROOT)),
                    ClientProfile.webPki())
                .errorRules())
        .containsExactly(RuleId.NAME_CONSTRAINTS_VIOLATION);
    assertThat(
            validator
                .validate(
                    new ValidationRequest(
                        List.of(inside.cert(), constrained.cert()),
                        List.of(),
                        List.of(anchor(ROOT)),
                        Optional.of("lync.corp.example.org"),
                        NOW,
                        ClientProfile.webPki()))
                .valid())
        .isTrue();
  }

  @Test
  void requiresServerAuthWhenTheLeafHasAnEku() {
    Issued clientOnly =
        TestPki.cert("CN=" + HOST)
            .dns(HOST)
            .noServerAuth()
            .eku(KeyPurposeId.id_kp_clientAuth)
            .issuer(ISSUING)
            .build();
    List<Certificate> chain = List.of(clientOnly.cert(), ISSUING.cert());

    assertThat(validate(chain, List.of(anchor(ROOT)), ClientProfile.webPki()).errorRules())
        .containsExactly(RuleId.EKU_SERVER_AUTH_MISSING);
    assertThat(
            validate(
                    chain,
                    List.of(anchor(ROOT)),
                    ClientProfile.webPki().withRequireServerAuthEku(false))
                .valid())
        .isTrue();
  }

  @Test
  void rejectsUnknownCriticalExtensions() {
    Issued odd =
        TestPki.cert("CN=" + HOST)
            .dns(HOST)
            .extension(
                new ASN1ObjectIdentifier("1.3.6.1.4.1.55738.666.1"), true, new DERUTF8String("x"))
            .issuer(ISSUING)
            .build();

    assertThat(
            validate(
                    List.of(odd.cert(), ISSUING.cert()),
                    List.of(anchor(ROOT)),
                    ClientProfile.webPki())
                .errorRules())
        .containsExactly(RuleId.UNKNOWN_CRITICAL_EXTENSION);
  }

  @Test
  void enforcesTheProfilesMaximumDepth() {
    assertThat(
            validate(
                    List.of(LEAF.cert(), ISSUING.cert()),
                    List.of(anchor(ROOT)),
                    ClientProfile.webPki().withMaxDepth(2))
                .errorRules())
        .containsExactly(RuleId.CHAIN_TOO_DEEP);
    assertThat(
            validate(
                    List.of(LEAF.cert(), ISSUING.cert()),
                    List.of(anchor(ROOT)),
                    ClientProfile.webPki().withMaxDepth(3))
                .valid())
        .isTrue();
  }

  @Test
  void servesManyProfilesQuicklyFromOneInstanceAcrossThreads() throws Exception {
    List<ClientProfile> profiles =
        List.of(
            ClientProfile.webPki(),
            ClientProfile.webPki().withWildcardNames(false),
            ClientProfile.webPki()
                .withSignatureAlgorithms(EnumSet.of(SignatureAlgorithm.SHA1_WITH_RSA)),
            ClientProfile.webPki().withKeys(EnumSet.of(KeyType.RSA), 1024, 4096));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      long start = System.nanoTime();
      List<Future<Boolean>> futures =
          java.util.stream.IntStream.range(0, 10_000)
              .mapToObj(
                  i ->
                      pool.submit(
                          () ->
                              validate(
                                      List.of(LEAF.cert(), ISSUING.cert()),
                                      List.of(anchor(ROOT)),
                                      profiles.get(i % 4))
                                  .valid()))
              .toList();
      long valid = 0;
      for (Future<Boolean> f : futures) {
        valid += f.get() ? 1 : 0;
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(valid).isEqualTo(5_000);
      // 5,000 device profiles x 2 chains must fit the engine's 2 s; leave room for a busy CI box.
      assertThat(millis).as("10,000 validations, ms").isLessThan(6_000);
    } finally {
      pool.shutdownNow();
    }
  }
}
