package dev.fleettrust.backtest;

import dev.fleettrust.impact.Change;
import dev.fleettrust.impact.Environment;
import dev.fleettrust.impact.Pool;
import dev.fleettrust.trust.TlsVersion;
import dev.fleettrust.x509.Certificate;
import dev.fleettrust.x509.CertificateFacts;
import dev.fleettrust.x509.KeyType;
import dev.fleettrust.x509.SignatureAlgorithm;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a set of changes asks of the firmware that the environment they change did not: a new
 * certificate chain is compared with the one it replaces (wildcard names, signature algorithms, key
 * types, the root it leads to), a TLS setting with the versions the pool accepted. A property the
 * replaced chain already had was already exercised before the change, so a failure after the change
 * cannot be blamed on it.
 */
final class ExercisedCapabilities {
  private ExercisedCapabilities() {}

  static Set<Exercise> of(List<Change> changes, Environment before) {
    Set<Exercise> exercised = new LinkedHashSet<>();
    for (Change change : changes) {
      if (change instanceof Change.ReplaceCertificate replace) {
        Optional<List<Certificate>> old =
            before.pool(replace.pool()).flatMap(p -> p.chain(replace.usage()));
        compare(old.orElse(List.of()), replace.chain(), exercised);
      } else if (change instanceof Change.SetTlsVersions tls) {
        Set<TlsVersion> was =
            before.pool(tls.pool()).map(Pool::effectiveTlsVersions).orElse(Set.of());
        if (!tls.tlsVersions().containsAll(was)) {
          exercised.add(new Exercise.TlsVersionsLimited(tls.tlsVersions()));
        }
      }
    }
    return exercised;
  }

  private static void compare(
      List<Certificate> old, List<Certificate> replacement, Set<Exercise> exercised) {
    if (wildcards(replacement) && !wildcards(old)) {
      exercised.add(new Exercise.WildcardNames());
    }
    Set<SignatureAlgorithm> oldAlgorithms = EnumSet.noneOf(SignatureAlgorithm.class);
    Set<KeyType> oldKeys = EnumSet.noneOf(KeyType.class);
    old.forEach(
        c -> {
          oldAlgorithms.add(c.facts().signatureAlgorithm());
          oldKeys.add(c.facts().key().type());
        });
    for (Certificate c : replacement) {
      if (!oldAlgorithms.contains(c.facts().signatureAlgorithm())) {
        exercised.add(new Exercise.SignatureAlgorithmUsed(c.facts().signatureAlgorithm()));
      }
      if (!oldKeys.contains(c.facts().key().type())) {
        exercised.add(new Exercise.KeyTypeUsed(c.facts().key().type()));
      }
    }
    String newTop = topIssuer(replacement);
    if (!old.isEmpty() && !newTop.equals(topIssuer(old))) {
      exercised.add(new Exercise.RootChanged(newTop));
    }
  }

  private static boolean wildcards(List<Certificate> chain) {
    return !chain.isEmpty()
        && chain.get(0).facts().subjectAltNames().stream().anyMatch(s -> s.wildcard());
  }

  /** The issuer of the last certificate: the root a chain leads to, whether it is sent or not. */
  private static String topIssuer(List<Certificate> chain) {
    CertificateFacts top = chain.get(chain.size() - 1).facts();
    return top.issuer().canonical();
  }
}
