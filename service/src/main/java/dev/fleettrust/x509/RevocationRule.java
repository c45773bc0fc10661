package dev.fleettrust.x509;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * RFC 5280 section 6.3: revocation checking with the caller's CRLs, when the request asks for it
 * ({@link RevocationInputs#check()}). For every certificate below the anchor, each of its CRL
 * distribution points (or, without the extension, the CRLs its issuer publishes) is served by a
 * complete CRL in scope (issuer or indirect cRLIssuer, issuing distribution point names, user/CA
 * only, reasons), signed by a key that may sign CRLs and chains to the path, current at the
 * evaluation time, and updated by the newest matching delta CRL, until every reason is covered.
 * Findings: CERTIFICATE_REVOKED when a CRL lists the certificate (removeFromCRL in a delta undoes
 * an on-hold entry); REVOCATION_STALE when the only CRLs in scope are past their nextUpdate (a
 * device that checks revocation then refuses the path: field report 002's lapsed offline root CRL);
 * REVOCATION_STATUS_UNKNOWN when no usable CRL decides the status.
 */
final class RevocationRule implements PathRule {
  private static final Set<RevocationReason> ALL_REASONS =
      EnumSet.complementOf(
          EnumSet.of(RevocationReason.UNSPECIFIED, RevocationReason.REMOVE_FROM_CRL));

  /** How deep the status of a CRL signer outside the path is itself checked. */
  private static final int MAX_SIGNER_DEPTH = 3;

  private enum Status {
    UNREVOKED,
    REVOKED,
    UNDETERMINED
  }

  /** The outcome for one certificate. */
  private record Verdict(
      Status status, Optional<RevokedCertificate> entry, Optional<Crl> crl, boolean onlyStale) {}

  @Override
  public void check(PathContext path, List<Finding> out) {
    if (!path.revocation().check() || !path.complete()) {
      return;
    }
    List<Certificate> all = path.withAnchor();
    for (int i = 0; i < path.chain().size(); i++) {
      Certificate cert = path.chain().get(i);
      Optional<Certificate> issuer =
          i + 1 < all.size() ? Optional.of(all.get(i + 1)) : Optional.empty();
      Verdict v = status(cert, issuer, path, 0);
      report(cert, v, path.at(), out);
    }
  }

  private static void report(Certificate cert, Verdict v, Instant at, List<Finding> out) {
    String subject = cert.facts().subject().rfc4514();
    switch (v.status()) {
      case UNREVOKED -> {}
      case REVOKED -> {
        RevokedCertificate e = v.entry().orElseThrow();
        Evidence ev =
            Evidence.of(cert)
                .put("serial", e.serialHex())
                .put("revocationDate", e.revocationDate().toString())
                .put("reason", e.reason().map(Enum::name).orElse("UNSPECIFIED"));
        v.crl().ifPresent(c -> ev.put("crl", c.sha256()));
        out.add(
            Finding.error(
                RuleId.CERTIFICATE_REVOKED,
                "The certificate "
                    + subject
                    + " is revoked (reason "
                    + e.reason().map(Enum::name).orElse("UNSPECIFIED")
                    + ", since "
                    + e.revocationDate()
                    + ") by the CRL of "
                    + v.crl()
                        .map(c -> c.facts().issuer().rfc4514())
                        .orElse(cert.facts().issuer().rfc4514())
                    + ".",
                ev.map()));
      }
      case UNDETERMINED -> {
        if (v.onlyStale()) {
          Crl stale = v.crl().orElseThrow();
          out.add(
              Finding.error(
                  RuleId.REVOCATION_STALE,
                  "The CRL of "
                      + stale.facts().issuer().rfc4514()
                      + " that covers "
                      + subject
                      + " expired (nextUpdate "
                      + stale.facts().nextUpdate().map(Instant::toString).orElse("?")
                      + ") before "
                      + at
                      + "; a client that checks revocation refuses the certificate until the CA"
                      + " publishes a fresh CRL.",
                  Evidence.of(cert)
                      .put("crl", stale.sha256())
                      .put(
                          "nextUpdate",
                          stale.facts().nextUpdate().map(Instant::toString).orElse(""))
                      .map()));
        } else {
          out.add(
              Finding.error(
                  RuleId.REVOCATION_STATUS_UNKNOWN,
                  "No usable CRL decides whether "
                      + subject
                      + " is revoked (none in scope for its distribution points, or none current"
                      + " and correctly signed).",
                  Evidence.of(cert)
                      .put(
                          "crlDistributionPoints",
                          String.join(" ", cert.facts().crlDistributionPointUrls()))
                      .map()));
        }
      }
    }
  }

  /** A distribution point as section 6.3.3 walks it; a certificate without CDP gets one. */
  private record Point(
      Set<String> names,
      List<X500Name> crlIssuers,
      Set<RevocationReason> reasons,
      boolean virtual) {}

  private static List<Point> points(Certificate cert) {
    X500Name certIssuer = cert.data().issuer();
    List<Point> out = new ArrayList<>();
    for (DistributionPoint dp : cert.data().crlDistributionPoints()) {
      List<X500Name> crlIssuers = new ArrayList<>();
      if (dp.getCRLIssuer() != null) {
        for (GeneralName gn : dp.getCRLIssuer().getNames()) {
          if (gn.getTagNo() == GeneralName.directoryName) {
            crlIssuers.add(X500Name.getInstance(gn.getName()));
          }
        }
      }
      X500Name relativeTo = crlIssuers.isEmpty() ? certIssuer : crlIssuers.get(0);
      Set<String> names =
          DistributionPointNames.matchKeys(
              DistributionPointNames.fullNames(dp.getDistributionPoint(), relativeTo));
      Set<RevocationReason> reasons =
          dp.getReasons() == null ? ALL_REASONS : DistributionPointNames.reasons(dp.getReasons());
      out.add(new Point(names, crlIssuers, reasons, false));
    }
    if (out.isEmpty()) {
      out.add(
          new Point(
              Set.of("DN:" + cert.facts().issuer().canonical()), List.of(), ALL_REASONS, true));
    }
    return out;
  }

  private static Verdict status(
      Certificate cert, Optional<Certificate> pathIssuer, PathContext path, int depth) {
    Set<RevocationReason> covered = EnumSet.noneOf(RevocationReason.class);
    Optional<Crl> staleSeen = Optional.empty();
    boolean usedFresh = false;
    List<Crl> crls = path.revocation().crls();
    for (Point dp : points(cert)) {
      for (Crl complete : crls) {
        if (covered.containsAll(ALL_REASONS)) {
          break;
        }
        CrlFacts f = complete.facts();
        if (f.isDelta() || !inScope(complete, cert, dp)) {
          continue;
        }
        Set<RevocationReason> interim = EnumSet.copyOf(dp.reasons());
        f.issuingDistributionPoint()
            .flatMap(IssuingDistributionPoint::onlySomeReasons)
            .ifPresent(interim::retainAll);
        if (covered.containsAll(interim)) {
          continue;
        }
        if (complete.unusable().isPresent()) {
          continue;
        }
        Optional<Certificate> signer = signer(complete, cert, pathIssuer, path, depth);
        if (signer.isEmpty()) {
          continue;
        }
        if (f.thisUpdate().isAfter(path.at())) {
          continue;
        }
        Optional<Crl> delta = newestDelta(complete, cert, dp, signer.get(), path);
        if (f.staleAt(path.at()) && delta.isEmpty()) {
          staleSeen = Optional.of(complete);
          continue;
        }
        usedFresh = true;
        String issuerKey = cert.facts().issuer().canonical();
        String serial = cert.facts().serialHex();
        if (delta.isPresent()) {
          Optional<RevokedCertificate> e = delta.get().entryFor(issuerKey, serial);
          if (e.isPresent() && revokedAt(e.get(), path.at())) {
            if (e.get().reason().filter(r -> r == RevocationReason.REMOVE_FROM_CRL).isPresent()) {
              covered.addAll(interim);
              continue;
            }
            return new Verdict(Status.REVOKED, e, delta, false);
          }
        }
        Optional<RevokedCertificate> e = complete.entryFor(issuerKey, serial);
        if (e.isPresent()
            && revokedAt(e.get(), path.at())
            && e.get().reason().filter(r -> r == RevocationReason.REMOVE_FROM_CRL).isEmpty()) {
          return new Verdict(Status.REVOKED, e, Optional.of(complete), false);
        }
        covered.addAll(interim);
      }
    }
    if (covered.containsAll(ALL_REASONS)) {
      return new Verdict(Status.UNREVOKED, Optional.empty(), Optional.empty(), false);
    }
    return new Verdict(
        Status.UNDETERMINED, Optional.empty(), staleSeen, staleSeen.isPresent() && !usedFresh);
  }

  /** An entry revoked after the evaluation time does not yet apply. */
  private static boolean revokedAt(RevokedCertificate e, Instant at) {
    return !e.revocationDate().isAfter(at);
  }

  /**
   * 6.3.3 (b): the CRL's issuer and issuing distribution point cover {@code cert} at {@code dp}.
   */
  private static boolean inScope(Crl crl, Certificate cert, Point dp) {
    CrlFacts f = crl.facts();
    Optional<IssuingDistributionPoint> idp = f.issuingDistributionPoint();
    String crlIssuer = f.issuer().canonical();
    if (!dp.crlIssuers().isEmpty()) {
      boolean named = dp.crlIssuers().stream().anyMatch(n -> Names.canonical(n).equals(crlIssuer));
      if (!named) {
        return false;
      }
      if (!crlIssuer.equals(cert.facts().issuer().canonical())
          && !idp.map(IssuingDistributionPoint::indirectCrl).orElse(false)) {
        return false;
      }
    } else if (!crlIssuer.equals(cert.facts().issuer().canonical())) {
      return false;
    }
    if (idp.isEmpty()) {
      return true;
    }
    IssuingDistributionPoint p = idp.get();
    if (!crl.scopeNames().isEmpty()) {
      Set<String> dpNames = dp.names();
      if (dpNames.isEmpty()) {
        dpNames = new java.util.HashSet<>();
        for (X500Name n : dp.crlIssuers()) {
          dpNames.add("DN:" + Names.canonical(n));
        }
      }
      if (java.util.Collections.disjoint(crl.scopeNames(), dpNames)) {
        return false;
      }
    }
    boolean isCa = cert.facts().basicConstraints().ca();
    if (p.onlyContainsUserCerts() && isCa) {
      return false;
    }
    if (p.onlyContainsCaCerts() && !isCa) {
      return false;
    }
    return !p.onlyContainsAttributeCerts();
  }

  /**
   * 6.3.3 (f), (g): the certificate whose key signed the CRL and may sign CRLs: the certificate's
   * issuer in the path, or another certificate with the CRL issuer's name that an issuer in the
   * path (the anchor included) certified, is valid at the evaluation time and, in turn, not
   * revoked.
   */
  private static Optional<Certificate> signer(
      Crl crl, Certificate cert, Optional<Certificate> pathIssuer, PathContext path, int depth) {
    String crlIssuer = crl.facts().issuer().canonical();
    List<Certificate> inPath = path.withAnchor();
    if (pathIssuer.isPresent()
        && pathIssuer.get().facts().subject().canonical().equals(crlIssuer)
        && maySignCrls(pathIssuer.get())
        && crl.signedBy(pathIssuer.get(), issuerOf(pathIssuer.get(), inPath))) {
      return pathIssuer;
    }
    if (depth >= MAX_SIGNER_DEPTH) {
      return Optional.empty();
    }
    List<Certificate> candidates = new ArrayList<>(inPath);
    candidates.addAll(path.pool());
    for (Certificate s : candidates) {
      if (!s.facts().subject().canonical().equals(crlIssuer)
          || !maySignCrls(s)
          || !crl.signedBy(s, issuerOf(s, inPath))) {
        continue;
      }
      if (s.equals(cert)) {
        // A CRL issuer whose own certificate its own indirect CRL covers (PKITS 4.14.30): its
        // status is being decided one level up, where its certificate was found.
        if (depth > 0) {
          return Optional.of(s);
        }
        continue;
      }
      if (inPath.contains(s) && s.equals(path.anchorCert().orElse(null))) {
        return Optional.of(s);
      }
      if (path.at().isBefore(s.facts().notBefore()) || path.at().isAfter(s.facts().notAfter())) {
        continue;
      }
      Optional<Certificate> sIssuer = certifier(s, inPath);
      if (sIssuer.isEmpty()) {
        continue;
      }
      if (status(s, sIssuer, path, depth + 1).status() == Status.UNREVOKED) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The certificate of the path named as {@code c}'s issuer (for inherited DSA parameters). */
  private static Optional<Certificate> issuerOf(Certificate c, List<Certificate> inPath) {
    return inPath.stream()
        .filter(p -> !p.equals(c))
        .filter(p -> p.facts().subject().canonical().equals(c.facts().issuer().canonical()))
        .findFirst();
  }

  /** A certificate of the path (or its anchor) whose key signed {@code s}. */
  private static Optional<Certificate> certifier(Certificate s, List<Certificate> inPath) {
    for (Certificate p : inPath) {
      if (!p.equals(s)
          && p.facts().subject().canonical().equals(s.facts().issuer().canonical())
          && Signatures.verify(s.data().holder(), p.data().spki())) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** RFC 5280 6.3.3 (f): a key usage, if present, must assert cRLSign. */
  private static boolean maySignCrls(Certificate c) {
    return c.facts().keyUsage().map(k -> k.contains(KeyUsage.CRL_SIGN)).orElse(true);
  }

  /**
   * 6.3.3 (a)(1)(i), (c): the newest current delta CRL of the same issuer, signed by the same key,
   * with the same scope, whose base is no newer than the complete CRL.
   */
  private static Optional<Crl> newestDelta(
      Crl complete, Certificate cert, Point dp, Certificate signer, PathContext path) {
    Optional<java.math.BigInteger> number =
        complete.facts().crlNumber().map(java.math.BigInteger::new);
    if (number.isEmpty()) {
      return Optional.empty();
    }
    return path.revocation().crls().stream()
        .filter(d -> d.facts().isDelta())
        .filter(d -> d.facts().issuer().canonical().equals(complete.facts().issuer().canonical()))
        .filter(d -> d.unusable().isEmpty())
        .filter(
            d ->
                d.facts()
                    .issuingDistributionPoint()
                    .equals(complete.facts().issuingDistributionPoint()))
        .filter(
            d ->
                new java.math.BigInteger(d.facts().deltaBaseCrlNumber().orElseThrow())
                        .compareTo(number.get())
                    <= 0)
        .filter(d -> d.facts().crlNumber().isPresent())
        .filter(
            d -> new java.math.BigInteger(d.facts().crlNumber().get()).compareTo(number.get()) > 0)
        .filter(d -> !d.facts().thisUpdate().isAfter(path.at()) && !d.facts().staleAt(path.at()))
        .filter(d -> inScope(d, cert, dp))
        .filter(d -> d.signedBy(signer, issuerOf(signer, path.withAnchor())))
        .max(Comparator.comparing(d -> new java.math.BigInteger(d.facts().crlNumber().get())));
  }
}
