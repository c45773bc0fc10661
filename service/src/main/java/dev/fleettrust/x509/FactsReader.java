package dev.fleettrust.x509;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DSAParameter;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Turns one DER certificate into {@link CertificateFacts} plus the validator's {@link CertData}.
 */
final class FactsReader {
  private static final HexFormat HEX = HexFormat.of();

  static final String OID_RSA = "1.2.840.113549.1.1.1";
  static final String OID_RSA_PSS = "1.2.840.113549.1.1.10";
  static final String OID_EC = "1.2.840.10045.2.1";
  static final String OID_ED25519 = "1.3.101.112";
  static final String OID_DSA = "1.2.840.10040.4.1";

  private static final Map<String, String> CURVES =
      Map.of(
          "1.2.840.10045.3.1.7", "P-256",
          "1.3.132.0.34", "P-384",
          "1.3.132.0.35", "P-521",
          "1.2.840.10045.3.1.1", "P-192",
          "1.3.132.0.33", "P-224",
          "1.3.132.0.10", "secp256k1");

  private static final Map<String, String> HASHES =
      Map.of(
          "1.3.14.3.2.26", "SHA-1",
          "2.16.840.1.101.3.4.2.4", "SHA-224",
          "2.16.840.1.101.3.4.2.1", "SHA-256",
          "2.16.840.1.101.3.4.2.2", "SHA-384",
          "2.16.840.1.101.3.4.2.3", "SHA-512");

  private FactsReader() {}

  static Certificate read(byte[] der, int block) throws CertificateInputException {
    String guard = DerGuard.check(der, false);
    if (guard != null) {
      throw error(
          CertificateInputException.Reason.MALFORMED_DER,
          block,
          "is not valid DER: " + guard,
          null);
    }
    org.bouncycastle.asn1.x509.Certificate asn1;
    try {
      asn1 = org.bouncycastle.asn1.x509.Certificate.getInstance(ASN1Primitive.fromByteArray(der));
    } catch (Exception | StackOverflowError e) {
      throw error(
          CertificateInputException.Reason.MALFORMED_DER,
          block,
          "is not an X.509 certificate (" + shortReason(e) + ")",
          e);
    }
    try {
      return build(der, asn1);
    } catch (RuntimeException | StackOverflowError e) {
      throw error(
          CertificateInputException.Reason.MALFORMED_DER,
          block,
          "is a malformed certificate (" + shortReason(e) + ")",
          e);
    }
  }

  private static CertificateInputException error(
      CertificateInputException.Reason reason, int block, String what, Throwable cause) {
    String where = block > 0 ? "Block " + block + " " : "The input ";
    return new CertificateInputException(
        reason,
        block > 0 ? java.util.OptionalInt.of(block) : java.util.OptionalInt.empty(),
        where + what,
        cause);
  }

  static String shortReason(Throwable e) {
    String m = e.getMessage();
    if (e instanceof StackOverflowError || m == null || m.isBlank()) {
      return e instanceof StackOverflowError ? "nested too deeply" : "unreadable structure";
    }
    m = m.replaceAll("\\s+", " ");
    return m.length() > 120 ? m.substring(0, 120) + "..." : m;
  }

  private static Certificate build(byte[] der, org.bouncycastle.asn1.x509.Certificate asn1) {
    X509CertificateHolder holder = new X509CertificateHolder(asn1);
    List<Defect> defects = new ArrayList<>();
    X500Name subject = holder.getSubject();
    X500Name issuer = holder.getIssuer();
    DistinguishedName subjectName = Names.of(subject);
    DistinguishedName issuerName = Names.of(issuer);
    SubjectPublicKeyInfo spki = holder.getSubjectPublicKeyInfo();

    AlgorithmIdentifier sigAlg = holder.getSignatureAlgorithm();
    if (!sigAlg.equals(asn1.getTBSCertificate().getSignature())) {
      defects.add(
          Defect.fatal(
              "the signature algorithm inside the signed part differs from the outer one (RFC 5280"
                  + " 4.1.1.2)"));
    }
    String sigOid = sigAlg.getAlgorithm().getId();
    SignatureAlgorithm algorithm = SignatureAlgorithm.fromOid(sigOid);
    Optional<String> pssHash = Optional.empty();
    if (algorithm == SignatureAlgorithm.RSASSA_PSS) {
      pssHash = Optional.of(pssHash(sigAlg));
    }

    BigInteger serial = holder.getSerialNumber();
    if (serial.signum() < 0) {
      defects.add(Defect.issuance("its serial number is negative (RFC 5280 4.1.2.2)"));
    } else if (serial.signum() == 0) {
      defects.add(Defect.issuance("its serial number is zero (RFC 5280 4.1.2.2)"));
    }
    if (asn1.getTBSCertificate().getSerialNumber().getValue().toByteArray().length > 20) {
      defects.add(Defect.issuance("its serial number is longer than 20 octets (RFC 5280 4.1.2.2)"));
    }

    Instant notBefore = holder.getNotBefore().toInstant();
    Instant notAfter = holder.getNotAfter().toInstant();
    int version = holder.getVersionNumber();
    Extensions exts = holder.getExtensions();
    if (exts != null && version < 3) {
      defects.add(Defect.fatal("it carries extensions but is not version 3 (RFC 5280 4.1.2.9)"));
    }

    Set<String> critical = new LinkedHashSet<>();
    if (exts != null) {
      for (ASN1ObjectIdentifier oid : exts.getCriticalExtensionOIDs()) {
        critical.add(oid.getId());
      }
    }

    Optional<String> ski =
        ext(
            exts,
            Extension.subjectKeyIdentifier,
            "subject key identifier",
            defects,
            v -> HEX.formatHex(SubjectKeyIdentifier.getInstance(v).getKeyIdentifier()));

    Optional<AuthorityKeyIdentifier> aki =
        ext(
            exts,
            Extension.authorityKeyIdentifier,
            "authority key identifier",
            defects,
            AuthorityKeyIdentifier::getInstance);
    Optional<String> akiHex =
        aki.flatMap(a -> Optional.ofNullable(a.getKeyIdentifierOctets())).map(HEX::formatHex);
    boolean akiExtra =
        aki.map(a -> a.getAuthorityCertIssuer() != null || a.getAuthorityCertSerialNumber() != null)
            .orElse(false);

    BasicConstraints bc =
        ext(
                exts,
                Extension.basicConstraints,
                "basic constraints",
                defects,
                v -> {
                  org.bouncycastle.asn1.x509.BasicConstraints b =
                      org.bouncycastle.asn1.x509.BasicConstraints.getInstance(v);
                  BigInteger pl = b.getPathLenConstraint();
                  Optional<Integer> pathLen =
                      pl == null
                          ? Optional.empty()
                          : Optional.of(
                              pl.bitLength() > 31 ? Integer.MAX_VALUE : Math.max(0, pl.intValue()));
                  return new BasicConstraints(
                      true,
                      critical.contains(Extension.basicConstraints.getId()),
                      b.isCA(),
                      pathLen);
                })
            .orElse(BasicConstraints.ABSENT);

    Optional<Set<KeyUsage>> keyUsage =
        ext(exts, Extension.keyUsage, "key usage", defects, FactsReader::keyUsages);

    boolean[] ekuEmpty = {false};
    Optional<List<KeyPurpose>> eku =
        ext(
            exts,
            Extension.extendedKeyUsage,
            "extended key usage",
            defects,
            v -> {
              ASN1Sequence seq = ASN1Sequence.getInstance(v);
              ekuEmpty[0] = seq.size() == 0;
              List<KeyPurpose> purposes = new ArrayList<>();
              for (KeyPurposeId id : ExtendedKeyUsage.getInstance(seq).getUsages()) {
                purposes.add(KeyPurpose.of(id.getId()));
              }
              return purposes;
            });

    List<GeneralName> sanNames =
        ext(
                exts,
                Extension.subjectAlternativeName,
                "subject alternative name",
                defects,
                v -> List.of(GeneralNames.getInstance(v).getNames()))
            .orElse(List.of());
    List<SubjectAltName> sans = new ArrayList<>();
    try {
      for (GeneralName gn : sanNames) {
        sans.add(toSan(gn, defects));
      }
    } catch (RuntimeException e) {
      defects.add(Defect.fatal("its subject alternative name holds a malformed entry"));
    }

    Optional<org.bouncycastle.asn1.x509.NameConstraints> nc =
        ext(
            exts,
            Extension.nameConstraints,
            "name constraints",
            defects,
            org.bouncycastle.asn1.x509.NameConstraints::getInstance);
    Optional<List<GeneralSubtree>> permitted = Optional.empty();
    Optional<List<GeneralSubtree>> excluded = Optional.empty();
    Optional<NameConstraints> ncFacts = Optional.empty();
    if (nc.isPresent()) {
      try {
        GeneralSubtree[] p = nc.get().getPermittedSubtrees();
        GeneralSubtree[] x = nc.get().getExcludedSubtrees();
        permitted = Optional.of(p == null ? List.of() : List.of(p));
        excluded = Optional.of(x == null ? List.of() : List.of(x));
        ncFacts =
            Optional.of(
                new NameConstraints(
                    permitted.get().stream().map(FactsReader::toSubtree).toList(),
                    excluded.get().stream().map(FactsReader::toSubtree).toList()));
      } catch (RuntimeException e) {
        defects.add(Defect.fatal("its name constraints extension holds a malformed subtree"));
        permitted = Optional.empty();
        excluded = Optional.empty();
      }
    }

    List<String> caIssuers = new ArrayList<>();
    List<String> ocsp = new ArrayList<>();
    ext(
        exts,
        Extension.authorityInfoAccess,
        "authority information access",
        defects,
        v -> {
          AccessDescription[] ads =
              AuthorityInformationAccess.getInstance(v).getAccessDescriptions();
          if (ads.length == 0) {
            defects.add(
                Defect.issuance(
                    "its authority information access extension is empty (RFC 5280" + " 4.2.2.1)"));
          }
          for (AccessDescription ad : ads) {
            GeneralName loc = ad.getAccessLocation();
            if (loc.getTagNo() != GeneralName.uniformResourceIdentifier) {
              continue;
            }
            String url = ((ASN1String) loc.getName()).getString();
            if (ad.getAccessMethod().equals(AccessDescription.id_ad_caIssuers)) {
              caIssuers.add(url);
            } else if (ad.getAccessMethod().equals(AccessDescription.id_ad_ocsp)) {
              ocsp.add(url);
            }
          }
          return Boolean.TRUE;
        });

    List<String> cdp = new ArrayList<>();
    ext(
        exts,
        Extension.cRLDistributionPoints,
        "CRL distribution points",
        defects,
        v -> {
          for (DistributionPoint dp : CRLDistPoint.getInstance(v).getDistributionPoints()) {
            DistributionPointName name = dp.getDistributionPoint();
            if (name == null || name.getType() != DistributionPointName.FULL_NAME) {
              continue;
            }
            for (GeneralName gn : GeneralNames.getInstance(name.getName()).getNames()) {
              if (gn.getTagNo() == GeneralName.uniformResourceIdentifier) {
                cdp.add(((ASN1String) gn.getName()).getString());
              }
            }
          }
          return Boolean.TRUE;
        });

    PolicyData policy =
        policyData(exts, critical.contains(Extension.certificatePolicies.getId()), defects);
    List<DistributionPoint> distributionPoints =
        ext(
                exts,
                Extension.cRLDistributionPoints,
                "CRL distribution points",
                new ArrayList<>(),
                v -> List.of(CRLDistPoint.getInstance(v).getDistributionPoints()))
            .orElse(List.of());

    boolean[] explicitCurve = {false};
    PublicKeyInfo key = keyInfo(spki, explicitCurve);

    byte[] sha256 = digest("SHA-256", der);
    byte[] sha1 = digest("SHA-1", der);
    byte[] spkiDer;
    try {
      spkiDer = spki.getEncoded(ASN1Encoding.DER);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("SubjectPublicKeyInfo does not re-encode", e);
    }

    boolean selfIssued = subjectName.canonical().equals(issuerName.canonical());
    boolean selfSigned = selfIssued && Signatures.verify(holder, spki);

    CertificateFacts facts =
        new CertificateFacts(
            version,
            subjectName,
            issuerName,
            serial.toString(16),
            Names.commonName(subject),
            HEX.formatHex(sha256),
            HEX.formatHex(sha1).toUpperCase(Locale.ROOT),
            HEX.formatHex(digest("SHA-256", spkiDer)),
            ski,
            akiHex,
            notBefore,
            notAfter,
            algorithm,
            sigOid,
            pssHash,
            key,
            bc,
            keyUsage,
            eku,
            sans,
            ncFacts,
            caIssuers,
            ocsp,
            cdp,
            selfSigned,
            selfIssued,
            critical);
    CertData data =
        new CertData(
            holder,
            subject,
            issuer,
            spki,
            List.copyOf(defects),
            List.copyOf(sanNames),
            critical.contains(Extension.subjectAlternativeName.getId()),
            permitted,
            excluded,
            critical.contains(Extension.nameConstraints.getId()),
            ekuEmpty[0],
            critical.contains(Extension.extendedKeyUsage.getId()),
            akiExtra,
            explicitCurve[0],
            policy,
            distributionPoints);
    return new Certificate(der, facts, data);
  }

  /**
   * The parsed value of one extension; a value that does not parse (as DER, or as the structure the
   * extension calls for) becomes a fatal defect and reads as absent.
   */
  private static <T> Optional<T> ext(
      Extensions exts,
      ASN1ObjectIdentifier oid,
      String what,
      List<Defect> defects,
      Function<ASN1Primitive, T> parser) {
    if (exts == null) {
      return Optional.empty();
    }
    Extension e = exts.getExtension(oid);
    if (e == null) {
      return Optional.empty();
    }
    byte[] value = e.getExtnValue().getOctets();
    String guard = DerGuard.check(value, false);
    if (guard == null) {
      try {
        return Optional.of(parser.apply(ASN1Primitive.fromByteArray(value)));
      } catch (Exception | StackOverflowError ex) {
        guard = shortReason(ex);
      }
    }
    defects.add(Defect.fatal("its " + what + " extension does not parse (" + guard + ")"));
    return Optional.empty();
  }

  private static final String QUALIFIER_CPS = "1.3.6.1.5.5.7.2.1";
  private static final String QUALIFIER_USER_NOTICE = "1.3.6.1.5.5.7.2.2";

  /**
   * RFC 5280 sections 4.2.1.4, 4.2.1.5, 4.2.1.11 and 4.2.1.14. A policy OID listed twice breaks an
   * issuance rule; a critical certificatePolicies extension whose qualifiers are neither CPS
   * pointers nor user notices cannot be processed, so it is fatal (as BoringSSL rules); anyPolicy
   * may carry only those two qualifiers.
   */
  private static PolicyData policyData(Extensions exts, boolean critical, List<Defect> defects) {
    Optional<List<String>> policies =
        ext(
            exts,
            Extension.certificatePolicies,
            "certificate policies",
            defects,
            v -> {
              List<String> oids = new ArrayList<>();
              for (org.bouncycastle.asn1.x509.PolicyInformation pi :
                  org.bouncycastle.asn1.x509.CertificatePolicies.getInstance(v)
                      .getPolicyInformation()) {
                String oid = pi.getPolicyIdentifier().getId();
                if (oids.contains(oid)) {
                  defects.add(
                      Defect.issuance(
                          "its certificate policies list " + oid + " twice (RFC 5280 4.2.1.4)"));
                } else {
                  oids.add(oid);
                }
                if (pi.getPolicyQualifiers() == null) {
                  continue;
                }
                for (ASN1Encodable q : pi.getPolicyQualifiers()) {
                  String qid =
                      org.bouncycastle.asn1.x509.PolicyQualifierInfo.getInstance(q)
                          .getPolicyQualifierId()
                          .getId();
                  if (qid.equals(QUALIFIER_CPS) || qid.equals(QUALIFIER_USER_NOTICE)) {
                    continue;
                  }
                  if (critical) {
                    defects.add(
                        Defect.fatal(
                            "its critical certificate policies carry a policy qualifier ("
                                + qid
                                + ") that no client can process (RFC 5280 4.2.1.4)"));
                  } else if (oid.equals(PolicyInputs.ANY_POLICY)) {
                    defects.add(
                        Defect.issuance(
                            "its anyPolicy carries a qualifier ("
                                + qid
                                + ") other than a CPS pointer or user notice (RFC 5280 4.2.1.4)"));
                  }
                }
              }
              if (oids.isEmpty()) {
                throw new IllegalArgumentException("no policy listed");
              }
              return oids;
            });
    List<Map.Entry<String, String>> mappings =
        ext(
                exts,
                Extension.policyMappings,
                "policy mappings",
                defects,
                v -> {
                  List<Map.Entry<String, String>> out = new ArrayList<>();
                  for (ASN1Encodable pair : ASN1Sequence.getInstance(v)) {
                    ASN1Sequence seq = ASN1Sequence.getInstance(pair);
                    if (seq.size() != 2) {
                      throw new IllegalArgumentException("a mapping is not a pair");
                    }
                    out.add(
                        Map.entry(
                            ASN1ObjectIdentifier.getInstance(seq.getObjectAt(0)).getId(),
                            ASN1ObjectIdentifier.getInstance(seq.getObjectAt(1)).getId()));
                  }
                  if (out.isEmpty()) {
                    throw new IllegalArgumentException("no mapping listed");
                  }
                  return out;
                })
            .orElse(List.of());
    java.util.OptionalInt[] constraints = {
      java.util.OptionalInt.empty(), java.util.OptionalInt.empty()
    };
    ext(
        exts,
        Extension.policyConstraints,
        "policy constraints",
        defects,
        v -> {
          org.bouncycastle.asn1.x509.PolicyConstraints pc =
              org.bouncycastle.asn1.x509.PolicyConstraints.getInstance(v);
          if (pc.getRequireExplicitPolicyMapping() == null
              && pc.getInhibitPolicyMapping() == null) {
            throw new IllegalArgumentException("empty policy constraints (RFC 5280 4.2.1.11)");
          }
          if (pc.getRequireExplicitPolicyMapping() != null) {
            constraints[0] =
                java.util.OptionalInt.of(skipCerts(pc.getRequireExplicitPolicyMapping()));
          }
          if (pc.getInhibitPolicyMapping() != null) {
            constraints[1] = java.util.OptionalInt.of(skipCerts(pc.getInhibitPolicyMapping()));
          }
          return Boolean.TRUE;
        });
    java.util.OptionalInt inhibitAny =
        ext(
                exts,
                Extension.inhibitAnyPolicy,
                "inhibit anyPolicy",
                defects,
                v -> skipCerts(org.bouncycastle.asn1.ASN1Integer.getInstance(v).getValue()))
            .map(java.util.OptionalInt::of)
            .orElse(java.util.OptionalInt.empty());
    return new PolicyData(policies, mappings, constraints[0], constraints[1], inhibitAny);
  }

  /** SkipCerts (RFC 5280 4.2.1.11): INTEGER (0..MAX); huge values mean "never". */
  private static int skipCerts(BigInteger v) {
    if (v.signum() < 0) {
      throw new IllegalArgumentException("negative SkipCerts");
    }
    return v.bitLength() > 30 ? Integer.MAX_VALUE / 2 : v.intValueExact();
  }

  private static Set<KeyUsage> keyUsages(ASN1Primitive v) {
    org.bouncycastle.asn1.x509.KeyUsage ku = org.bouncycastle.asn1.x509.KeyUsage.getInstance(v);
    int[] bits = {
      org.bouncycastle.asn1.x509.KeyUsage.digitalSignature,
      org.bouncycastle.asn1.x509.KeyUsage.nonRepudiation,
      org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment,
      org.bouncycastle.asn1.x509.KeyUsage.dataEncipherment,
      org.bouncycastle.asn1.x509.KeyUsage.keyAgreement,
      org.bouncycastle.asn1.x509.KeyUsage.keyCertSign,
      org.bouncycastle.asn1.x509.KeyUsage.cRLSign,
      org.bouncycastle.asn1.x509.KeyUsage.encipherOnly,
      org.bouncycastle.asn1.x509.KeyUsage.decipherOnly
    };
    Set<KeyUsage> out = EnumSet.noneOf(KeyUsage.class);
    for (int i = 0; i < bits.length; i++) {
      if (ku.hasUsages(bits[i])) {
        out.add(KeyUsage.values()[i]);
      }
    }
    return out;
  }

  private static SubjectAltName toSan(GeneralName gn, List<Defect> defects) {
    return switch (gn.getTagNo()) {
      case GeneralName.dNSName -> {
        String v = ((ASN1String) gn.getName()).getString();
        yield new SubjectAltName(GeneralNameType.DNS, v, v.contains("*"));
      }
      case GeneralName.iPAddress -> {
        byte[] octets = org.bouncycastle.asn1.ASN1OctetString.getInstance(gn.getName()).getOctets();
        Optional<String> text = ipText(octets);
        if (text.isEmpty()) {
          defects.add(
              Defect.issuance(
                  "its subject alternative name holds an IP address of "
                      + octets.length
                      + " bytes (RFC 5280 4.2.1.6 wants 4 or 16)"));
        }
        yield new SubjectAltName(
            GeneralNameType.IP, text.orElse("#" + HEX.formatHex(octets)), false);
      }
      case GeneralName.rfc822Name ->
          new SubjectAltName(GeneralNameType.EMAIL, ((ASN1String) gn.getName()).getString(), false);
      case GeneralName.uniformResourceIdentifier ->
          new SubjectAltName(GeneralNameType.URI, ((ASN1String) gn.getName()).getString(), false);
      case GeneralName.directoryName ->
          new SubjectAltName(
              GeneralNameType.DIRECTORY_NAME,
              Names.rfc4514(X500Name.getInstance(gn.getName())),
              false);
      default -> new SubjectAltName(GeneralNameType.OTHER, "tag " + gn.getTagNo(), false);
    };
  }

  private static dev.fleettrust.x509.GeneralSubtree toSubtree(GeneralSubtree s) {
    GeneralName gn = s.getBase();
    return switch (gn.getTagNo()) {
      case GeneralName.dNSName ->
          new dev.fleettrust.x509.GeneralSubtree(
              GeneralNameType.DNS, ((ASN1String) gn.getName()).getString());
      case GeneralName.iPAddress -> {
        byte[] o = org.bouncycastle.asn1.ASN1OctetString.getInstance(gn.getName()).getOctets();
        yield new dev.fleettrust.x509.GeneralSubtree(GeneralNameType.IP, cidrText(o));
      }
      case GeneralName.rfc822Name ->
          new dev.fleettrust.x509.GeneralSubtree(
              GeneralNameType.EMAIL, ((ASN1String) gn.getName()).getString());
      case GeneralName.uniformResourceIdentifier ->
          new dev.fleettrust.x509.GeneralSubtree(
              GeneralNameType.URI, ((ASN1String) gn.getName()).getString());
      case GeneralName.directoryName ->
          new dev.fleettrust.x509.GeneralSubtree(
              GeneralNameType.DIRECTORY_NAME, Names.rfc4514(X500Name.getInstance(gn.getName())));
      default ->
          new dev.fleettrust.x509.GeneralSubtree(GeneralNameType.OTHER, "tag " + gn.getTagNo());
    };
  }

  /** An address in textual form: dotted quad, or RFC 5952 compressed IPv6. */
  static Optional<String> ipText(byte[] octets) {
    if (octets.length != 4 && octets.length != 16) {
      return Optional.empty();
    }
    if (octets.length == 4) {
      return Optional.of(
          (octets[0] & 0xff)
              + "."
              + (octets[1] & 0xff)
              + "."
              + (octets[2] & 0xff)
              + "."
              + (octets[3] & 0xff));
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((octets[2 * i] & 0xff) << 8) | (octets[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return Optional.of(sb.toString());
  }

  private static String cidrText(byte[] o) {
    if (o.length != 8 && o.length != 32) {
      return "#" + HEX.formatHex(o);
    }
    int half = o.length / 2;
    byte[] addr = java.util.Arrays.copyOfRange(o, 0, half);
    byte[] mask = java.util.Arrays.copyOfRange(o, half, o.length);
    int prefix = 0;
    for (byte b : mask) {
      prefix += Integer.bitCount(b & 0xff);
    }
    return ipText(addr).orElseThrow() + "/" + prefix;
  }

  private static String pssHash(AlgorithmIdentifier sigAlg) {
    try {
      ASN1Encodable params = sigAlg.getParameters();
      if (params == null) {
        return "SHA-1";
      }
      String oid = RSASSAPSSparams.getInstance(params).getHashAlgorithm().getAlgorithm().getId();
      return HASHES.getOrDefault(oid, oid);
    } catch (RuntimeException e) {
      return "unknown";
    }
  }

  private static PublicKeyInfo keyInfo(SubjectPublicKeyInfo spki, boolean[] explicitCurve) {
    String oid = spki.getAlgorithm().getAlgorithm().getId();
    ASN1Encodable params = spki.getAlgorithm().getParameters();
    try {
      switch (oid) {
        case OID_RSA, OID_RSA_PSS -> {
          byte[] keyBytes = spki.getPublicKeyData().getBytes();
          if (DerGuard.check(keyBytes, false) != null) {
            return new PublicKeyInfo(KeyType.RSA, 0, Optional.empty(), oid);
          }
          RSAPublicKey rsa = RSAPublicKey.getInstance(ASN1Primitive.fromByteArray(keyBytes));
          return new PublicKeyInfo(
              KeyType.RSA, rsa.getModulus().bitLength(), Optional.empty(), oid);
        }
        case OID_EC -> {
          if (params instanceof ASN1ObjectIdentifier curveOid) {
            String name = CURVES.get(curveOid.getId());
            X9ECParameters x9 = ECNamedCurveTable.getByOID(curveOid);
            int bits = x9 == null ? 0 : x9.getCurve().getFieldSize();
            if (name == null) {
              String bcName = ECNamedCurveTable.getName(curveOid);
              name = bcName != null ? bcName : curveOid.getId();
            }
            return new PublicKeyInfo(KeyType.EC, bits, Optional.of(name), oid);
          }
          explicitCurve[0] = true;
          int bits = 0;
          if (params instanceof ASN1Sequence) {
            bits = X9ECParameters.getInstance(params).getCurve().getFieldSize();
          }
          return new PublicKeyInfo(KeyType.EC, bits, Optional.of("explicit"), oid);
        }
        case OID_ED25519 -> {
          return new PublicKeyInfo(KeyType.ED25519, 256, Optional.empty(), oid);
        }
        case OID_DSA -> {
          int bits = params == null ? 0 : DSAParameter.getInstance(params).getP().bitLength();
          return new PublicKeyInfo(KeyType.DSA, bits, Optional.empty(), oid);
        }
        default -> {
          return new PublicKeyInfo(KeyType.OTHER, 0, Optional.empty(), oid);
        }
      }
    } catch (Exception | StackOverflowError e) {
      return new PublicKeyInfo(keyTypeOf(oid), 0, Optional.empty(), oid);
    }
  }

  private static KeyType keyTypeOf(String oid) {
    return switch (oid) {
      case OID_RSA, OID_RSA_PSS -> KeyType.RSA;
      case OID_EC -> KeyType.EC;
      case OID_ED25519 -> KeyType.ED25519;
      case OID_DSA -> KeyType.DSA;
      default -> KeyType.OTHER;
    };
  }

  static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is mandatory in every JDK", e);
    }
  }
}
