package dev.fleettrust.x509;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.encoders.Hex;

/**
 * Distribution point names (RFC 5280 section 4.2.1.13 and 5.2.5) in two forms: for people ({@code
 * URI:http://...}, {@code DN:CN=...}) and for matching a certificate's distribution point against a
 * CRL's issuing distribution point (section 6.3.3 (b)(2)(i)): names compared canonically, a
 * nameRelativeToIssuer expanded to the full name it forms with the issuer.
 */
final class DistributionPointNames {
  private DistributionPointNames() {}

  static List<GeneralName> fullNames(DistributionPointName dpn, X500Name issuer) {
    List<GeneralName> out = new ArrayList<>();
    if (dpn == null) {
      return out;
    }
    if (dpn.getType() == DistributionPointName.FULL_NAME) {
      for (GeneralName gn : GeneralNames.getInstance(dpn.getName()).getNames()) {
        out.add(gn);
      }
    } else {
      RDN[] base = issuer.getRDNs();
      RDN[] rdns = new RDN[base.length + 1];
      System.arraycopy(base, 0, rdns, 0, base.length);
      rdns[base.length] = RDN.getInstance(dpn.getName());
      out.add(new GeneralName(new X500Name(rdns)));
    }
    return out;
  }

  static Set<String> matchKeys(List<GeneralName> names) {
    Set<String> keys = new LinkedHashSet<>();
    for (GeneralName gn : names) {
      keys.add(matchKey(gn));
    }
    return keys;
  }

  static String matchKey(GeneralName gn) {
    if (gn.getTagNo() == GeneralName.directoryName) {
      return "DN:" + Names.canonical(X500Name.getInstance(gn.getName()));
    }
    if (gn.getTagNo() == GeneralName.uniformResourceIdentifier) {
      return "URI:" + ((ASN1String) gn.getName()).getString();
    }
    try {
      return gn.getTagNo() + ":" + Hex.toHexString(gn.getEncoded(ASN1Encoding.DER));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a parsed general name always encodes", e);
    }
  }

  static String display(GeneralName gn) {
    return switch (gn.getTagNo()) {
      case GeneralName.directoryName -> "DN:" + Names.rfc4514(X500Name.getInstance(gn.getName()));
      case GeneralName.uniformResourceIdentifier ->
          "URI:" + ((ASN1String) gn.getName()).getString();
      case GeneralName.dNSName -> "DNS:" + ((ASN1String) gn.getName()).getString();
      case GeneralName.rfc822Name -> "EMAIL:" + ((ASN1String) gn.getName()).getString();
      default -> matchKey(gn);
    };
  }

  /**
   * The reasons of a ReasonFlags bit string (RFC 5280 section 4.2.1.13: bit 1 keyCompromise ... bit
   * 8 aACompromise; note that bit 7 is privilegeWithdrawn, whose CRLReason code is 9).
   */
  static java.util.Set<RevocationReason> reasons(org.bouncycastle.asn1.ASN1BitString flags) {
    RevocationReason[] byBit = {
      null,
      RevocationReason.KEY_COMPROMISE,
      RevocationReason.CA_COMPROMISE,
      RevocationReason.AFFILIATION_CHANGED,
      RevocationReason.SUPERSEDED,
      RevocationReason.CESSATION_OF_OPERATION,
      RevocationReason.CERTIFICATE_HOLD,
      RevocationReason.PRIVILEGE_WITHDRAWN,
      RevocationReason.AA_COMPROMISE
    };
    java.util.Set<RevocationReason> out = java.util.EnumSet.noneOf(RevocationReason.class);
    byte[] bytes = flags.getBytes();
    for (int bit = 1; bit < byBit.length; bit++) {
      int i = bit / 8;
      if (i < bytes.length && ((bytes[i] >> (7 - bit % 8)) & 1) != 0) {
        out.add(byBit[bit]);
      }
    }
    return out;
  }
}
