package dev.fleettrust.x509;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;

/**
 * Parses what administrators paste: PEM bundles (several blocks, any order, CRLF, text between
 * blocks as {@code certutil} and {@code openssl s_client -showcerts} print it), DER, PKCS#7 /
 * {@code .p7b} certs-only bundles, and bare base64. At most 1 MiB per input and 50 certificates per
 * bundle (contract.md, "Errors and limits"). Whatever the input, the only exception that leaves is
 * {@link CertificateInputException}.
 */
public final class CertificateParser {
  public static final int MAX_INPUT_BYTES = 1024 * 1024;
  public static final int MAX_CERTIFICATES = 50;

  static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 #._-]{1,64})-----");
  private static final Set<String> CERT_LABELS =
      Set.of("CERTIFICATE", "X509 CERTIFICATE", "X.509 CERTIFICATE", "TRUSTED CERTIFICATE");
  private static final Set<String> PKCS7_LABELS =
      Set.of("PKCS7", "PKCS #7 SIGNED DATA", "CMS", "PKCS #7");
  private static final Pattern BASE64_BODY = Pattern.compile("[A-Za-z0-9+/=_-]+");

  private CertificateParser() {}

  /** Parses binary or text input; certificates come back in input order. */
  public static List<Certificate> parse(byte[] input) throws CertificateInputException {
    if (input.length > MAX_INPUT_BYTES) {
      throw tooLarge(input.length);
    }
    try {
      int start = 0;
      while (start < input.length && isSpace(input[start])) {
        start++;
      }
      if (start == input.length) {
        throw new CertificateInputException(
            CertificateInputException.Reason.EMPTY, "The input holds no certificate.");
      }
      if ((input[start] & 0xff) == 0x30) {
        return parseBinary(Arrays.copyOfRange(input, start, input.length));
      }
      return parseText(decodeText(input));
    } catch (CertificateInputException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      // Defence in depth: every known failure is mapped above; this keeps the promise that
      // nothing else ever reaches a caller.
      throw new CertificateInputException(
          CertificateInputException.Reason.MALFORMED_DER,
          OptionalInt.empty(),
          "The input could not be read (" + FactsReader.shortReason(e) + ").",
          e);
    }
  }

  /** Parses text input (PEM or base64). */
  public static List<Certificate> parse(String input) throws CertificateInputException {
    if (input.length() > MAX_INPUT_BYTES) {
      throw tooLarge(input.length());
    }
    byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_INPUT_BYTES) {
      throw tooLarge(bytes.length);
    }
    try {
      return parseText(input);
    } catch (CertificateInputException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new CertificateInputException(
          CertificateInputException.Reason.MALFORMED_DER,
          OptionalInt.empty(),
          "The input could not be read (" + FactsReader.shortReason(e) + ").",
          e);
    }
  }

  private static CertificateInputException tooLarge(long size) {
    return new CertificateInputException(
        CertificateInputException.Reason.TOO_LARGE,
        "The input is "
            + size
            + " bytes; at most "
            + MAX_INPUT_BYTES
            + " bytes (1 MiB) of certificates are accepted at once.");
  }

  static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '\f';
  }

  /** UTF-16 with a BOM (PowerShell redirection), otherwise UTF-8 with an optional BOM. */
  static String decodeText(byte[] input) {
    if (input.length >= 2 && (input[0] & 0xff) == 0xff && (input[1] & 0xff) == 0xfe) {
      return new String(input, 2, input.length - 2, StandardCharsets.UTF_16LE);
    }
    if (input.length >= 2 && (input[0] & 0xff) == 0xfe && (input[1] & 0xff) == 0xff) {
      return new String(input, 2, input.length - 2, StandardCharsets.UTF_16BE);
    }
    String s = new String(input, StandardCharsets.UTF_8);
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  private static List<Certificate> parseText(String text) throws CertificateInputException {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    if (text.isBlank()) {
      throw new CertificateInputException(
          CertificateInputException.Reason.EMPTY, "The input holds no certificate.");
    }
    if (text.contains("-----BEGIN ")) {
      return parsePem(text);
    }
    String body = text.replaceAll("\\s+", "");
    if (!BASE64_BODY.matcher(body).matches()) {
      throw new CertificateInputException(
          CertificateInputException.Reason.UNRECOGNISED_FORMAT,
          "The input is neither PEM (-----BEGIN CERTIFICATE-----), DER, PKCS#7 nor base64.");
    }
    byte[] der;
    try {
      der = decodeBase64(body);
    } catch (IllegalArgumentException e) {
      throw new CertificateInputException(
          CertificateInputException.Reason.MALFORMED_BASE64,
          OptionalInt.empty(),
          "The input looks like base64 but does not decode (" + e.getMessage() + ").",
          null);
    }
    if (der.length == 0 || (der[0] & 0xff) != 0x30) {
      throw new CertificateInputException(
          CertificateInputException.Reason.UNRECOGNISED_FORMAT,
          "The base64 input does not decode to a certificate or a PKCS#7 bundle.");
    }
    return parseBinary(der);
  }

  private static byte[] decodeBase64(String body) {
    if (body.indexOf('-') >= 0 || body.indexOf('_') >= 0) {
      return Base64.getUrlDecoder().decode(body);
    }
    return Base64.getDecoder().decode(body);
  }

  private static List<Certificate> parsePem(String text) throws CertificateInputException {
    List<Certificate> out = new ArrayList<>();
    Matcher begin = BEGIN.matcher(text);
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
      String upper = label.toUpperCase(Locale.ROOT);
      if (!CERT_LABELS.contains(upper) && !PKCS7_LABELS.contains(upper)) {
        String hint =
            upper.contains("PRIVATE KEY")
                ? " Remove it: FleetTrust never needs a private key."
                : " Only CERTIFICATE and PKCS7 blocks are accepted.";
        throw new CertificateInputException(
            CertificateInputException.Reason.NOT_A_CERTIFICATE,
            OptionalInt.of(block),
            "Block " + block + " is a " + label + ", not a certificate." + hint,
            null);
      }
      byte[] der = pemBody(text.substring(begin.end(), end), block, label);
      if (upper.equals("TRUSTED CERTIFICATE")) {
        // OpenSSL's trusted form appends its trust settings after the certificate.
        int len = DerGuard.tlvLength(der, 0);
        if (len > 0) {
          der = Arrays.copyOf(der, len);
        }
      }
      if (PKCS7_LABELS.contains(upper)) {
        out.addAll(parsePkcs7(der, block, out.size()));
      } else {
        out.add(FactsReader.read(der, block));
      }
      checkCount(out.size());
      from = end + endMarker.length();
    }
    if (out.isEmpty()) {
      throw new CertificateInputException(
          CertificateInputException.Reason.EMPTY, "The input holds no certificate.");
    }
    return List.copyOf(out);
  }

  static byte[] pemBody(String body, int block, String label) throws CertificateInputException {
    StringBuilder b64 = new StringBuilder(body.length());
    for (String line : body.split("\\r?\\n|\\r")) {
      // RFC 1421 headers (Proc-Type, DEK-Info) carry no certificate data.
      if (line.indexOf(':') >= 0) {
        continue;
      }
      b64.append(line.replaceAll("\\s+", ""));
    }
    try {
      byte[] der = Base64.getDecoder().decode(b64.toString());
      if (der.length == 0) {
        throw new IllegalArgumentException("empty body");
      }
      return der;
    } catch (IllegalArgumentException e) {
      throw new CertificateInputException(
          CertificateInputException.Reason.MALFORMED_PEM,
          OptionalInt.of(block),
          "Block " + block + " (" + label + ") is not valid base64 (" + e.getMessage() + ").",
          null);
    }
  }

  private static void checkCount(int count) throws CertificateInputException {
    if (count > MAX_CERTIFICATES) {
      throw new CertificateInputException(
          CertificateInputException.Reason.TOO_MANY_CERTIFICATES,
          "The input holds more than "
              + MAX_CERTIFICATES
              + " certificates; split the bundle (a chain rarely needs more than four).");
    }
  }

  /** One DER certificate, several concatenated, or a PKCS#7 bundle. */
  private static List<Certificate> parseBinary(byte[] der) throws CertificateInputException {
    List<Certificate> out = new ArrayList<>();
    int pos = 0;
    while (pos < der.length) {
      int len = DerGuard.tlvLength(der, pos);
      if (len < 0) {
        if (pos == 0 && der.length > 1 && (der[1] & 0xff) == 0x80) {
          // A BER (indefinite-length) PKCS#7 bundle, as some Windows tools write them.
          return parsePkcs7(der, 0, 0);
        }
        throw new CertificateInputException(
            CertificateInputException.Reason.MALFORMED_DER,
            "The input is not valid DER after its first "
                + out.size()
                + " certificate(s): truncated or bad length.");
      }
      byte[] item = Arrays.copyOfRange(der, pos, pos + len);
      if (looksLikeContentInfo(item)) {
        out.addAll(parsePkcs7(item, 0, out.size()));
      } else {
        out.add(FactsReader.read(item, 0));
      }
      checkCount(out.size());
      pos += len;
    }
    return List.copyOf(out);
  }

  /** A ContentInfo starts with an OID; a certificate starts with its TBS SEQUENCE. */
  private static boolean looksLikeContentInfo(byte[] item) {
    int hdr = headerLength(item);
    return hdr > 0 && hdr < item.length && item[hdr] == 0x06;
  }

  private static int headerLength(byte[] item) {
    if (item.length < 2) {
      return -1;
    }
    int first = item[1] & 0xff;
    return first < 0x80 ? 2 : 2 + (first & 0x7f);
  }

  private static List<Certificate> parsePkcs7(byte[] der, int block, int already)
      throws CertificateInputException {
    String where = block > 0 ? "Block " + block : "The PKCS#7 input";
    OptionalInt at = block > 0 ? OptionalInt.of(block) : OptionalInt.empty();
    String guard = DerGuard.check(der, true);
    if (guard != null) {
      throw new CertificateInputException(
          CertificateInputException.Reason.MALFORMED_PKCS7,
          at,
          where + " is not valid DER/BER: " + guard + ".",
          null);
    }
    ASN1Set certs;
    try {
      ASN1Primitive prim = ASN1Primitive.fromByteArray(der);
      ASN1Sequence seq = ASN1Sequence.getInstance(prim);
      if (seq.size() > 0 && seq.getObjectAt(0) instanceof ASN1Integer) {
        throw new CertificateInputException(
            CertificateInputException.Reason.NOT_A_CERTIFICATE,
            at,
            where
                + " looks like a PKCS#12 (.pfx) file or a private key; export the certificates"
                + " only (.cer or .p7b).",
            null);
      }
      ContentInfo ci = ContentInfo.getInstance(seq);
      ASN1ObjectIdentifier type = ci.getContentType();
      if (!PKCSObjectIdentifiers.signedData.equals(type)) {
        throw new CertificateInputException(
            CertificateInputException.Reason.MALFORMED_PKCS7,
            at,
            where + " is PKCS#7 of type " + type.getId() + ", not certs-only SignedData.",
            null);
      }
      certs = SignedData.getInstance(ci.getContent()).getCertificates();
    } catch (CertificateInputException e) {
      throw e;
    } catch (Exception | StackOverflowError e) {
      throw new CertificateInputException(
          CertificateInputException.Reason.MALFORMED_PKCS7,
          at,
          where + " is not a PKCS#7 certificate bundle (" + FactsReader.shortReason(e) + ").",
          e);
    }
    if (certs == null || certs.size() == 0) {
      throw new CertificateInputException(
          CertificateInputException.Reason.NOT_A_CERTIFICATE,
          at,
          where + " is a PKCS#7 bundle without certificates.",
          null);
    }
    List<Certificate> out = new ArrayList<>();
    for (ASN1Encodable c : certs) {
      if (c instanceof ASN1TaggedObject) {
        // Attribute certificates and other choices are not X.509 certificates.
        continue;
      }
      byte[] certDer;
      try {
        certDer = c.toASN1Primitive().getEncoded(ASN1Encoding.DER);
      } catch (java.io.IOException e) {
        throw new CertificateInputException(
            CertificateInputException.Reason.MALFORMED_PKCS7,
            at,
            where + " holds a certificate that does not encode.",
            e);
      }
      out.add(FactsReader.read(certDer, block));
      checkCount(already + out.size());
    }
    return out;
  }
}
