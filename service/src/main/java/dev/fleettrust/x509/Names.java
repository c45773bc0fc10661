package dev.fleettrust.x509;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x500.style.RFC4519Style;
import org.bouncycastle.util.encoders.Hex;

/** Distinguished names: RFC 4514 display strings and the canonical form names are matched by. */
final class Names {
  private Names() {}

  static DistinguishedName of(X500Name name) {
    return new DistinguishedName(rfc4514(name), canonical(name));
  }

  /** Most specific RDN first (RFC 4514 section 2.1), short names where BC knows them. */
  static String rfc4514(X500Name name) {
    RDN[] rdns = name.getRDNs();
    StringBuilder sb = new StringBuilder();
    for (int i = rdns.length - 1; i >= 0; i--) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      AttributeTypeAndValue[] avas = rdns[i].getTypesAndValues();
      for (int j = 0; j < avas.length; j++) {
        if (j > 0) {
          sb.append('+');
        }
        ASN1ObjectIdentifier type = avas[j].getType();
        String display = BCStyle.INSTANCE.oidToDisplayName(type);
        sb.append(display != null ? display.toUpperCase(Locale.ROOT) : type.getId());
        sb.append('=');
        sb.append(IETFUtils.valueToString(avas[j].getValue()));
      }
    }
    return sb.toString();
  }

  /**
   * RFC 5280 section 7.1 comparison form: attribute types as OIDs, string values case-folded with
   * leading, trailing and repeated inner white space removed (RFC 4518 in its common
   * approximation), values of other types as hex DER, multi-valued RDNs sorted.
   */
  static String canonical(X500Name name) {
    RDN[] rdns = name.getRDNs();
    StringBuilder sb = new StringBuilder();
    for (int i = rdns.length - 1; i >= 0; i--) {
      if (i != rdns.length - 1) {
        sb.append(',');
      }
      List<String> parts = new ArrayList<>();
      for (AttributeTypeAndValue ava : rdns[i].getTypesAndValues()) {
        parts.add(ava.getType().getId() + "=" + canonicalValue(ava.getValue()));
      }
      parts.sort(null);
      sb.append(String.join("+", parts));
    }
    return sb.toString();
  }

  static String canonicalValue(ASN1Encodable value) {
    if (value instanceof ASN1String s) {
      String folded = s.getString().strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
      return escape(folded);
    }
    try {
      return "#" + Hex.toHexString(value.toASN1Primitive().getEncoded(ASN1Encoding.DER));
    } catch (java.io.IOException e) {
      return "#?";
    }
  }

  private static String escape(String v) {
    StringBuilder sb = new StringBuilder(v.length());
    for (char c : v.toCharArray()) {
      if (c == ',' || c == '+' || c == '=' || c == '\\' || c == '#' && sb.isEmpty()) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** Parses an RFC 4514 string (most specific RDN first), e.g. from a firmware root list. */
  static X500Name parseRfc4514(String rfc4514) {
    // RFC4519Style reads the string most specific RDN first and builds DER order.
    return X500Name.getInstance(new X500Name(RFC4519Style.INSTANCE, rfc4514).toASN1Primitive());
  }

  /** The most specific CN, if any. */
  static java.util.Optional<String> commonName(X500Name name) {
    RDN[] rdns = name.getRDNs(BCStyle.CN);
    if (rdns.length == 0) {
      return java.util.Optional.empty();
    }
    ASN1Encodable v = rdns[rdns.length - 1].getFirst().getValue();
    return java.util.Optional.of(
        v instanceof ASN1String s ? s.getString() : IETFUtils.valueToString(v));
  }

  /** One RDN in canonical form (sorted attribute=value pairs). */
  static String canonicalRdn(RDN rdn) {
    List<String> parts = new ArrayList<>();
    for (AttributeTypeAndValue ava : rdn.getTypesAndValues()) {
      parts.add(ava.getType().getId() + "=" + canonicalValue(ava.getValue()));
    }
    parts.sort(null);
    return String.join("+", parts);
  }
}
