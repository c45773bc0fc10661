package dev.fleettrust.bench.engine;

import dev.fleettrust.impact.Assessment;
import dev.fleettrust.impact.AssessmentOutcome;
import dev.fleettrust.impact.AssessmentRequest;
import dev.fleettrust.impact.Change;
import dev.fleettrust.impact.Device;
import dev.fleettrust.impact.DeviceGroup;
import dev.fleettrust.impact.Environment;
import dev.fleettrust.impact.ExchangeHost;
import dev.fleettrust.impact.ImpactEngine;
import dev.fleettrust.impact.Pool;
import dev.fleettrust.impact.Site;
import dev.fleettrust.impact.Usage;
import dev.fleettrust.trust.Catalog;
import dev.fleettrust.trust.CatalogJson;
import dev.fleettrust.trust.DeviceProfile;
import dev.fleettrust.trust.HeldCertificate;
import dev.fleettrust.trust.Provenance;
import dev.fleettrust.trust.ProvisioningMethod;
import dev.fleettrust.trust.TestPki;
import dev.fleettrust.trust.TestPki.Issued;
import dev.fleettrust.x509.Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 4's figure: one assessment of 1,000,000 devices that fall into 5,000 distinct trust
 * profiles, target under 2 s. The scenario is seed 000's on a mixed fleet (LPE Aries and Tanjay on
 * six builds, VVX, Yealink, AudioCodes, Windows clients; PIN, USB, AD and vendor provisioning;
 * several held-certificate sets, ten sites, three pools, one Exchange host): the Default
 * certificate of one pool moves to a two-tier PKI whose issuing CA names an unresolvable AIA host.
 *
 * <ul>
 *   <li>{@link #assessMillionDevices}: group the million devices by profile, then assess with the
 *       remediation plan (every action measured by a what-if run), on a long-lived engine whose
 *       validator keeps its memoized signature checks, as the service runs it;
 *   <li>{@link #assessMillionDevicesColdEngine}: the same on a new engine each time (no signature
 *       memo carried over);
 *   <li>{@link #assessMillionDevicesWithoutPlan}: verdicts and summary alone, without the
 *       remediation plan's what-if runs.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(
    value = 1,
    jvmArgs = {"-Xms4g", "-Xmx4g"})
public class EngineBenchmark {
  static final int DEVICES = 1_000_000;
  static final int PROFILES = 5_000;
  static final Instant AT = Instant.parse("2025-06-01T00:00:00Z");

  Catalog catalog;
  Environment environment;
  List<Change> changes;
  List<Device> devices;
  ImpactEngine engine;

  @Setup
  public void setUp() {
    catalog = CatalogJson.loadBundled();
    TestPki pki = new TestPki();
    Issued oldRoot = pki.root("CN=OldRootCA,DC=custdom,DC=com").signedWith("SHA1withRSA").build();
    Issued newRoot = pki.root("CN=RootCA,DC=custdom,DC=com").build();
    Issued issuing =
        pki.ca("CN=IssuingCA,DC=custdom,DC=com", newRoot)
            .aia("http://RootCA.custdom.com/CertEnroll/RootCA.crt")
            .cdp("http://IssuingCA.custdom.com/CertEnroll/RootCA.crl")
            .build();
    Issued exchangeCa =
        pki.ca("CN=Exchange-CA,DC=custdom,DC=com", oldRoot).signedWith("SHA1withRSA").build();
    List<String> pools = List.of("pool1.custdom.com", "pool2.custdom.com", "pool3.custdom.com");
    List<Pool> poolList = new ArrayList<>();
    for (String fqdn : pools) {
      Issued leaf =
          pki.leaf("CN=" + fqdn, oldRoot)
              .signedWith("SHA1withRSA")
              .sans(fqdn, "sip.custdom.com")
              .build();
      Map<Usage, List<Certificate>> c = new EnumMap<>(Usage.class);
      c.put(Usage.DEFAULT, List.of(leaf.cert()));
      poolList.add(new Pool(fqdn, List.of("sip.custdom.com"), c, List.of(), true, Set.of()));
    }
    Issued ews = pki.leaf("CN=mail.custdom.com", exchangeCa).sans("mail.custdom.com").build();
    List<Site> sites = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sites.add(new Site("site-" + i, i % 3 != 0));
    }
    environment =
        new Environment(
            poolList,
            List.of(new ExchangeHost("mail.custdom.com", List.of(ews.cert(), exchangeCa.cert()))),
            List.of(oldRoot.cert(), newRoot.cert(), issuing.cert()),
            sites,
            Set.of("RootCA.custdom.com"));
    Issued newLeaf =
        pki.leaf("CN=" + pools.get(0), issuing).sans(pools.get(0), "sip.custdom.com").build();
    changes =
        List.of(
            new Change.ReplaceCertificate(
                pools.get(0), Usage.DEFAULT, List.of(newLeaf.cert(), issuing.cert())));

    List<String[]> modelBuilds =
        List.of(
            new String[] {"CX600", "4.0.7577.107"},
            new String[] {"CX600", "4.0.7577.4100"},
            new String[] {"CX600", "4.0.7577.4414"},
            new String[] {"HP 4120", "4.0.7577.4420"},
            new String[] {"CX3000", "4.0.7577.4463"},
            new String[] {"CX500", "4.0.7577.4494"},
            new String[] {"CX700", "4.0.7577.4066"},
            new String[] {"CX700", "4.0.7577.4494"},
            new String[] {"VVX 500", "5.9.0.9373"},
            new String[] {"VVX 600", "6.1.0.6189"},
            new String[] {"T48S", "66.9.0.45"},
            new String[] {"420HD", "3.0.2.14"},
            new String[] {"Lync 2013", "15.0.4569.1506"},
            new String[] {"Acme 9000", "1.0"});
    List<List<ProvisioningMethod>> methods =
        List.of(
            List.of(),
            List.of(ProvisioningMethod.PIN_AUTH),
            List.of(ProvisioningMethod.USB_TETHER),
            List.of(ProvisioningMethod.PIN_AUTH, ProvisioningMethod.USB_TETHER),
            List.of(ProvisioningMethod.VENDOR_PROFILE),
            List.of(ProvisioningMethod.AD_CREDENTIALS));
    List<List<HeldCertificate>> held =
        List.of(
            List.of(),
            List.of(new HeldCertificate(oldRoot.cert(), Provenance.PROVISIONING_SERVICE)),
            List.of(new HeldCertificate(oldRoot.cert(), Provenance.ACTIVE_DIRECTORY)),
            List.of(
                new HeldCertificate(newRoot.cert(), Provenance.VENDOR_PROFILE),
                new HeldCertificate(issuing.cert(), Provenance.VENDOR_PROFILE)),
            List.of(new HeldCertificate(oldRoot.cert(), Provenance.REPORTED)));
    // Model/build and pool vary fastest, so the 5,000 profiles span every combination of them.
    LinkedHashSet<DeviceProfile> profiles = new LinkedHashSet<>();
    outer:
    for (Site s : sites) {
      for (List<HeldCertificate> h : held) {
        for (List<ProvisioningMethod> m : methods) {
          for (String pool : pools) {
            for (String[] mb : modelBuilds) {
              profiles.add(
                  new DeviceProfile(
                      mb[0],
                      mb[1],
                      m,
                      h,
                      Optional.of(pool),
                      Optional.of(s.name()),
                      Optional.empty()));
              if (profiles.size() == PROFILES) {
                break outer;
              }
            }
          }
        }
      }
    }
    List<DeviceProfile> distinct = new ArrayList<>(profiles);
    if (distinct.size() != PROFILES) {
      throw new IllegalStateException("expected " + PROFILES + " profiles, got " + distinct.size());
    }
    devices = new ArrayList<>(DEVICES);
    for (int i = 0; i < DEVICES; i++) {
      devices.add(
          new Device(
              String.format("00:04:f2:%02x:%02x:%02x", (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff),
              distinct.get(i % PROFILES)));
    }
    engine = new ImpactEngine();
  }

  @Benchmark
  public Assessment assessMillionDevices() {
    return assess(engine);
  }

  @Benchmark
  public Assessment assessMillionDevicesColdEngine() {
    return assess(new ImpactEngine());
  }

  /** The verdicts and summary alone, to show what the remediation plan's what-if runs cost. */
  @Benchmark
  public Assessment assessMillionDevicesWithoutPlan() {
    return assess(engine, false);
  }

  private Assessment assess(ImpactEngine e) {
    return assess(e, true);
  }

  private Assessment assess(ImpactEngine e, boolean plan) {
    List<DeviceGroup> groups = DeviceGroup.group(devices);
    AssessmentOutcome o =
        e.assess(new AssessmentRequest(catalog, environment, groups, changes, AT, plan));
    Assessment a = ((AssessmentOutcome.Assessed) o).assessment();
    if (a.summary().devices() != DEVICES || a.groups().size() != PROFILES) {
      throw new IllegalStateException(
          "lost devices: " + a.summary().devices() + " in " + a.groups().size());
    }
    return a;
  }

  /** Prints one assessment's summary, to check the scenario is the one described. */
  public static void main(String[] args) {
    EngineBenchmark b = new EngineBenchmark();
    b.setUp();
    long g0 = System.nanoTime();
    List<DeviceGroup> groups = DeviceGroup.group(b.devices);
    System.out.printf(
        "grouping %d devices into %d profiles: %d ms%n",
        DEVICES, groups.size(), (System.nanoTime() - g0) / 1_000_000);
    long t0 = System.nanoTime();
    Assessment a = b.assessMillionDevices();
    long t1 = System.nanoTime();
    Assessment again = b.assessMillionDevices();
    long t2 = System.nanoTime();
    System.out.printf("first %d ms, second %d ms%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
    System.out.println("verdicts " + again.summary().verdicts());
    System.out.println("findings " + again.summary().findings());
    again
        .summary()
        .remediation()
        .forEach(
            r ->
                System.out.println(
                    "  "
                        + r.action()
                        + " fixed="
                        + r.devicesFixed()
                        + " broken="
                        + r.devicesBroken()));
    System.out.println("byModelAndBuild lines " + a.summary().byModelAndBuild().size());
  }
}
