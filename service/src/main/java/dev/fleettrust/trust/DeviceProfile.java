package dev.fleettrust.trust;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything about a device that decides whether it trusts a server: model, build, the provisioning
 * methods it used (the last one is the one it repeats at its next sign-in), the certificates it
 * holds with their provenance, and where it is (pool, site, the FQDN it dials). Devices with equal
 * profiles share one evaluation; {@link #hash()} is the stable key.
 *
 * <p>The compact constructor normalises, so equal facts give equal profiles: methods keep the order
 * of their last use without repeats; held certificates are de-duplicated and sorted by SHA-256 and
 * provenance; pool and dialed FQDN are lower-cased; blank optional values count as absent.
 *
 * @param methods provisioning methods in the order of their last use, most recent last; empty for a
 *     device never seen provisioning
 */
public record DeviceProfile(
    String model,
    String build,
    List<ProvisioningMethod> methods,
    List<HeldCertificate> held,
    Optional<String> pool,
    Optional<String> site,
    Optional<String> dialedFqdn) {

  public DeviceProfile {
    model = Objects.requireNonNull(model, "model").strip();
    build = Objects.requireNonNull(build, "build").strip();
    LinkedHashSet<ProvisioningMethod> ordered = new LinkedHashSet<>();
    for (ProvisioningMethod m : methods) {
      ordered.remove(m);
      ordered.add(Objects.requireNonNull(m));
    }
    methods = List.copyOf(ordered);
    List<HeldCertificate> sorted = new ArrayList<>(new LinkedHashSet<>(held));
    sorted.sort(
        Comparator.comparing((HeldCertificate h) -> h.certificate().sha256())
            .thenComparing(HeldCertificate::provenance));
    held = List.copyOf(sorted);
    pool = clean(pool, true);
    site = clean(site, false);
    dialedFqdn = clean(dialedFqdn, true);
  }

  private static Optional<String> clean(Optional<String> value, boolean lower) {
    return Objects.requireNonNull(value)
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .map(s -> lower ? s.toLowerCase(Locale.ROOT).replaceAll("\\.$", "") : s);
  }

  /**
   * The method the device will repeat at its next sign-in (contract.md, "What next sign-in
   * assumes").
   */
  public Optional<ProvisioningMethod> latestMethod() {
    return methods.isEmpty() ? Optional.empty() : Optional.of(methods.get(methods.size() - 1));
  }

  /** This profile on another build (remediation: "what if the family moved to build B"). */
  public DeviceProfile onBuild(String newBuild) {
    List<HeldCertificate> kept =
        held.stream().filter(h -> h.provenance() != Provenance.FIRMWARE).toList();
    return new DeviceProfile(model, newBuild, methods, kept, pool, site, dialedFqdn);
  }

  /**
   * This profile after one more sign-in by {@code method} (remediation: "sign in once with PIN").
   */
  public DeviceProfile signingInBy(ProvisioningMethod method) {
    List<ProvisioningMethod> next = new ArrayList<>(methods);
    next.add(method);
    return new DeviceProfile(model, build, next, held, pool, site, dialedFqdn);
  }

  /**
   * The stable profile key: lower-case hex SHA-256 over the canonical text {@code
   * fleettrust-profile-v1}, then one line each for {@code model=} (as given, trimmed), {@code
   * build=}, {@code methods=} (comma-separated, order of last use), {@code held=} (comma-separated
   * {@code sha256:PROVENANCE}, sorted), {@code pool=}, {@code site=} and {@code dialed=} ({@code -}
   * when absent). It depends on nothing but the profile, not on the catalog or the environment, so
   * the inventory can store it.
   */
  public String hash() {
    StringBuilder sb = new StringBuilder("fleettrust-profile-v1\n");
    sb.append("model=").append(model).append('\n');
    sb.append("build=").append(build).append('\n');
    sb.append("methods=");
    for (int i = 0; i < methods.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(methods.get(i).name());
    }
    sb.append("\nheld=");
    for (int i = 0; i < held.size(); i++) {
      HeldCertificate h = held.get(i);
      sb.append(i == 0 ? "" : ",").append(h.certificate().sha256()).append(':');
      sb.append(h.provenance().name());
    }
    sb.append("\npool=").append(pool.orElse("-"));
    sb.append("\nsite=").append(site.orElse("-"));
    sb.append("\ndialed=").append(dialedFqdn.orElse("-")).append('\n');
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
