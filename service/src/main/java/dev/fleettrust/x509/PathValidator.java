package dev.fleettrust.x509;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RFC 5280 path building and validation under a {@link ClientProfile}. Builds every candidate path
 * from the leaf to an anchor (cross-signed alternatives included) within a time, step and candidate
 * budget; the request is valid if any path passes every rule, otherwise the findings of the best
 * failing path are reported (see service/docs/adr/0001-own-path-builder.md for why the builder is
 * our own).
 *
 * <p>Semantics callers rely on:
 *
 * <ul>
 *   <li>only anchors are trusted: a self-signed certificate in the presented chain is not trusted
 *       because it is there (contract.md, "Chains");
 *   <li>a path that dead-ends at a certificate that is not self-issued, whose issuer is available
 *       nowhere (presented, held, AIA-fetchable when the profile fetches, anchors), gives
 *       MISSING_INTERMEDIATE with the missing issuer's name and the AKI as evidence;
 *   <li>a path that reaches a root or issuer that is not an anchor gives UNTRUSTED_ROOT;
 *   <li>a path whose anchor is expired at the evaluation time gives ANCHOR_EXPIRED;
 *   <li>a host matched only by a wildcard, on a profile without wildcards, gives
 *       WILDCARD_UNSUPPORTED.
 * </ul>
 *
 * <p>Thread-safe. Signature verifications are memoized per instance, keyed by the signed
 * certificate's SHA-256 and the issuer's SPKI hash, so one instance should serve a whole assessment
 * run.
 */
public final class PathValidator {

  /**
   * Limits per validation: wall-clock time, complete candidate paths evaluated, and search steps
   * (certificates expanded). Pathological meshes of cross-signed CAs otherwise make path building
   * exponential (x509-limbo {@code pathological::*}).
   */
  public record Budget(Duration time, int maxCandidatePaths, int maxSteps) {
    public static final Budget DEFAULT = new Budget(Duration.ofSeconds(2), 64, 5_000);

    public Budget {
      Objects.requireNonNull(time, "time");
      if (maxCandidatePaths < 1 || maxSteps < 1) {
        throw new IllegalArgumentException("budgets must be positive");
      }
    }
  }

  private static final int MAX_MEMO = 500_000;
  private static final int MAX_EXPLORATION_DEPTH = 32;
  private static final int DEAD_END_STEPS = 256;

  private static final List<PathRule> RULES =
      List.of(
          new MalformedCertificateRule(),
          new CriticalExtensionsRule(),
          new ValidityRule(),
          new SignatureAlgorithmRule(),
          new KeyRule(),
          new BasicConstraintsRule(),
          new PathLengthRule(),
          new KeyUsageRule(),
          new ExtendedKeyUsageRule(),
          new NameConstraintsRule(),
          new PolicyRule(),
          new RevocationRule(),
          new IssuanceRule(),
          new DepthRule(),
          new HostnameRule());

  private final Budget budget;
  private final ConcurrentHashMap<String, Boolean> signatures = new ConcurrentHashMap<>();

  public PathValidator() {
    this(Budget.DEFAULT);
  }

  public PathValidator(Budget budget) {
    this.budget = Objects.requireNonNull(budget, "budget");
  }

  public ValidationResult validate(ValidationRequest request) {
    return new Search(request).run();
  }

  /** Whether {@code issuer}'s key verifies {@code child}'s signature; memoized. */
  boolean verifies(Certificate child, Certificate issuer) {
    String key = child.sha256() + ':' + issuer.facts().spkiSha256();
    Boolean cached = signatures.get(key);
    if (cached != null) {
      return cached;
    }
    PublicKeyInfo k = issuer.facts().key();
    boolean ok =
        !(k.type() == KeyType.RSA && k.bits() > Signatures.MAX_RSA_BITS_VERIFIED)
            && Signatures.verify(child.data().holder(), issuer.data().spki());
    if (signatures.size() > MAX_MEMO) {
      signatures.clear();
    }
    signatures.put(key, ok);
    return ok;
  }

  /** An anchor with the certificate that stands for it, if any. */
  private record AnchorNode(TrustAnchor anchor, Optional<Certificate> cert) {}

  /** A failing candidate and its findings. */
  private record Candidate(
      List<Certificate> path, Optional<TrustAnchor> anchor, List<Finding> findings, long errors) {}

  /** The state of one validation. */
  private final class Search {
    private final ValidationRequest request;
    private final ClientProfile profile;
    private final Instant at;
    private final long deadline;
    private final Certificate leaf;
    private final Map<String, Certificate> pool = new LinkedHashMap<>();
    private final Map<String, Integer> order = new HashMap<>();
    private final Set<String> fetchedViaAia = new HashSet<>();
    private final Map<String, List<Certificate>> poolBySubject = new HashMap<>();
    private final Map<String, List<AnchorNode>> anchorsBySubject = new HashMap<>();
    private final Set<String> anchorCertShas = new HashSet<>();
    private final int depthCap;
    private Set<String> reach = Set.of();
    private int steps;
    private int candidates;
    private boolean exhausted;
    private Candidate best;

    Search(ValidationRequest request) {
      this.request = request;
      this.profile = request.profile();
      this.at = request.at().truncatedTo(ChronoUnit.SECONDS);
      this.deadline = System.nanoTime() + budget.time().toNanos();
      this.leaf = request.leaf();
      this.depthCap = Math.min(MAX_EXPLORATION_DEPTH, 2 * profile.maxDepth() + 2);
      List<Certificate> presented = request.presented();
      for (Certificate c : presented.subList(1, presented.size())) {
        add(c);
      }
      request.heldIntermediates().forEach(this::add);
      if (profile.fetchesAiaIntermediates()) {
        for (Certificate c : request.aiaFetchable()) {
          if (!pool.containsKey(c.sha256()) && !c.equals(leaf)) {
            fetchedViaAia.add(c.sha256());
          }
          add(c);
        }
      }
      for (TrustAnchor a : request.anchors()) {
        Optional<Certificate> cert =
            a instanceof TrustAnchor.OfCertificate oc
                ? Optional.of(oc.certificate())
                : certificateFor((TrustAnchor.OfIdentity) a);
        cert.ifPresent(c -> anchorCertShas.add(c.sha256()));
        anchorsBySubject
            .computeIfAbsent(a.subjectCanonical(), k -> new ArrayList<>())
            .add(new AnchorNode(a, cert));
      }
    }

    /**
     * Like {@link PathValidator#verifies}, but a DSA issuer key without domain parameters inherits
     * them from its own issuer (RFC 3279 section 2.3.2; PKITS 4.1.5).
     */
    private boolean verifies(Certificate child, Certificate issuer) {
      org.bouncycastle.asn1.x509.SubjectPublicKeyInfo spki = issuer.data().spki();
      if (!Signatures.lacksDsaParameters(spki)) {
        return PathValidator.this.verifies(child, issuer);
      }
      for (Certificate grand : knownWithSubject(issuer.facts().issuer().canonical())) {
        var inherited = Signatures.inheritDsaParameters(spki, grand.data().spki());
        if (inherited.isPresent() && Signatures.verify(child.data().holder(), inherited.get())) {
          return true;
        }
      }
      return false;
    }

    private List<Certificate> knownWithSubject(String canonical) {
      List<Certificate> out = new ArrayList<>(poolBySubject.getOrDefault(canonical, List.of()));
      for (AnchorNode a : anchorsBySubject.getOrDefault(canonical, List.of())) {
        a.cert().ifPresent(out::add);
      }
      return out;
    }

    private List<Certificate> revocationPool;

    /** Candidate CRL signers: everything in the request, computed once. */
    private List<Certificate> revocationPool() {
      if (!request.revocation().check()) {
        return List.of();
      }
      if (revocationPool == null) {
        revocationPool = List.copyOf(pool.values());
      }
      return revocationPool;
    }

    private void add(Certificate c) {
      if (c.equals(leaf) || pool.containsKey(c.sha256())) {
        return;
      }
      order.put(c.sha256(), pool.size());
      pool.put(c.sha256(), c);
      poolBySubject.computeIfAbsent(c.facts().subject().canonical(), k -> new ArrayList<>()).add(c);
    }

    /** A certificate anywhere in the request with the identity anchor's name and key. */
    private Optional<Certificate> certificateFor(TrustAnchor.OfIdentity id) {
      List<Certificate> all = new ArrayList<>(pool.values());
      all.add(leaf);
      for (TrustAnchor a : request.anchors()) {
        if (a instanceof TrustAnchor.OfCertificate oc) {
          all.add(oc.certificate());
        }
      }
      return all.stream()
          .filter(
              c ->
                  c.facts().subject().canonical().equals(id.subjectCanonical())
                      && c.facts().spkiSha256().equals(id.spkiSha256()))
          .findFirst();
    }

    private boolean outOfBudget() {
      if (exhausted) {
        return true;
      }
      if (++steps > budget.maxSteps() || System.nanoTime() > deadline) {
        exhausted = true;
      }
      return exhausted;
    }

    /**
     * Whether anchor {@code a} issued {@code c}. An identity anchor without a certificate is taken
     * on the issuer name, unless a certificate with that name but another key verifies {@code c}:
     * then that key, not the anchor's, signed it.
     */
    private boolean issuedByAnchor(Certificate c, AnchorNode a) {
      if (a.cert().isPresent()) {
        return verifies(c, a.cert().get());
      }
      for (Certificate other :
          poolBySubject.getOrDefault(a.anchor().subjectCanonical(), List.of())) {
        if (verifies(c, other)) {
          return false;
        }
      }
      return true;
    }

    ValidationResult run() {
      reach = reachable();
      if (reach.contains(leaf.sha256())) {
        List<Certificate> path = new ArrayList<>();
        path.add(leaf);
        Set<String> keys = new HashSet<>();
        keys.add(identity(leaf));
        ValidationResult valid = extend(path, keys);
        if (valid != null) {
          return valid;
        }
        if (best != null) {
          List<Finding> findings = new ArrayList<>(best.findings());
          if (exhausted) {
            findings.add(budgetFinding(Severity.WARNING));
          }
          return new ValidationResult(false, best.path(), best.anchor(), findings);
        }
      }
      return deadEnd();
    }

    /** Certificates (the leaf included) from which some anchor can be reached, by BFS upward. */
    private Set<String> reachable() {
      Map<String, List<Certificate>> childrenByIssuer = new HashMap<>();
      List<Certificate> all = new ArrayList<>(pool.values());
      all.add(leaf);
      for (Certificate c : all) {
        childrenByIssuer
            .computeIfAbsent(c.facts().issuer().canonical(), k -> new ArrayList<>())
            .add(c);
      }
      Set<String> reached = new HashSet<>();
      Deque<Certificate> queue = new ArrayDeque<>();
      for (Map.Entry<String, List<AnchorNode>> e : anchorsBySubject.entrySet()) {
        for (Certificate child : childrenByIssuer.getOrDefault(e.getKey(), List.of())) {
          for (AnchorNode a : e.getValue()) {
            if (!reached.contains(child.sha256()) && issuedByAnchor(child, a)) {
              reached.add(child.sha256());
              queue.add(child);
            }
          }
        }
      }
      while (!queue.isEmpty() && !outOfBudget()) {
        Certificate r = queue.poll();
        for (Certificate child :
            childrenByIssuer.getOrDefault(r.facts().subject().canonical(), List.of())) {
          if (child != r && !reached.contains(child.sha256()) && verifies(child, r)) {
            reached.add(child.sha256());
            queue.add(child);
          }
        }
      }
      return reached;
    }

    /** Depth-first over every issuer that can still reach an anchor; null unless valid. */
    private ValidationResult extend(List<Certificate> path, Set<String> keys) {
      if (outOfBudget()) {
        return null;
      }
      Certificate cur = path.get(path.size() - 1);
      String issuer = cur.facts().issuer().canonical();
      for (AnchorNode a : anchorsBySubject.getOrDefault(issuer, List.of())) {
        if (issuedByAnchor(cur, a)) {
          if (++candidates > budget.maxCandidatePaths()) {
            exhausted = true;
            return null;
          }
          ValidationResult r = evaluate(path, a);
          if (r != null) {
            return r;
          }
        }
      }
      if (path.size() >= depthCap) {
        return null;
      }
      for (Certificate p : issuersInOrder(cur)) {
        if (!reach.contains(p.sha256())
            || anchorCertShas.contains(p.sha256())
            || keys.contains(identity(p))
            || path.contains(p)
            || !verifies(cur, p)) {
          continue;
        }
        path.add(p);
        keys.add(identity(p));
        ValidationResult r = extend(path, keys);
        path.remove(path.size() - 1);
        keys.remove(identity(p));
        if (r != null || exhausted) {
          return r;
        }
      }
      return null;
    }

    /** Same-name issuers: AKI/SKI match first, then valid now, then presented before held. */
    private List<Certificate> issuersInOrder(Certificate cur) {
      List<Certificate> list =
          new ArrayList<>(poolBySubject.getOrDefault(cur.facts().issuer().canonical(), List.of()));
      Optional<String> aki = cur.facts().authorityKeyId();
      list.sort(
          Comparator.<Certificate>comparingInt(
                  p -> aki.isPresent() && aki.equals(p.facts().subjectKeyId()) ? 0 : 1)
              .thenComparingInt(
                  p ->
                      at.isBefore(p.facts().notBefore()) || at.isAfter(p.facts().notAfter())
                          ? 1
                          : 0)
              .thenComparingInt(p -> order.get(p.sha256())));
      return list;
    }

    private ValidationResult evaluate(List<Certificate> path, AnchorNode a) {
      PathContext ctx =
          new PathContext(
              List.copyOf(path),
              Optional.of(a.anchor()),
              a.cert(),
              profile,
              at,
              request.hostName(),
              request.policy(),
              request.revocation(),
              revocationPool());
      List<Finding> findings = new ArrayList<>();
      for (PathRule rule : RULES) {
        rule.check(ctx, findings);
      }
      if (a.cert().isEmpty()) {
        Certificate top = path.get(path.size() - 1);
        findings.add(
            Finding.info(
                RuleId.UNTRUSTED_ROOT,
                "The trusted root "
                    + a.anchor().displayName()
                    + " is known only by name and key hash, so the signature on "
                    + top.facts().subject().rfc4514()
                    + " was matched by name and not checked.",
                Evidence.of(top).anchor(a.anchor()).map()));
      }
      for (Certificate c : path) {
        if (fetchedViaAia.contains(c.sha256())) {
          findings.add(
              Finding.info(
                  RuleId.MISSING_INTERMEDIATE,
                  "The intermediate "
                      + c.facts().subject().rfc4514()
                      + " is not sent by the server; the client fetches it through AIA.",
                  Evidence.of(c).map()));
        }
      }
      List<Certificate> full = ctx.withAnchor();
      long errors = findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
      if (errors == 0) {
        return new ValidationResult(true, full, Optional.of(a.anchor()), findings);
      }
      if (best == null || errors < best.errors()) {
        best = new Candidate(full, Optional.of(a.anchor()), findings, errors);
      }
      return null;
    }

    /** No path reaches an anchor: explain the most telling dead end. */
    private ValidationResult deadEnd() {
      List<Certificate> longest = new ArrayList<>();
      longest.add(leaf);
      exploreDeadEnds(
          new ArrayList<>(List.of(leaf)),
          new HashSet<>(Set.of(identity(leaf))),
          longest,
          new int[] {DEAD_END_STEPS});
      Certificate top = longest.get(longest.size() - 1);
      List<Finding> findings = new ArrayList<>();
      findings.add(explainDeadEnd(top, longest));
      PathContext ctx =
          new PathContext(
              List.copyOf(longest),
              Optional.empty(),
              Optional.empty(),
              profile,
              at,
              request.hostName(),
              request.policy(),
              request.revocation(),
              revocationPool());
      for (PathRule rule : RULES) {
        rule.check(ctx, findings);
      }
      if (exhausted) {
        findings.add(budgetFinding(Severity.ERROR));
      }
      return new ValidationResult(false, longest, Optional.empty(), findings);
    }

    private void exploreDeadEnds(
        List<Certificate> path, Set<String> keys, List<Certificate> longest, int[] stepsLeft) {
      if (--stepsLeft[0] < 0) {
        return;
      }
      if (path.size() > longest.size()) {
        longest.clear();
        longest.addAll(path);
      }
      if (path.size() >= depthCap) {
        return;
      }
      Certificate cur = path.get(path.size() - 1);
      Optional<String> aki = cur.facts().authorityKeyId();
      for (Certificate p : issuersInOrder(cur)) {
        if (keys.contains(identity(p)) || path.contains(p)) {
          continue;
        }
        // Only explaining a failure here: an AKI that names another key is enough to skip.
        Optional<String> ski = p.facts().subjectKeyId();
        if (aki.isPresent() && ski.isPresent() && !aki.equals(ski)) {
          continue;
        }
        if (--stepsLeft[0] < 0 || System.nanoTime() > deadline) {
          exhausted = true;
          return;
        }
        if (!verifies(cur, p)) {
          continue;
        }
        path.add(p);
        keys.add(identity(p));
        exploreDeadEnds(path, keys, longest, stepsLeft);
        path.remove(path.size() - 1);
        keys.remove(identity(p));
        if (stepsLeft[0] < 0) {
          return;
        }
      }
    }

    private Finding explainDeadEnd(Certificate top, List<Certificate> path) {
      CertificateFacts f = top.facts();
      String issuer = f.issuer().canonical();
      List<AnchorNode> namedAnchors = anchorsBySubject.getOrDefault(issuer, List.of());
      if (!namedAnchors.isEmpty()) {
        return Finding.error(
            RuleId.UNTRUSTED_ROOT,
            "The trusted root "
                + namedAnchors.get(0).anchor().displayName()
                + " has the name of the issuer of "
                + f.subject().rfc4514()
                + " but a different key, so the chain does not lead to a trusted root.",
            Evidence.of(top).anchor(namedAnchors.get(0).anchor()).map());
      }
      if (f.selfIssued()) {
        return Finding.error(
            RuleId.UNTRUSTED_ROOT,
            "The chain ends at the root "
                + f.subject().rfc4514()
                + ", which the client does not trust.",
            Evidence.of(top).map());
      }
      List<Certificate> named = poolBySubject.getOrDefault(issuer, List.of());
      if (!named.isEmpty()) {
        boolean loop = named.stream().allMatch(path::contains);
        if (loop) {
          return Finding.error(
              RuleId.UNTRUSTED_ROOT,
              "The intermediates only certify one another; the chain never reaches a trusted root.",
              Evidence.of(top).put("issuer", f.issuer().rfc4514()).map());
        }
        return Finding.error(
            RuleId.SIGNATURE_INVALID,
            "An intermediate named "
                + f.issuer().rfc4514()
                + " is available, but its key did not sign "
                + f.subject().rfc4514()
                + "; the right issuing certificate is missing.",
            Evidence.of(top)
                .put("missingIssuer", f.issuer().rfc4514())
                .put("authorityKeyId", f.authorityKeyId().orElse(""))
                .map());
      }
      Evidence ev =
          Evidence.of(top)
              .put("missingIssuer", f.issuer().rfc4514())
              .put("authorityKeyId", f.authorityKeyId().orElse(""));
      if (!f.caIssuersUrls().isEmpty()) {
        ev.put("caIssuers", String.join(" ", f.caIssuersUrls()));
      }
      return Finding.error(
          RuleId.MISSING_INTERMEDIATE,
          "The certificate "
              + f.subject().rfc4514()
              + " was issued by "
              + f.issuer().rfc4514()
              + ", which the server does not send and the client does not hold.",
          ev.map());
    }

    private Finding budgetFinding(Severity severity) {
      return new Finding(
          RuleId.PATH_BUDGET_EXHAUSTED,
          severity,
          "Path building stopped after "
              + steps
              + " steps and "
              + candidates
              + " candidate paths; the certificates form a mesh no client explores fully.",
          Evidence.of(leaf).map());
    }
  }

  /** The logical CA: subject and key; a path never holds the same one twice (RFC 4158 2.4.2). */
  private static String identity(Certificate c) {
    return c.facts().subject().canonical() + '|' + c.facts().spkiSha256();
  }
}
