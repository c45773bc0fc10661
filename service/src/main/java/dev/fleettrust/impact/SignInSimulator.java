package dev.fleettrust.impact;

import dev.fleettrust.trust.Capabilities;
import dev.fleettrust.trust.Capability;
import dev.fleettrust.trust.DeviceProfile;
import dev.fleettrust.trust.FirmwareResolution;
import dev.fleettrust.trust.HeldCertificate;
import dev.fleettrust.trust.Provenance;
import dev.fleettrust.trust.ProvisioningMethod;
import dev.fleettrust.trust.ResolvedFirmware;
import dev.fleettrust.trust.Rule;
import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.ClientProfile;
import dev.fleettrust.x509.KeyType;
import dev.fleettrust.x509.RuleId;
import dev.fleettrust.x509.SignatureAlgorithm;
import dev.fleettrust.x509.TrustAnchor;
import dev.fleettrust.x509.ValidationRequest;
import dev.fleettrust.x509.ValidationResult;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Simulates the next sign-in of one device profile in one {@link World} (issue 4, item 4):
 *
 * <ol>
 *   <li>the pool as a whole: its services start (no MD5) and it offers a TLS version the build
 *       speaks;
 *   <li>re-provisioning by the method the device used last (contract.md, "What next sign-in
 *       assumes"): PIN authentication downloads what the web service hands out and then talks HTTPS
 *       to it; USB tethering and AD credentials fetch the AD-published CAs (without intermediates
 *       where the build skips them); a vendor profile keeps what it holds; a device never seen
 *       provisioning is judged on what it holds, then on the paths its family can take;
 *   <li>TLS to the SIP endpoint, for the FQDN it dials;
 *   <li>the Exchange EWS connection.
 * </ol>
 *
 * A stage that breaks sign-in ends the simulation, as it ends the real sign-in. Where the course is
 * not known (several pools, several SRV targets, a device never seen provisioning), each is
 * simulated and disagreement gives AT_RISK with the deciding fact.
 */
final class SignInSimulator {
  /**
   * An SPKI hash no certificate has: an identity anchor with it is matched by name alone (the x509
   * core's rule for an identity whose key is nowhere to be had), which is what "the server's store
   * hands out its root" and "the pool's issuing CA" mean when FleetTrust holds no copy.
   */
  static final String ANY_KEY = "0".repeat(64);

  private static final List<LegRule> RULES =
      List.of(
          new PathTrustRule(),
          new RevocationReachabilityRule(),
          new ProvisionedChainMismatchRule(),
          new EwsIssuerRule(),
          new UnknownRootStoreRule(),
          new IncompleteRootStoreRule());

  Outcome evaluate(DeviceProfile p, World w) {
    FirmwareResolution res = w.resolve(p.model(), p.build());
    if (res instanceof FirmwareResolution.ModelNotInCatalog) {
      return Outcome.unknown(
          catalogFinding(
              Rule.MODEL_NOT_IN_CATALOG,
              "The model " + p.model() + " is not in catalog " + w.catalog.version() + ".",
              Map.of(
                  "model", p.model(), "build", p.build(), "catalogVersion", w.catalog.version())),
          Optional.empty());
    }
    if (res instanceof FirmwareResolution.BuildNotInCatalog b) {
      Map<String, String> ev = new LinkedHashMap<>();
      ev.put("model", p.model());
      ev.put("family", b.family().id());
      ev.put("build", p.build());
      ev.put("catalogVersion", w.catalog.version());
      b.nearestOlder().ifPresent(n -> ev.put("nearestCataloguedBuild", n.text()));
      return Outcome.unknown(
          catalogFinding(
              Rule.FIRMWARE_NOT_IN_CATALOG,
              "Build "
                  + p.build()
                  + " of "
                  + b.family().id()
                  + " ("
                  + p.model()
                  + ") is not in catalog "
                  + w.catalog.version()
                  + b.nearestOlder()
                      .map(n -> "; the nearest older catalogued build is " + n.text())
                      .orElse("")
                  + ".",
              ev),
          Optional.empty());
    }
    return onUnknownCapabilities(p, ((FirmwareResolution.Resolved) res).firmware(), w);
  }

  /**
   * The capabilities a rule may need but the catalog does not state for the build (contract.md,
   * "Unknown is never OK"): the device is simulated with every unknown capability at its most
   * permissive value, then once more per unknown capability at its most restrictive value. A
   * capability whose restrictive reading makes the outcome worse is exercised by the change and
   * decides the verdict: its findings join as AT_RISK, naming the capability. The TLS bounds are
   * judged by {@link TlsVersionRule} on the range directly.
   */
  private Outcome onUnknownCapabilities(DeviceProfile p, ResolvedFirmware fw, World w) {
    Set<Capability> unknown = fw.capabilities().unknown();
    unknown.removeAll(TlsVersionRule.NEEDS);
    if (unknown.isEmpty()) {
      return onPools(p, fw, w);
    }
    Capabilities open = fw.capabilities().assuming(Set.of());
    Outcome permissive = onPools(p, fw.withCapabilities(open), w);
    if (permissive.verdict() == Verdict.BREAKS || permissive.verdict() == Verdict.UNKNOWN) {
      return permissive;
    }
    List<Finding> findings = new ArrayList<>(permissive.findings());
    Set<String> seen = new HashSet<>();
    permissive.findings().forEach(f -> seen.add(f.rule() + "|" + f.stage()));
    List<Set<Capability>> readings = new ArrayList<>();
    unknown.forEach(c -> readings.add(Set.of(c)));
    if (unknown.size() > 1) {
      // Two unknowns may decide only together (no AIA fetching and an intermediate-skipping
      // path): the all-restrictive reading is tried last, and names them all.
      readings.add(unknown);
    }
    boolean worse = false;
    for (Set<Capability> reading : readings) {
      if (worse && reading.size() > 1) {
        break;
      }
      Capabilities restricted = fw.capabilities().assuming(reading);
      if (restricted.equals(open)) {
        continue;
      }
      Outcome o = onPools(p, fw.withCapabilities(restricted), w);
      if (Outcome.badness(o.verdict()) <= Outcome.badness(permissive.verdict())
          && !(permissive.verdict() == Verdict.OK && o.verdict() != Verdict.OK)) {
        continue;
      }
      worse = true;
      String c = String.join(" ", reading.stream().map(Capability::wireName).sorted().toList());
      for (Finding f : o.findings()) {
        if (f.effect() == Verdict.OK || !seen.add(f.rule() + "|" + f.stage() + "|" + c)) {
          continue;
        }
        Map<String, String> ev = new LinkedHashMap<>(f.evidence());
        ev.put("capability", c);
        ev.put("dependsOn", "the catalog does not state " + c + " for " + fw.profileName());
        findings.add(
            new Finding(
                f.rule(),
                Verdict.AT_RISK,
                f.stage(),
                f.message()
                    + " The catalog does not state "
                    + c
                    + " for "
                    + fw.profileName()
                    + ": this happens if the build's "
                    + c
                    + " does not cover it.",
                ev,
                "Add "
                    + c
                    + " for "
                    + fw.profileName()
                    + " to the catalog (PUT /catalog/families/{family}/builds/{build}). "
                    + f.remediation()));
      }
    }
    return Outcome.of(findings, permissive.firmware());
  }

  private Outcome onPools(DeviceProfile p, ResolvedFirmware fw, World w) {
    List<Pool> pools;
    if (p.pool().isPresent()) {
      Optional<Pool> pool = w.env.poolFor(p.pool().get());
      if (pool.isEmpty()) {
        return Outcome.unknown(
            catalogFinding(
                Rule.POOL_NOT_IN_ENVIRONMENT,
                "The device registers to "
                    + p.pool().get()
                    + ", which the environment document does not list.",
                Map.of("pool", p.pool().get())),
            Optional.of(fw));
      }
      pools = List.of(pool.get());
    } else {
      pools = w.env.pools();
    }
    if (pools.isEmpty()) {
      return Outcome.unknown(
          catalogFinding(
              Rule.POOL_NOT_IN_ENVIRONMENT,
              "The environment document lists no pool, so no sign-in can be simulated.",
              Map.of()),
          Optional.of(fw));
    }
    if (pools.size() == 1) {
      return onPool(p, fw, w.pool(pools.get(0)), w);
    }
    List<String> labels = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>();
    for (Pool pool : pools) {
      labels.add("it registers to " + pool.fqdn());
      outcomes.add(onPool(p, fw, w.pool(pool), w));
    }
    return Outcome.eitherWay(labels, outcomes, "which pool the device registers to");
  }

  private static Finding catalogFinding(Rule rule, String message, Map<String, String> evidence) {
    return new Finding(
        rule, Verdict.UNKNOWN, Stage.CATALOG, message, evidence, Advice.forRule(rule));
  }

  /**
   * The provisioning course (contract.md, "What next sign-in assumes" and "Unknown is never OK"). A
   * device repeats the method it used last. A PIN-authenticated device whose site does not offer
   * PIN authentication may not re-provision by PIN: when keeping what it holds, PIN and the other
   * paths its family can take do not all agree, it is AT_RISK PROVISIONING_PATH_UNCERTAIN naming
   * the site. A device never seen provisioning is judged on its built-in roots and what it
   * reported; it never receives AD-published CAs or a provisioning-service download by assumption:
   * when those fail and every path its family can take would work, it is AT_RISK NEVER_PROVISIONED
   * naming the paths; when only some would, AT_RISK PROVISIONING_PATH_UNCERTAIN; when none would,
   * the failing rule's verdict (UNKNOWN when nothing at all is known of its trust store).
   */
  private Outcome onPool(DeviceProfile p, ResolvedFirmware fw, World.PoolView pv, World w) {
    Optional<ProvisioningMethod> latest = p.latestMethod();
    boolean pinOffered = p.site().flatMap(w.env::site).map(Site::pinAuthentication).orElse(true);
    boolean pinUnavailable = latest.equals(Optional.of(ProvisioningMethod.PIN_AUTH)) && !pinOffered;
    if (latest.isPresent() && !pinUnavailable) {
      return signIn(p, fw, pv, latest, w);
    }
    Outcome kept = signIn(p, fw, pv, Optional.empty(), w);
    if (latest.isEmpty() && kept.verdict() == Verdict.OK) {
      return kept;
    }
    List<ProvisioningMethod> paths = new ArrayList<>();
    if (pinUnavailable) {
      paths.add(ProvisioningMethod.PIN_AUTH);
    }
    for (ProvisioningMethod m : fw.capabilities().provisioningMethods()) {
      if (m != ProvisioningMethod.VENDOR_PROFILE
          && !paths.contains(m)
          && (m != ProvisioningMethod.PIN_AUTH || pinOffered)) {
        paths.add(m);
      }
    }
    paths.sort(null);
    List<String> working = new ArrayList<>();
    List<String> failing = new ArrayList<>();
    boolean allAgree = true;
    for (ProvisioningMethod m : paths) {
      Outcome alt = signIn(p, fw, pv, Optional.of(m), w);
      allAgree &= alt.verdict() == kept.verdict();
      if (Outcome.badness(alt.verdict()) < Outcome.badness(kept.verdict())) {
        working.add(m + " gives " + alt.verdict());
      } else {
        failing.add(m.name());
      }
    }
    if (pinUnavailable) {
      // What it holds decides when it suffices: the site cannot run the PIN download that might
      // spoil it (and a never-provisioned device holding the same is OK too, so removing the PIN
      // event must not be what turns this device OK).
      return allAgree || kept.verdict() == Verdict.OK || working.isEmpty()
          ? kept
          : pathUncertain(p, fw, kept, working, failing, pinUnavailableAt(p));
    }
    if (working.isEmpty()) {
      boolean nothingKnown =
          p.held().isEmpty()
              && !fw.builtInRoots().isKnown()
              && !fw.capabilities().osManagedTrust()
              && kept.findings().stream().anyMatch(f -> f.rule() == Rule.BUILT_IN_ROOTS_UNKNOWN);
      if (!nothingKnown) {
        return kept;
      }
      return Outcome.unknown(
          new Finding(
              Rule.NEVER_PROVISIONED,
              Verdict.UNKNOWN,
              Stage.CATALOG,
              p.model()
                  + " on "
                  + fw.profileName()
                  + " was never seen provisioning, reported no trust store, and the catalog does"
                  + " not know its built-in roots.",
              Map.of("model", p.model(), "family", fw.family().id(), "build", fw.build().text()),
              Advice.forRule(Rule.NEVER_PROVISIONED)),
          Optional.of(fw));
    }
    String deciding =
        "which provisioning path the device, never seen provisioning, takes at its first sign-in";
    if (!failing.isEmpty()) {
      return pathUncertain(p, fw, kept, working, failing, deciding);
    }
    List<Finding> findings = new ArrayList<>();
    findings.add(
        new Finding(
            Rule.NEVER_PROVISIONED,
            Verdict.AT_RISK,
            Stage.CATALOG,
            p.model()
                + " on "
                + fw.profileName()
                + " was never seen provisioning and fails with what its firmware carries and what"
                + " it reported; it works only if it provisions first: "
                + String.join(", ", working)
                + ".",
            Map.of(
                "model", p.model(),
                "family", fw.family().id(),
                "build", fw.build().text(),
                "provisioning", "none",
                "paths", String.join(", ", working)),
            "Provision the device before the change ("
                + String.join(" or ", working)
                + "), or collect its trust store (device.trust-store-reported)."));
    findings.addAll(atRiskUnless(kept, deciding));
    return new Outcome(Verdict.AT_RISK, findings, kept.firmware());
  }

  private static String pinUnavailableAt(DeviceProfile p) {
    return "site "
        + p.site().orElse("?")
        + " no longer offers PIN authentication: whether the device can re-provision by PIN or"
        + " signs in another way";
  }

  /** AT_RISK PROVISIONING_PATH_UNCERTAIN: some paths work and some do not. */
  private static Outcome pathUncertain(
      DeviceProfile p,
      ResolvedFirmware fw,
      Outcome kept,
      List<String> working,
      List<String> failing,
      String deciding) {
    Map<String, String> evidence = new LinkedHashMap<>();
    evidence.put("model", p.model());
    evidence.put("family", fw.family().id());
    evidence.put("build", fw.build().text());
    evidence.put("provisioning", p.latestMethod().map(Enum::name).orElse("none"));
    p.site().ifPresent(s -> evidence.put("site", s));
    evidence.put("paths", String.join(", ", working));
    List<Finding> findings = new ArrayList<>();
    findings.add(
        new Finding(
            Rule.PROVISIONING_PATH_UNCERTAIN,
            Verdict.AT_RISK,
            Stage.CATALOG,
            p.model()
                + " on "
                + fw.profileName()
                + ": the outcome depends on "
                + deciding
                + ". "
                + (working.isEmpty() ? "No path does better" : String.join(", ", working))
                + (failing.isEmpty() ? "" : "; " + String.join(", ", failing) + " fails")
                + "; keeping what it holds gives "
                + kept.verdict()
                + ".",
            evidence,
            Advice.forRule(Rule.PROVISIONING_PATH_UNCERTAIN)));
    findings.addAll(atRiskUnless(kept, deciding));
    return new Outcome(Verdict.AT_RISK, findings, kept.firmware());
  }

  /** The findings of keeping what it holds, as AT_RISK: they happen only on that course. */
  private static List<Finding> atRiskUnless(Outcome kept, String deciding) {
    if (kept.verdict() == Verdict.OK) {
      return List.of();
    }
    return Outcome.eitherWay(
            List.of("it keeps what it holds", "it signs in otherwise"),
            List.of(kept, new Outcome(Verdict.OK, List.of(), kept.firmware())),
            deciding)
        .findings();
  }

  /** One sign-in by one course on one pool. */
  private Outcome signIn(
      DeviceProfile p,
      ResolvedFirmware fw,
      World.PoolView pv,
      Optional<ProvisioningMethod> method,
      World w) {
    Optional<ResolvedFirmware> ofw = Optional.of(fw);
    if (pv.outage.isPresent()) {
      return Outcome.of(List.of(pv.outage.get()), ofw);
    }
    Optional<Finding> tls = TlsVersionRule.check(fw, pv.pool, p.model());
    if (tls.isPresent() && tls.get().effect() == Verdict.BREAKS) {
      return Outcome.of(List.of(tls.get()), ofw);
    }
    Download download = null;
    Provenance replaced = null;
    if (method.isPresent()) {
      switch (method.get()) {
        case PIN_AUTH -> {
          download = pv.webService;
          replaced = Provenance.PROVISIONING_SERVICE;
        }
        case USB_TETHER, AD_CREDENTIALS -> {
          download = w.activeDirectory(fw.capabilities().usbTetherSkipsIntermediates());
          replaced = Provenance.ACTIVE_DIRECTORY;
        }
        case VENDOR_PROFILE -> {}
      }
    }
    Holdings h = holdings(p, fw, method, pv, w, download, replaced);
    Optional<Download> fromWs =
        method.filter(m -> m == ProvisioningMethod.PIN_AUTH).map(m -> pv.webService);
    List<Finding> findings = new ArrayList<>();
    tls.ifPresent(findings::add);

    if (fromWs.isPresent()) {
      Optional<List<Certificate>> ws = pv.pool.chain(Usage.WEB_SERVICES_INTERNAL);
      if (ws.isPresent()) {
        findings.addAll(
            connect(
                Stage.PROVISIONING,
                p,
                fw,
                method,
                fromWs,
                pv,
                Usage.WEB_SERVICES_INTERNAL,
                pv.pool.fqdn() + " " + Usage.WEB_SERVICES_INTERNAL,
                ws.get(),
                Optional.empty(),
                h,
                w));
        if (breaks(findings)) {
          return Outcome.of(findings, ofw);
        }
      }
    }

    Optional<List<Certificate>> sip = pv.pool.chain(Usage.DEFAULT);
    if (sip.isEmpty()) {
      return Outcome.unknown(
          catalogFinding(
              Rule.POOL_NOT_IN_ENVIRONMENT,
              "The environment gives no DEFAULT certificate for " + pv.pool.fqdn() + ".",
              Map.of("pool", pv.pool.fqdn())),
          ofw);
    }
    List<String> hosts = p.dialedFqdn().map(List::of).orElse(pv.pool.dialedFqdns());
    List<Outcome> perHost = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (String host : hosts) {
      perHost.add(
          Outcome.of(
              connect(
                  Stage.SIGN_IN,
                  p,
                  fw,
                  method,
                  fromWs,
                  pv,
                  Usage.DEFAULT,
                  pv.pool.fqdn() + " " + Usage.DEFAULT,
                  sip.get(),
                  Optional.of(host),
                  h,
                  w),
              ofw));
      labels.add("it dials " + host);
    }
    Outcome signIn =
        perHost.size() == 1
            ? perHost.get(0)
            : Outcome.eitherWay(labels, perHost, "which SRV target the device dials");
    findings.addAll(signIn.findings());
    if (breaks(findings)) {
      return Outcome.of(findings, ofw);
    }

    for (ExchangeHost ews : w.env.exchange()) {
      Holdings eh = fw.capabilities().ewsTrustsOnlyPoolIssuer() ? ewsHoldings(p, fw, pv, h, w) : h;
      findings.addAll(
          connect(
              Stage.EXCHANGE,
              p,
              fw,
              method,
              fromWs,
              pv,
              null,
              ews.ewsFqdn(),
              ews.chain(),
              Optional.of(ews.ewsFqdn()),
              eh,
              w));
    }
    return Outcome.of(findings, ofw);
  }

  private static boolean breaks(List<Finding> findings) {
    return findings.stream().anyMatch(f -> f.effect() == Verdict.BREAKS);
  }

  /**
   * One TLS connection: validate the presented chain under the device's profile, then the rules.
   */
  private List<Finding> connect(
      Stage stage,
      DeviceProfile p,
      ResolvedFirmware fw,
      Optional<ProvisioningMethod> method,
      Optional<Download> fromWs,
      World.PoolView pv,
      Usage usage,
      String endpoint,
      List<Certificate> presentedChain,
      Optional<String> host,
      Holdings h,
      World w) {
    Optional<Reissue> reissue =
        w.reissue(
            usage == null
                ? Reissue.exchangeChain(endpoint)
                : Reissue.poolChain(pv.pool.fqdn(), usage));
    List<Certificate> presented = presentedChain;
    List<Certificate> completed;
    Optional<String> checkedHost = host;
    if (reissue.map(Reissue::fromPoolIssuer).orElse(false)) {
      presented = pv.pool.chain(Usage.DEFAULT).orElse(presentedChain);
      completed = pv.completed.getOrDefault(Usage.DEFAULT, w.known.complete(presented));
      checkedHost = Optional.empty();
    } else {
      completed = usage == null ? w.known.complete(presented) : pv.completed.get(usage);
    }
    if (host.isPresent() && reissue.map(r -> r.addedNames().contains(host.get())).orElse(false)) {
      checkedHost = Optional.empty();
    }
    ClientProfile profile = fw.capabilities().clientProfile(fw.profileName());
    if (reissue.flatMap(Reissue::signedWith).isPresent()) {
      Set<SignatureAlgorithm> algs = EnumSet.noneOf(SignatureAlgorithm.class);
      algs.addAll(profile.acceptedSignatureAlgorithms());
      completed.forEach(c -> algs.add(c.facts().signatureAlgorithm()));
      profile = profile.withSignatureAlgorithms(algs);
    }
    if (reissue.map(Reissue::supportedKey).orElse(false)) {
      Set<KeyType> types = EnumSet.noneOf(KeyType.class);
      types.addAll(profile.acceptedKeyTypes());
      int max = profile.maxRsaBits();
      for (Certificate c : completed) {
        types.add(c.facts().key().type());
        max = Math.max(max, c.facts().key().bits());
      }
      profile = profile.withKeys(types, 0, max);
    }
    List<TrustAnchor> anchors = h.anchors();
    String holdingsKey = h.key();
    Certificate top = completed.get(completed.size() - 1);
    if (fw.capabilities().osManagedTrust() && !top.facts().selfSigned()) {
      // Windows fetches a root it lacks on demand (Automatic Root Certificates Update).
      anchors = new ArrayList<>(anchors);
      anchors.add(
          new TrustAnchor.OfIdentity(top.facts().issuer().canonical(), ANY_KEY, Optional.empty()));
      holdingsKey = holdingsKey + "|os:" + top.facts().issuer().canonical();
    }
    boolean aia = profile.fetchesAiaIntermediates();
    StringBuilder chainKey = new StringBuilder();
    presented.forEach(c -> chainKey.append(c.sha256(), 0, 16).append(','));
    final List<TrustAnchor> finalAnchors = anchors;
    final ClientProfile finalProfile = profile;
    final List<Certificate> finalPresented = presented;
    final Optional<String> finalHost = checkedHost;
    ValidationResult result =
        w.memo.validate(
            new ValidationMemo.Key(
                chainKey.toString(),
                holdingsKey,
                checkedHost.orElse(""),
                profile,
                w.at,
                aia ? w.knownId : ""),
            () ->
                new ValidationRequest(
                    finalPresented,
                    h.intermediates(),
                    finalAnchors,
                    finalHost,
                    w.at,
                    finalProfile,
                    aia ? w.known.all() : List.of()));
    if (reissue.map(Reissue::renewed).orElse(false)) {
      result = renewed(result);
    }
    Connection c =
        new Connection(
            stage,
            p,
            fw,
            method,
            fromWs,
            pv,
            Optional.ofNullable(usage),
            endpoint,
            host,
            presented,
            completed,
            result,
            w);
    List<Finding> findings = List.of();
    for (LegRule rule : RULES) {
      findings = rule.apply(c, findings);
    }
    Optional<SignatureAlgorithm> reissuedWith = reissue.flatMap(Reissue::signedWith);
    if (reissuedWith.isPresent()
        && !fw.capabilities().signatureAlgorithms().contains(reissuedWith.get())) {
      List<Finding> out = new ArrayList<>(findings);
      Map<String, String> ev = new LinkedHashMap<>(c.context());
      ev.put("signatureAlgorithm", reissuedWith.get().wireName());
      out.add(
          new Finding(
              Rule.SIGNATURE_ALGORITHM_UNSUPPORTED,
              c.failureEffect(),
              stage,
              c.who()
                  + " does not support "
                  + reissuedWith.get().wireName()
                  + ", "
                  + PathTrustRule.phrase(c)
                  + ".",
              ev,
              Advice.forRule(Rule.SIGNATURE_ALGORITHM_UNSUPPORTED)));
      findings = out;
    }
    return findings;
  }

  /** The result as it would be with every certificate of the chain valid at the evaluation time. */
  private static ValidationResult renewed(ValidationResult r) {
    List<dev.fleettrust.x509.Finding> kept = new ArrayList<>();
    for (dev.fleettrust.x509.Finding f : r.findings()) {
      if (f.rule() != RuleId.CERTIFICATE_EXPIRED && f.rule() != RuleId.NOT_YET_VALID) {
        kept.add(f);
      }
    }
    boolean valid =
        kept.stream().noneMatch(f -> f.severity() == dev.fleettrust.x509.Severity.ERROR)
            && r.anchor().isPresent();
    return new ValidationResult(valid, r.path(), r.anchor(), kept);
  }

  /**
   * What the device holds at this sign-in: its built-in roots, the certificates it holds except
   * those of the source it re-provisions from, and what that source hands out now.
   */
  private static Holdings holdings(
      DeviceProfile p,
      ResolvedFirmware fw,
      Optional<ProvisioningMethod> method,
      World.PoolView pv,
      World w,
      Download download,
      Provenance replaced) {
    String fwKey =
        fw.profileName()
            + "@"
            + fw.entry().map(e -> e.build().key()).orElse("-")
            + (fw.capabilities().usbTetherSkipsIntermediates() ? "/skips" : "")
            + (fw.capabilities().osManagedTrust() ? "/os" : "");
    StringBuilder key =
        new StringBuilder(fwKey).append('|').append(method.map(Enum::name).orElse("-"));
    if (download != null) {
      key.append('|').append(pv.pool.fqdn());
    }
    key.append('|');
    for (HeldCertificate hc : p.held()) {
      key.append(hc.certificate().sha256(), 0, 16).append(hc.provenance().ordinal()).append(',');
    }
    return w.holdings(
        key.toString(),
        () -> {
          List<TrustAnchor> anchors = new ArrayList<>(builtIns(p, fw, w));
          List<Certificate> intermediates = new ArrayList<>();
          Set<String> seen = new HashSet<>();
          StringBuilder content = new StringBuilder(fwKey).append('|');
          for (HeldCertificate hc : p.held()) {
            if (hc.provenance() == replaced || !seen.add(hc.certificate().sha256())) {
              continue;
            }
            hold(
                hc.certificate(),
                hc.certificate().facts().selfSigned(),
                anchors,
                intermediates,
                content);
          }
          if (download != null) {
            for (Certificate c : download.anchors()) {
              if (seen.add(c.sha256())) {
                hold(c, true, anchors, intermediates, content);
              }
            }
            for (Certificate c : download.intermediates()) {
              if (seen.add(c.sha256())) {
                hold(c, false, anchors, intermediates, content);
              }
            }
            for (String name : download.assumedRoots()) {
              anchors.add(new TrustAnchor.OfIdentity(name, ANY_KEY, Optional.empty()));
              content.append("n").append(name).append(',');
            }
          }
          if (fw.capabilities().osManagedTrust()) {
            anchors.addAll(w.knownRoots);
            content.append("|os").append(w.knownId);
          }
          return new Holdings(anchors, intermediates, content.toString());
        });
  }

  /**
   * The firmware built-ins the device has (contract.md, "Trust-store reports"): a device that
   * reported its store is taken at its word, so a built-in root the report lacks is absent.
   */
  static List<TrustAnchor> builtIns(DeviceProfile p, ResolvedFirmware fw, World w) {
    List<TrustAnchor> all = w.builtIns(fw);
    if (!reported(p)) {
      return all;
    }
    Set<String> keys = new HashSet<>();
    for (HeldCertificate h : p.held()) {
      if (h.provenance() == Provenance.REPORTED) {
        keys.add(h.certificate().facts().spkiSha256());
      }
    }
    return all.stream().filter(a -> keys.contains(a.spkiSha256())).toList();
  }

  /** Whether the device reported its trust store (the report is its whole store). */
  static boolean reported(DeviceProfile p) {
    return p.held().stream().anyMatch(h -> h.provenance() == Provenance.REPORTED);
  }

  private static void hold(
      Certificate c,
      boolean asAnchor,
      List<TrustAnchor> anchors,
      List<Certificate> intermediates,
      StringBuilder content) {
    if (asAnchor) {
      anchors.add(new TrustAnchor.OfCertificate(c));
      content.append('a');
    } else {
      intermediates.add(c);
      content.append('i');
    }
    content.append(c.sha256(), 0, 16).append(',');
  }

  /**
   * The anchors a build with {@code ewsTrustsOnlyPoolIssuer} uses for Exchange (contract.md: the
   * EWS chain must go through the pool's issuing CA, a built-in root or a TrustedCACerts entry);
   * intermediates it holds still help build the path.
   */
  private static Holdings ewsHoldings(
      DeviceProfile p, ResolvedFirmware fw, World.PoolView pv, Holdings device, World w) {
    List<TrustAnchor> anchors = new ArrayList<>(builtIns(p, fw, w));
    StringBuilder key =
        new StringBuilder(reported(p) ? "ews-reported|" + anchors.size() + "|" : "ews|")
            .append(fw.profileName())
            .append('@')
            .append(fw.entry().map(e -> e.build().key()).orElse("-"))
            .append('|');
    Optional<Certificate> issuer = pv.defaultIssuer();
    if (issuer.isPresent()) {
      anchors.add(new TrustAnchor.OfCertificate(issuer.get()));
      key.append(issuer.get().sha256(), 0, 16);
    } else {
      pv.pool
          .chain(Usage.DEFAULT)
          .ifPresent(
              ch -> {
                String name = ch.get(0).facts().issuer().canonical();
                anchors.add(new TrustAnchor.OfIdentity(name, ANY_KEY, Optional.empty()));
                key.append('n').append(name);
              });
    }
    for (TrustedCaCert t : pv.pool.trustedCaCerts()) {
      anchors.add(new TrustAnchor.OfCertificate(t.certificate()));
      key.append(',').append(t.certificate().sha256(), 0, 16);
    }
    key.append('|');
    device.intermediates().forEach(c -> key.append(c.sha256(), 0, 16).append(','));
    return new Holdings(anchors, device.intermediates(), key.toString());
  }
}
