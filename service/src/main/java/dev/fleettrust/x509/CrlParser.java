package dev.fleettrust.x509;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CertificateList;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;

/**
 * Parses certificate revocation lists as CAs publish them and administrators download them: DER,
 * several concatenated DER CRLs, or PEM bundles ({@code -----BEGIN X509 CRL-----}, text between
 * blocks allowed). Up to 10 MiB per input (CRLs of public CAs run to megabytes) and 200 CRLs per
 * bundle. Whatever the input, the only exception that leaves is {@link CertificateInputException}.
 */
public final class CrlParser {
  public static final int MAX_INPUT_BYTES = 10 * 1024 * 1024;
  public static final int MAX_CRLS = 200;

  private static final Set<String> CRL_LABELS = Set.of("X509 CRL", "CRL");

  /** CRL extensions of RFC 5280 section 5.2 that revocation checking understands. */
  private static final Set<String> KNOWN_CRL_EXTENSIONS =
      Set.of("2.5.29.35", "2.5.29.18", "2.5.29.20", "2.5.29.27", "2.5.29.28", "2.5.29.46");

  /** CRL entry extensions of RFC 5280 section 5.3. */
  private static final Set<String> KNOWN_ENTRY_EXTENSIONS =
      Set.of("2.5.29.21", "2.5.29.23", "2.5.29.24", "2.5.29.29");

  private static final HexFormat HEX = HexFormat.of();

  private CrlParser() {}

  /** Parses binary (DER) or text (PEM) input; CRLs come back in input order. */
  public static List<Crl> parse(byte[] input) throws CertificateInputException {
    if (input.length > MAX_INPUT_BYTES) {
      throw tooLarge(input.length);
    }
    try {
      int start = 0;
      while (start < input.length && CertificateParser.isSpace(input[start])) {
        start++;
      }
      if (start == input.length) {
        throw empty();
      }
      if ((input[start] & 0xff) == 0x30) {
        return parseBinary(Arrays.copyOfRange(input, start, input.length));
      }
      return parsePem(CertificateParser.decodeText(input));
    } catch (CertificateInputException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new CertificateInputException(
          CertificateInputException.Reason.MALFORMED_DER,
          OptionalInt.empty(),
          "The CRL input could not be read (" + FactsReader.shortReason(e) + ").",
          e);
    }
  }

  /** Parses PEM text. */
  public static List<Crl> parse(String input) throws CertificateInputException {
    return parse(input.getBytes(StandardCharsets.UTF_8));
  }

  private static CertificateInputException tooLarge(long size) {
    return new CertificateInputException(
        CertificateInputException.Reason.TOO_LARGE,
        "The CRL input is " + size + " bytes; at most " + MAX_INPUT_BYTES + " (10 MiB) are read.");
  }

  private static CertificateInputException empty() {
    return new CertificateInputException(
        CertificateInputException.Reason.EMPTY, "The input holds no CRL.");
  }

  private static List<Crl> parsePem(String text) throws CertificateInputException {
    List<Crl> out = new ArrayList<>();
    Matcher begin = CertificateParser.BEGIN.matcher(text);
    int from = 0;
    int block = 0;
    while (begin.find(from)) {
      block++;
      String label = begin.group(1).trim();
      String endMarker = "-----END " + label + "-----";
      int end = text.indexOf(endMarker, begin.end());
      if (end < 0) {
        throw new CertificateInputException(
            CertificateInputException.Reason.MALFORMED_PEM,
            OptionalInt.of(block),
            "Block " + block + " (" + label + ") has no " + endMarker + " line.",
            null);
      }
      if (!CRL_LABELS.contains(label.toUpperCase(Locale.ROOT))) {
        throw new CertificateInputException(
            CertificateInputException.Reason.UNRECOGNISED_FORMAT,
            OptionalInt.of(block),
            "Block " + block + " is a " + label + ", not a CRL (-----BEGIN X509 CRL-----).",
            null);
      }
      out.add(
          read(CertificateParser.pemBody(text.substring(begin.end(), end), block, label), block));
      checkCount(out.size());
      from = end + endMarker.length();
    }
    if (out.isEmpty()) {
      throw empty();
    }
    return List.copyOf(out);
  }

  private static List<Crl> parseBinary(byte[] der) throws CertificateInputException {
    List<Crl> out = new ArrayList<>();
    int pos = 0;
    while (pos < der.length) {
      int len = DerGuard.tlvLength(der, pos);
      if (len < 0) {
        throw new CertificateInputException(
            CertificateInputException.Reason.MALFORMED_DER,
            "The CRL input is not valid DER after its first "
                + out.size()
                + " CRL(s): truncated or bad length.");
      }
      out.add(read(Arrays.copyOfRange(der, pos, pos + len), 0));
      checkCount(out.size());
      pos += len;
    }
    return List.copyOf(out);
  }

  private static void checkCount(int count) throws CertificateInputException {
    if (count > MAX_CRLS) {
      throw new CertificateInputException(
          CertificateInputException.Reason.TOO_MANY_CERTIFICATES,
          "The input holds more than " + MAX_CRLS + " CRLs.");
    }
  }

  private static CertificateInputException error(
      CertificateInputException.Reason reason, int block, String what, Throwable cause) {
    String where = block > 0 ? "Block " + block + " " : "The CRL input ";
    return new CertificateInputException(
        reason, block > 0 ? OptionalInt.of(block) : OptionalInt.empty(), where + what, cause);
  }

  static Crl read(byte[] der, int block) throws CertificateInputException {
    String guard = DerGuard.check(der, false);
    if (guard != null) {
      throw error(
          CertificateInputException.Reason.MALFORMED_DER,
          block,
          "is not valid DER: " + guard,
          null);
    }
    CertificateList asn1;
    try {
      asn1 = CertificateList.getInstance(ASN1Primitive.fromByteArray(der));
    } catch (Exception | StackOverflowError e) {
      throw error(
          CertificateInputException.Reason.NOT_A_CERTIFICATE,
          block,
          "is not an X.509 CRL (" + FactsReader.shortReason(e) + ")",
          e);
    }
    try {
      return build(der, asn1);
    } catch (RuntimeException | StackOverflowError e) {
      throw error(
          CertificateInputException.Reason.MALFORMED_DER,
          block,
          "is a malformed CRL (" + FactsReader.shortReason(e) + ")",
          e);
    }
  }

  private static Crl build(byte[] der, CertificateList asn1) {
    X509CRLHolder holder = new X509CRLHolder(asn1);
    X500Name issuerName = holder.getIssuer();
    DistinguishedName issuer = Names.of(issuerName);
    Extensions exts = holder.getExtensions();
    Set<String> critical = new LinkedHashSet<>();
    if (exts != null) {
      for (ASN1ObjectIdentifier oid : exts.getCriticalExtensionOIDs()) {
        critical.add(oid.getId());
      }
    }
    Optional<String> crlNumber =
        extension(exts, Extension.cRLNumber)
            .map(v -> ASN1Integer.getInstance(v).getValue().toString());
    Optional<String> deltaBase =
        extension(exts, Extension.deltaCRLIndicator)
            .map(v -> ASN1Integer.getInstance(v).getValue().toString());
    Optional<String> aki =
        extension(exts, Extension.authorityKeyIdentifier)
            .map(AuthorityKeyIdentifier::getInstance)
            .flatMap(a -> Optional.ofNullable(a.getKeyIdentifierOctets()))
            .map(HEX::formatHex);
    List<String> freshest = new ArrayList<>();
    extension(exts, Extension.freshestCRL)
        .ifPresent(
            v -> {
              for (DistributionPoint dp : CRLDistPoint.getInstance(v).getDistributionPoints()) {
                for (GeneralName gn :
                    DistributionPointNames.fullNames(dp.getDistributionPoint(), issuerName)) {
                  if (gn.getTagNo() == GeneralName.uniformResourceIdentifier) {
                    freshest.add(((ASN1String) gn.getName()).getString());
                  }
                }
              }
            });

    Set<String> scopeNames = Set.of();
    Optional<IssuingDistributionPoint> idp = Optional.empty();
    Optional<Object> idpValue = extension(exts, Extension.issuingDistributionPoint).map(v -> v);
    if (idpValue.isPresent()) {
      org.bouncycastle.asn1.x509.IssuingDistributionPoint raw =
          org.bouncycastle.asn1.x509.IssuingDistributionPoint.getInstance(idpValue.get());
      DistributionPointName dpn = raw.getDistributionPoint();
      List<GeneralName> names = DistributionPointNames.fullNames(dpn, issuerName);
      scopeNames = DistributionPointNames.matchKeys(names);
      idp =
          Optional.of(
              new IssuingDistributionPoint(
                  names.stream().map(DistributionPointNames::display).toList(),
                  raw.onlyContainsUserCerts(),
                  raw.onlyContainsCACerts(),
                  Optional.ofNullable(raw.getOnlySomeReasons())
                      .map(DistributionPointNames::reasons),
                  raw.isIndirectCRL(),
                  raw.onlyContainsAttributeCerts()));
    }

    Optional<String> unusable =
        critical.stream()
            .filter(oid -> !KNOWN_CRL_EXTENSIONS.contains(oid))
            .findFirst()
            .map(oid -> "it has a critical extension (" + oid + ") that is not understood");
    if (crlNumber.isEmpty()) {
      unusable = Optional.of("it has no CRL number (RFC 5280 5.2.3: conforming CRLs MUST)");
    } else if (critical.contains(Extension.cRLNumber.getId())) {
      unusable = Optional.of("its CRL number is marked critical (RFC 5280 5.2.3: MUST NOT)");
    }
    List<RevokedCertificate> revoked = new ArrayList<>();
    Map<String, RevokedCertificate> byKey = new HashMap<>();
    for (Object o : holder.getRevokedCertificates()) {
      X509CRLEntryHolder e = (X509CRLEntryHolder) o;
      BigInteger serial = e.getSerialNumber();
      Extensions ee = e.getExtensions();
      if (ee != null && unusable.isEmpty()) {
        for (ASN1ObjectIdentifier oid : ee.getCriticalExtensionOIDs()) {
          if (!KNOWN_ENTRY_EXTENSIONS.contains(oid.getId())) {
            unusable =
                Optional.of(
                    "an entry has a critical extension (" + oid.getId() + ") not understood");
          }
        }
      }
      Optional<RevocationReason> reason =
          extension(ee, Extension.reasonCode)
              .flatMap(
                  v -> RevocationReason.fromCode(ASN1Enumerated.getInstance(v).intValueExact()));
      Optional<java.time.Instant> invalidity =
          extension(ee, Extension.invalidityDate)
              .map(v -> parseTime(ASN1GeneralizedTime.getInstance(v)));
      Optional<DistinguishedName> certIssuer = Optional.empty();
      String issuerKey = issuer.canonical();
      GeneralNames gns = e.getCertificateIssuer();
      if (gns != null) {
        for (GeneralName gn : gns.getNames()) {
          if (gn.getTagNo() == GeneralName.directoryName) {
            X500Name n = X500Name.getInstance(gn.getName());
            issuerKey = Names.canonical(n);
            if (!issuerKey.equals(issuer.canonical())) {
              certIssuer = Optional.of(Names.of(n));
            }
            break;
          }
        }
      }
      RevokedCertificate r =
          new RevokedCertificate(
              serial.toString(16),
              e.getRevocationDate().toInstant(),
              reason,
              certIssuer,
              invalidity);
      revoked.add(r);
      byKey.putIfAbsent(Crl.key(issuerKey, r.serialHex()), r);
    }

    String sigOid = holder.toASN1Structure().getSignatureAlgorithm().getAlgorithm().getId();
    CrlFacts facts =
        new CrlFacts(
            asn1.getVersionNumber(),
            issuer,
            holder.getThisUpdate().toInstant(),
            Optional.ofNullable(holder.getNextUpdate()).map(java.util.Date::toInstant),
            revoked,
            crlNumber,
            deltaBase,
            idp,
            aki,
            freshest,
            SignatureAlgorithm.fromOid(sigOid),
            sigOid,
            HEX.formatHex(FactsReader.digest("SHA-256", der)),
            critical);
    return new Crl(der, facts, holder, scopeNames, byKey, unusable);
  }

  private static java.time.Instant parseTime(ASN1GeneralizedTime t) {
    try {
      return t.getDate().toInstant();
    } catch (java.text.ParseException e) {
      throw new IllegalArgumentException("bad invalidity date", e);
    }
  }

  private static Optional<org.bouncycastle.asn1.ASN1Encodable> extension(
      Extensions exts, ASN1ObjectIdentifier oid) {
    if (exts == null) {
      return Optional.empty();
    }
    Extension e = exts.getExtension(oid);
    return e == null ? Optional.empty() : Optional.of(e.getParsedValue());
  }
}
