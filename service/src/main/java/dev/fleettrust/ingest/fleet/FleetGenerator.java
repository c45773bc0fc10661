package dev.fleettrust.ingest.fleet;

import dev.fleettrust.ingest.fleet.FleetCatalog.Family;
import dev.fleettrust.ingest.fleet.FleetCatalog.Model;
import dev.fleettrust.ingest.fleet.FleetCatalog.Weighted;
import dev.fleettrust.inventory.AnchorProvenance;
import dev.fleettrust.inventory.DeviceId;
import dev.fleettrust.inventory.EventType;
import dev.fleettrust.inventory.ProvisioningMethod;
import dev.fleettrust.inventory.TrustProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A deterministic fleet of desk phones and the CloudEvents it emits: the same seed and options
 * always give the same devices and the same events, byte for byte. Used to seed tests at small N,
 * by the benchmarks at a million devices, and for a demo fleet.
 *
 * <p>The fleet's shape follows a Lync/Skype for Business estate:
 *
 * <ul>
 *   <li>models across Lync Phone Edition Aries (CX500/CX600/CX3000, HP 4110/4120) and Tanjay
 *       (CX700), Polycom VVX, Yealink and AudioCodes ({@link FleetCatalog});
 *   <li>each site standardises on one or two builds per family, with a long tail of older builds
 *       across the fleet;
 *   <li>most devices provision by PIN authentication, a share only ever by USB tethering, 3PIP
 *       phones also by vendor profile; the anchors each method brings follow contract.md;
 *   <li>sites share a few pools, each with its own PKI; about 5,000 distinct trust profiles at a
 *       million devices;
 *   <li>three to six sign-in attempts per device per day, about 3% failing with a logged reason; a
 *       few firmware updates, trust-store reports, factory resets and retirements.
 * </ul>
 *
 * Events come first the provisioning of every device (before the window), then day by day in time
 * order, so that a batch touches many devices as a live stream would.
 */
public final class FleetGenerator {
  /** The window starts here unless told otherwise: a fixed instant keeps output reproducible. */
  public static final Instant DEFAULT_START = Instant.parse("2026-10-01T00:00:00Z");

  private static final int DEVICES_PER_SITE = 10_000;
  private static final int POOLS = 8;
  private static final String DIALED_FQDN = "sip.custdom.com";

  /**
   * What to generate.
   *
   * @param seed everything derives from it
   * @param devices how many phones
   * @param start the first day of the window (UTC midnight advised)
   * @param days how many days of sign-ins
   * @param minSignInsPerDay fewest sign-in attempts of a device per day
   * @param maxSignInsPerDay most sign-in attempts of a device per day
   * @param signInsOnly emit only {@code device.registered} events (for throughput benchmarks)
   */
  public record Options(
      long seed,
      int devices,
      Instant start,
      int days,
      int minSignInsPerDay,
      int maxSignInsPerDay,
      boolean signInsOnly,
      String poolDomain) {
    /** Where the pools are unless told otherwise: {@code sfbpool01.custdom.com} and so on. */
    public static final String DEFAULT_POOL_DOMAIN = "custdom.com";

    public Options {
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(poolDomain, "poolDomain");
      if (devices < 1 || devices > (1 << 24)) {
        throw new IllegalArgumentException("1 to 16,777,216 devices");
      }
      if (days < 0 || minSignInsPerDay < 0 || maxSignInsPerDay < minSignInsPerDay) {
        throw new IllegalArgumentException("Bad sign-in window");
      }
      if (maxSignInsPerDay > 60) {
        throw new IllegalArgumentException("At most 60 sign-ins per device per day");
      }
    }

    public Options(
        long seed,
        int devices,
        Instant start,
        int days,
        int minSignInsPerDay,
        int maxSignInsPerDay,
        boolean signInsOnly) {
      this(
          seed,
          devices,
          start,
          days,
          minSignInsPerDay,
          maxSignInsPerDay,
          signInsOnly,
          DEFAULT_POOL_DOMAIN);
    }

    public static Options of(long seed, int devices) {
      return new Options(seed, devices, DEFAULT_START, 1, 3, 6, false);
    }

    public Options withDays(int days) {
      return new Options(
          seed, devices, start, days, minSignInsPerDay, maxSignInsPerDay, signInsOnly, poolDomain);
    }

    public Options withStart(Instant start) {
      return new Options(
          seed, devices, start, days, minSignInsPerDay, maxSignInsPerDay, signInsOnly, poolDomain);
    }

    public Options withSignInsPerDay(int min, int max) {
      return new Options(seed, devices, start, days, min, max, signInsOnly, poolDomain);
    }

    public Options onlySignIns() {
      return new Options(
          seed, devices, start, days, minSignInsPerDay, maxSignInsPerDay, true, poolDomain);
    }

    /**
     * Pools named {@code sfbpoolNN.<domain>}: a fleet whose pools no other fleet in the same
     * inventory shares (a backtest covers the pools a go-live touched).
     */
    public Options withPoolDomain(String domain) {
      return new Options(
          seed, devices, start, days, minSignInsPerDay, maxSignInsPerDay, signInsOnly, domain);
    }
  }

  /** One generated event: the Kafka key (device ID), its type and time, and the CloudEvent JSON. */
  public record GeneratedEvent(String key, EventType type, Instant time, String id, String json) {}

  /** A device as planned: what it is and how it provisions. Its events follow from this. */
  public record PlannedDevice(
      int index,
      DeviceId deviceId,
      String vendor,
      String model,
      String firmware,
      String site,
      String pool,
      ProvisioningMethod method,
      boolean registrarNamesModel,
      Optional<String> updatedFirmware) {}

  private record Ca(String name, String pem, String sha256) {}

  private final Options options;
  private final int sites;
  private final List<Ca> cas;
  private final long macOffset;

  public FleetGenerator(Options options) {
    this.options = options;
    this.sites = Math.max(1, (options.devices() + DEVICES_PER_SITE - 1) / DEVICES_PER_SITE);
    this.cas = loadCas();
    this.macOffset = new SplittableRandom(options.seed()).nextLong(1 << 24);
  }

  public Options options() {
    return options;
  }

  public PlannedDevice device(int index) {
    SplittableRandom random = random(index, 0);
    String site = site(random);
    SplittableRandom siteRandom = random(site.hashCode(), 1);
    Family family = pick(FleetCatalog.families(), random);
    // Each site has a dominant and a secondary model per family, and a standard and a legacy build.
    Model dominant = pick(family.models, siteRandom);
    Model secondary = pick(family.models, siteRandom);
    Model model = random.nextDouble() < 0.85 ? dominant : secondary;
    List<String> builds = model.builds();
    String standard = builds.get(siteRandom.nextInt(Math.min(2, builds.size())));
    String legacy = builds.get(siteRandom.nextInt(Math.min(5, builds.size())));
    double buildRoll = random.nextDouble();
    String firmware =
        buildRoll < 0.90
            ? standard
            : buildRoll < 0.998 ? legacy : builds.get(zipf(builds.size(), random));
    ProvisioningMethod method = pick(family.methods, random);
    // Some sites' registrars log only the User-Agent, which names no LPE model.
    boolean namesModel = !family.lyncPhoneEdition() || siteRandom.nextDouble() < 0.85;
    Optional<String> updated =
        random.nextDouble() < 0.03 && !firmware.equals(standard)
            ? Optional.of(standard)
            : Optional.empty();
    String mac = mac(model.oui(), index);
    return new PlannedDevice(
        index,
        DeviceId.parse(mac).orElseThrow(),
        model.vendor(),
        model.name(),
        firmware,
        site,
        pool(site),
        method,
        namesModel,
        updated);
  }

  /** All events, in the order a live stream would deliver them. */
  public Stream<GeneratedEvent> events() {
    Iterator<GeneratedEvent> iterator = new EventIterator();
    return StreamSupport.stream(
        java.util.Spliterators.spliteratorUnknownSize(
            iterator, java.util.Spliterator.ORDERED | java.util.Spliterator.NONNULL),
        false);
  }

  /**
   * The trust profile each device ends the window with, as the inventory must compute it from the
   * events: the model when a sign-in named it, the newest build, the provisioning method and site,
   * and the anchors the provisioning brought (plus a trust-store report unless a later factory
   * reset dropped it). Tests compare the inventory's hashes with these.
   */
  public TrustProfile profile(PlannedDevice device) {
    boolean signedIn = signsIn(device);
    boolean modelKnown =
        signedIn && (device.registrarNamesModel() || !familyOf(device).lyncPhoneEdition());
    List<long[]> lifecycle = lifecycle(device);
    boolean updated = lifecycle.stream().anyMatch(event -> event[1] == KIND_FIRMWARE);
    Optional<String> firmware =
        updated
            ? device.updatedFirmware()
            : signedIn ? Optional.of(device.firmware()) : Optional.empty();
    TreeSet<TrustProfile.Anchor> anchors = new TreeSet<>();
    if (!options.signInsOnly()) {
      for (Ca ca : anchorsFor(device)) {
        anchors.add(new TrustProfile.Anchor(ca.sha256(), device.method().defaultProvenance()));
      }
      long report = -1;
      long reset = -1;
      for (long[] event : lifecycle) {
        report = event[1] == KIND_REPORT ? event[0] : report;
        reset = event[1] == KIND_RESET ? event[0] : reset;
      }
      if (report >= 0 && report >= reset) {
        for (Ca ca : anchorsFor(device)) {
          anchors.add(new TrustProfile.Anchor(ca.sha256(), AnchorProvenance.REPORTED));
        }
      }
    }
    return new TrustProfile(
        modelKnown ? Optional.of(device.model()) : Optional.empty(),
        firmware,
        options.signInsOnly() ? Optional.empty() : Optional.of(device.method()),
        signedIn || !options.signInsOnly() ? Optional.of(device.site()) : Optional.empty(),
        anchors);
  }

  /** Whether the device signs in at least once in the window (before any retirement). */
  private boolean signsIn(PlannedDevice device) {
    long retiredAt = retirement(device).map(Instant::getEpochSecond).orElse(Long.MAX_VALUE);
    for (int d = 0; d < options.days(); d++) {
      for (long second : signInSeconds(device.index(), d)) {
        if (second < retiredAt) {
          return true;
        }
      }
    }
    return false;
  }

  /** The epoch seconds of a device's sign-in attempts on day {@code d} of the window. */
  private long[] signInSeconds(int index, int d) {
    long dayStart = options.start().getEpochSecond() + d * 86_400L;
    SplittableRandom random = random(index, 100 + d);
    int signIns =
        options.minSignInsPerDay()
            + random.nextInt(options.maxSignInsPerDay() - options.minSignInsPerDay() + 1);
    long[] seconds = new long[signIns];
    for (int s = 0; s < signIns; s++) {
      seconds[s] = dayStart + random.nextLong(86_400L);
    }
    return seconds;
  }

  /** How many distinct trust profiles the fleet has at the end of the window. */
  public int distinctProfiles() {
    Set<String> hashes = new HashSet<>();
    for (int i = 0; i < options.devices(); i++) {
      hashes.add(profile(device(i)).canonicalText());
    }
    return hashes.size();
  }

  /** The PEM of every demo CA the fleet's devices can hold (synthetic, keys discarded). */
  public List<String> caPems() {
    return cas.stream().map(Ca::pem).toList();
  }

  // ---------------------------------------------------------------- the events of one device

  private Family familyOf(PlannedDevice device) {
    for (Family family : Family.values()) {
      for (Weighted<Model> model : family.models) {
        if (model.value().name().equals(device.model())) {
          return family;
        }
      }
    }
    throw new IllegalStateException("Unknown model " + device.model());
  }

  /**
   * The CAs a provisioning step delivers: PIN authentication downloads the pool's chain from the
   * provisioning web service; USB tethering fetches the Active Directory root but (LPE's bug) skips
   * the intermediate; AD credentials fetch root and intermediate; a vendor profile carries the
   * vendor CA and the pool's root.
   */
  private List<Ca> anchorsFor(PlannedDevice device) {
    int pki = poolIndex(device.pool()) % 4;
    Ca root = cas.get(pki * 2);
    Ca issuing = cas.get(pki * 2 + 1);
    Ca adRoot = cas.get(0);
    Ca adIssuing = cas.get(1);
    return switch (device.method()) {
      case PIN_AUTH -> List.of(root, issuing);
      case USB_TETHER -> List.of(adRoot);
      case AD_CREDENTIALS -> List.of(adRoot, adIssuing);
      case VENDOR_PROFILE ->
          List.of(device.vendor().equals("Yealink") ? cas.get(9) : cas.get(8), root);
    };
  }

  private String provisioned(PlannedDevice device, Instant time, String id) {
    StringBuilder certificates = new StringBuilder("[");
    List<Ca> anchors = anchorsFor(device);
    for (int i = 0; i < anchors.size(); i++) {
      certificates.append(i == 0 ? "" : ",");
      Json.string(certificates, anchors.get(i).pem());
    }
    certificates.append(']');
    StringBuilder data = new StringBuilder("{\"method\":");
    Json.string(data, device.method().name()).append(",\"site\":");
    Json.string(data, device.site()).append(",\"certificates\":").append(certificates).append('}');
    return envelope(
        id,
        "/sfb/pools/" + device.pool() + "/certprov",
        EventType.PROVISIONED,
        device.deviceId(),
        time,
        data.toString());
  }

  private String registered(
      PlannedDevice device, Instant time, String id, SplittableRandom random) {
    return registered(
        device,
        time,
        id,
        random,
        r ->
            r.nextDouble() < 0.03
                ? Optional.of(pick(FleetCatalog.FAILURES, r))
                : Optional.<FleetCatalog.Failure>empty());
  }

  /** A sign-in whose outcome {@code outcome} draws, at the point the daily sign-ins draw theirs. */
  private String registered(
      PlannedDevice device,
      Instant time,
      String id,
      SplittableRandom random,
      java.util.function.Function<SplittableRandom, Optional<FleetCatalog.Failure>> outcome) {
    String firmware =
        device.updatedFirmware().isPresent()
                && !options.signInsOnly()
                && options.days() > 0
                && !time.isBefore(firmwareUpdateTime(device))
            ? device.updatedFirmware().get()
            : device.firmware();
    Family family = familyOf(device);
    Model model = modelOf(family, device.model());
    String userAgent = family.userAgent(model, firmware, device.deviceId().value());
    StringBuilder data = new StringBuilder("{");
    if (device.registrarNamesModel()) {
      data.append("\"model\":");
      Json.string(data, device.model()).append(",\"firmware\":");
      Json.string(data, firmware).append(',');
      if (random.nextBoolean()) {
        data.append("\"userAgent\":");
        Json.string(data, userAgent).append(',');
      }
    } else {
      data.append("\"userAgent\":");
      Json.string(data, userAgent).append(',');
    }
    data.append("\"pool\":");
    Json.string(data, device.pool()).append(",\"site\":");
    Json.string(data, device.site()).append(",\"dialedFqdn\":");
    Json.string(data, DIALED_FQDN);
    Optional<FleetCatalog.Failure> drawn = outcome.apply(random);
    if (drawn.isPresent()) {
      FleetCatalog.Failure failure = drawn.get();
      data.append(",\"outcome\":\"FAILURE\",\"failureReason\":");
      Json.string(data, failure.reason());
      if (failure.tlsAlert() != null) {
        data.append(",\"tlsAlert\":").append(failure.tlsAlert());
      }
    } else {
      data.append(",\"outcome\":\"SUCCESS\"");
    }
    data.append('}');
    return envelope(
        id,
        "/sfb/pools/" + device.pool() + "/registrar",
        EventType.REGISTERED,
        device.deviceId(),
        time,
        data.toString());
  }

  private String firmwareUpdated(PlannedDevice device, Instant time, String id) {
    StringBuilder data = new StringBuilder("{\"fromBuild\":");
    Json.string(data, device.firmware()).append(",\"toBuild\":");
    Json.string(data, device.updatedFirmware().orElseThrow()).append('}');
    return envelope(
        id,
        "/sfb/pools/" + device.pool() + "/deviceupdate",
        EventType.FIRMWARE_UPDATED,
        device.deviceId(),
        time,
        data.toString());
  }

  private String dataless(PlannedDevice device, EventType type, Instant time, String id) {
    return envelope(id, "urn:fleettrust:demo:inventory-tool", type, device.deviceId(), time, null);
  }

  private static String envelope(
      String id, String source, EventType type, DeviceId subject, Instant time, String data) {
    StringBuilder json = new StringBuilder(data == null ? 256 : 256 + data.length());
    json.append("{\"specversion\":\"1.0\",\"id\":");
    Json.string(json, id).append(",\"source\":");
    Json.string(json, source).append(",\"type\":");
    Json.string(json, type.cloudEventType()).append(",\"subject\":");
    Json.string(json, subject.value()).append(",\"time\":");
    Json.string(json, time.toString());
    if (data != null) {
      json.append(",\"datacontenttype\":\"application/json\",\"data\":").append(data);
    }
    return json.append('}').toString();
  }

  // ---------------------------------------------------------------- timing

  private Instant windowEnd() {
    return options.start().plus(Duration.ofDays(options.days()));
  }

  /** Provisioning happens in the month before the window. */
  private Instant provisioningTime(PlannedDevice device) {
    long seconds = random(device.index(), 2).nextLong(30L * 86_400);
    return options.start().minusSeconds(30L * 86_400).plusSeconds(seconds);
  }

  private Instant firmwareUpdateTime(PlannedDevice device) {
    long window = Math.max(1, options.days()) * 86_400L;
    return options.start().plusSeconds(random(device.index(), 3).nextLong(window));
  }

  /** Lifecycle events inside the window: kind codes, see {@link EventIterator#lifecycle}. */
  private List<long[]> lifecycle(PlannedDevice device) {
    List<long[]> events = new ArrayList<>();
    if (options.signInsOnly() || options.days() == 0) {
      return events;
    }
    SplittableRandom random = random(device.index(), 4);
    long window = options.days() * 86_400L;
    long base = options.start().getEpochSecond();
    if (device.updatedFirmware().isPresent()) {
      events.add(new long[] {firmwareUpdateTime(device).getEpochSecond(), KIND_FIRMWARE});
    }
    // Sites with a phone management tool collect the trust stores of vendor-provisioned phones.
    boolean managedSite = random(device.site().hashCode(), 6).nextDouble() < 0.4;
    if (device.method() == ProvisioningMethod.VENDOR_PROFILE && managedSite) {
      events.add(new long[] {base + random.nextLong(window), KIND_REPORT});
    }
    if (random.nextDouble() < 0.005) {
      long reset = base + random.nextLong(window);
      events.add(new long[] {reset, KIND_RESET});
      events.add(new long[] {Math.min(base + window - 1, reset + 3_600), KIND_REPROVISION});
    }
    return events;
  }

  private Optional<Instant> retirement(PlannedDevice device) {
    if (options.signInsOnly() || options.days() == 0) {
      return Optional.empty();
    }
    SplittableRandom random = random(device.index(), 5);
    if (random.nextDouble() >= 0.01) {
      return Optional.empty();
    }
    long window = options.days() * 86_400L;
    return Optional.of(options.start().plusSeconds(window / 2 + random.nextLong(window / 2)));
  }

  private static final long KIND_FIRMWARE = 100;
  private static final long KIND_REPORT = 101;
  private static final long KIND_RESET = 102;
  private static final long KIND_REPROVISION = 103;
  private static final long KIND_RETIRE = 104;

  private String trustStoreReported(PlannedDevice device, Instant time, String id) {
    StringBuilder certificates = new StringBuilder("[");
    List<Ca> held = anchorsFor(device);
    for (int i = 0; i < held.size(); i++) {
      certificates.append(i == 0 ? "" : ",");
      Json.string(certificates, held.get(i).pem());
    }
    certificates.append(']');
    return envelope(
        id,
        "urn:fleettrust:demo:phone-management",
        EventType.TRUST_STORE_REPORTED,
        device.deviceId(),
        time,
        "{\"certificates\":" + certificates + "}");
  }

  /**
   * Walks the stream: first every device's provisioning (time order), then each day's events (time
   * order). A day is held as packed longs ({@code second-of-window << 40 | device << 8 | kind}) and
   * sorted, so a million devices cost tens of megabytes, not objects.
   */
  private final class EventIterator implements Iterator<GeneratedEvent> {
    private int day = -1;
    private long[] current = new long[0];
    private int position;

    @Override
    public boolean hasNext() {
      while (position >= current.length) {
        if (day >= options.days()) {
          return false;
        }
        current = day < 0 ? provisioningDay() : day(day);
        position = 0;
        day++;
      }
      return true;
    }

    @Override
    public GeneratedEvent next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      long packed = current[position++];
      int deviceIndex = (int) ((packed >>> 8) & 0xFFFF_FFFFL);
      int kind = (int) (packed & 0xFF);
      Instant time = timeOf(packed);
      PlannedDevice device = device(deviceIndex);
      String id = eventId(deviceIndex, packed);
      String key = device.deviceId().value();
      return switch (kind) {
        case 0xFE ->
            new GeneratedEvent(key, EventType.PROVISIONED, time, id, provisioned(device, time, id));
        case (int) KIND_FIRMWARE ->
            new GeneratedEvent(
                key, EventType.FIRMWARE_UPDATED, time, id, firmwareUpdated(device, time, id));
        case (int) KIND_REPORT ->
            new GeneratedEvent(
                key,
                EventType.TRUST_STORE_REPORTED,
                time,
                id,
                trustStoreReported(device, time, id));
        case (int) KIND_RESET ->
            new GeneratedEvent(
                key, EventType.RESET, time, id, dataless(device, EventType.RESET, time, id));
        case (int) KIND_REPROVISION ->
            new GeneratedEvent(key, EventType.PROVISIONED, time, id, provisioned(device, time, id));
        case (int) KIND_RETIRE ->
            new GeneratedEvent(
                key, EventType.RETIRED, time, id, dataless(device, EventType.RETIRED, time, id));
        default ->
            new GeneratedEvent(
                key,
                EventType.REGISTERED,
                time,
                id,
                registered(device, time, id, random(deviceIndex, packed)));
      };
    }

    private long[] provisioningDay() {
      if (options.signInsOnly()) {
        return new long[0];
      }
      long[] events = new long[options.devices()];
      long origin = origin();
      for (int i = 0; i < events.length; i++) {
        long second = provisioningTime(device(i)).getEpochSecond() - origin;
        events[i] = pack(second, i, 0xFE);
      }
      Arrays.sort(events);
      return events;
    }

    private long[] day(int d) {
      long origin = origin();
      long dayStart = options.start().getEpochSecond() + d * 86_400L;
      long dayEnd = dayStart + 86_400L;
      long[] events = new long[64];
      int count = 0;
      for (int i = 0; i < options.devices(); i++) {
        PlannedDevice device = device(i);
        Optional<Instant> retired = retirement(device);
        long retiredAt = retired.map(Instant::getEpochSecond).orElse(Long.MAX_VALUE);
        long[] signIns = signInSeconds(i, d);
        if (count + signIns.length + 8 > events.length) {
          events = Arrays.copyOf(events, Math.max(events.length * 2, count + signIns.length + 8));
        }
        for (int s = 0; s < signIns.length; s++) {
          if (signIns[s] < retiredAt) {
            events[count++] = pack(signIns[s] - origin, i, s);
          }
        }
        for (long[] event : lifecycle(device)) {
          if (event[0] >= dayStart && event[0] < dayEnd) {
            events[count++] = pack(event[0] - origin, i, event[1]);
          }
        }
        if (retiredAt >= dayStart && retiredAt < dayEnd) {
          events[count++] = pack(retiredAt - origin, i, KIND_RETIRE);
        }
      }
      long[] sorted = Arrays.copyOf(events, count);
      Arrays.sort(sorted);
      return sorted;
    }

    private long origin() {
      return options.start().getEpochSecond() - 31L * 86_400;
    }

    private long pack(long second, int device, long kind) {
      return (second << 40) | ((long) device << 8) | kind;
    }

    private Instant timeOf(long packed) {
      return Instant.ofEpochSecond(origin() + (packed >>> 40));
    }
  }

  // ---------------------------------------------------------------- deterministic choices

  private String eventId(int device, long packed) {
    SplittableRandom random = random(device, packed ^ 0x5DEECE66DL);
    return new UUID(
            (random.nextLong() & ~0xF000L) | 0x4000L,
            (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L)
        .toString();
  }

  private SplittableRandom random(long a, long b) {
    long mixed = options.seed() * 0x9E37_79B9_7F4A_7C15L + a * 0xC2B2_AE3D_27D4_EB4FL + b;
    return new SplittableRandom(mixed);
  }

  private String site(SplittableRandom random) {
    int site = zipfSite(random);
    List<String> cities = FleetCatalog.CITIES;
    return cities.get(site % cities.size()) + "-" + (site / cities.size() + 1);
  }

  /** Sites are unevenly sized: a headquarters and big offices, then many small branches. */
  private int zipfSite(SplittableRandom random) {
    double u = random.nextDouble();
    return (int) Math.min(sites - 1, Math.floor(sites * u * u));
  }

  private String pool(String site) {
    int pools = Math.min(POOLS, sites);
    int index = Math.floorMod(site.hashCode(), pools) + 1;
    return String.format(Locale.ROOT, "sfbpool%02d.%s", index, options.poolDomain());
  }

  private static int poolIndex(String pool) {
    return Integer.parseInt(pool.substring(7, 9)) - 1;
  }

  private String mac(String oui, int index) {
    long low = (macOffset + index) & 0xFF_FFFFL;
    return String.format(
        Locale.ROOT, "%s:%02x:%02x:%02x", oui, (low >> 16) & 0xFF, (low >> 8) & 0xFF, low & 0xFF);
  }

  private static Model modelOf(Family family, String name) {
    for (Weighted<Model> model : family.models) {
      if (model.value().name().equals(name)) {
        return model.value();
      }
    }
    throw new IllegalStateException("Unknown model " + name);
  }

  /** Index into a list sorted most common first, with a long tail (Zipf, s = 1). */
  private static int zipf(int size, SplittableRandom random) {
    double total = 0;
    for (int i = 1; i <= size; i++) {
      total += 1.0 / i;
    }
    double u = random.nextDouble() * total;
    for (int i = 1; i <= size; i++) {
      u -= 1.0 / i;
      if (u <= 0) {
        return i - 1;
      }
    }
    return size - 1;
  }

  private static <T> T pick(List<Weighted<T>> choices, SplittableRandom random) {
    int total = 0;
    for (Weighted<T> choice : choices) {
      total += choice.weight();
    }
    int roll = random.nextInt(total);
    for (Weighted<T> choice : choices) {
      roll -= choice.weight();
      if (roll < 0) {
        return choice.value();
      }
    }
    throw new IllegalStateException("Weights add up");
  }

  private static List<Ca> loadCas() {
    List<Ca> cas = new ArrayList<>();
    for (String name :
        List.of(
            "custdom-root",
            "custdom-issuing",
            "contoso-root",
            "contoso-issuing",
            "fabrikam-root",
            "fabrikam-issuing",
            "northwind-root",
            "northwind-issuing",
            "polycom-vendor",
            "yealink-vendor")) {
      try (InputStream in = FleetGenerator.class.getResourceAsStream(name + ".pem")) {
        if (in == null) {
          throw new IllegalStateException("Missing demo CA " + name);
        }
        String pem = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        cas.add(new Ca(name, pem, sha256OfPem(pem)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return List.copyOf(cas);
  }

  private static String sha256OfPem(String pem) {
    String body =
        pem.replace("-----BEGIN CERTIFICATE-----", "")
            .replace("-----END CERTIFICATE-----", "")
            .replaceAll("\\s", "");
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(body)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- a replayable incident

  /** The reason a sign-in fails for a device the catalog rightly says the change breaks. */
  public static final String CATALOGUED_FAILURE = "Cannot connect to the server";

  /** The reason of failures that have nothing to do with the change. */
  public static final String UNRELATED_FAILURE = "Authentication failed: PIN not accepted";

  /**
   * A change going live on the fleet and what the phones then do (issue 17): a backtest's ground
   * truth. Real firmware behaves as the catalog predicts except for a share of the devices of some
   * models on one build, which fail although the catalog says they accept the change. Shares are
   * drawn per device, deterministically from the fleet's seed.
   *
   * @param deployedAt when the change went live
   * @param windowHours how long after it sign-ins are drawn
   * @param misbehavingModels models whose real firmware differs from the catalog on {@code
   *     misbehavingBuild}
   * @param misbehavingShare share of those devices that fail (1.0: all)
   * @param misbehavingReason what the misbehaving devices log
   * @param silentShare share of all devices that never sign in again
   * @param lateShare share of all devices whose next sign-in comes only after the window
   * @param unrelatedFailureShare share of all devices that fail every attempt for an unrelated
   *     reason ({@link #UNRELATED_FAILURE})
   * @param unexpectedSuccessShare share of the devices the catalog says break that sign in anyway
   */
  public record Incident(
      Instant deployedAt,
      int windowHours,
      Set<String> misbehavingModels,
      String misbehavingBuild,
      double misbehavingShare,
      String misbehavingReason,
      double silentShare,
      double lateShare,
      double unrelatedFailureShare,
      double unexpectedSuccessShare) {
    public Incident {
      Objects.requireNonNull(deployedAt, "deployedAt");
      misbehavingModels = Set.copyOf(misbehavingModels);
      Objects.requireNonNull(misbehavingBuild, "misbehavingBuild");
      Objects.requireNonNull(misbehavingReason, "misbehavingReason");
      if (windowHours < 1) {
        throw new IllegalArgumentException("a window of at least an hour");
      }
    }
  }

  /** What a device really did after the go-live. */
  public enum IncidentKind {
    /** Signed in within the window (possibly after a transient failure). */
    SIGNED_IN,
    /** Tried within the window and every attempt failed. */
    FAILED,
    /** Never signed in again. */
    SILENT,
    /** Did not try within the window; signed in after it. */
    LATE
  }

  /** One sign-in attempt after the go-live; {@code failureReason} empty when it succeeded. */
  public record Attempt(Instant time, Optional<String> failureReason) {}

  /**
   * One device's part in the incident.
   *
   * @param firmware the build its sign-ins report
   * @param misbehaving its real firmware fails where the catalog says it works
   */
  public record IncidentOutcome(
      PlannedDevice device,
      String firmware,
      IncidentKind kind,
      boolean misbehaving,
      List<Attempt> attempts) {
    public IncidentOutcome {
      attempts = List.copyOf(attempts);
    }
  }

  /**
   * Every device's sign-ins after the go-live. {@code catalogSaysBreaks} is what the catalog
   * predicts for a device (from an assessment of the change); real firmware follows it except as
   * {@code incident} says.
   */
  public List<IncidentOutcome> incident(
      Incident incident, java.util.function.Predicate<DeviceId> catalogSaysBreaks) {
    List<IncidentOutcome> outcomes = new ArrayList<>(options.devices());
    for (int i = 0; i < options.devices(); i++) {
      outcomes.add(incidentOutcome(incident, device(i), catalogSaysBreaks));
    }
    return outcomes;
  }

  /** The {@code device.registered} events of one device's incident outcome, in time order. */
  public List<GeneratedEvent> incidentEvents(IncidentOutcome outcome) {
    List<GeneratedEvent> events = new ArrayList<>(outcome.attempts().size());
    PlannedDevice device = outcome.device();
    for (int n = 0; n < outcome.attempts().size(); n++) {
      Attempt attempt = outcome.attempts().get(n);
      long packed = (1L << 62) | (attempt.time().getEpochSecond() << 6) | n;
      String id = eventId(device.index(), packed);
      Optional<FleetCatalog.Failure> failure =
          attempt.failureReason().map(reason -> new FleetCatalog.Failure(reason, null));
      String json =
          registered(device, attempt.time(), id, random(device.index(), packed), r -> failure);
      events.add(
          new GeneratedEvent(
              device.deviceId().value(), EventType.REGISTERED, attempt.time(), id, json));
    }
    return events;
  }

  private IncidentOutcome incidentOutcome(
      Incident incident, PlannedDevice device, java.util.function.Predicate<DeviceId> breaks) {
    SplittableRandom random = random(device.index(), 0x1C1D_E27L);
    String firmware =
        device.updatedFirmware().isPresent() && !options.signInsOnly() && options.days() > 0
            ? device.updatedFirmware().get()
            : device.firmware();
    boolean misbehaving =
        incident.misbehavingModels().contains(device.model())
            && incident.misbehavingBuild().equals(firmware)
            && random.nextDouble() < incident.misbehavingShare();
    double roll = random.nextDouble();
    long window = incident.windowHours() * 3_600L;
    Instant start = incident.deployedAt();
    if (roll < incident.silentShare()) {
      return new IncidentOutcome(device, firmware, IncidentKind.SILENT, misbehaving, List.of());
    }
    if (roll < incident.silentShare() + incident.lateShare()) {
      Instant late = start.plusSeconds(window + 1 + random.nextLong(6 * 3_600L));
      return new IncidentOutcome(
          device,
          firmware,
          IncidentKind.LATE,
          misbehaving,
          List.of(new Attempt(late, Optional.empty())));
    }
    boolean catalogued = breaks.test(device.deviceId());
    Optional<String> reason =
        misbehaving
            ? Optional.of(incident.misbehavingReason())
            : catalogued && random.nextDouble() >= incident.unexpectedSuccessShare()
                ? Optional.of(CATALOGUED_FAILURE)
                : random.nextDouble() < incident.unrelatedFailureShare()
                    ? Optional.of(UNRELATED_FAILURE)
                    : Optional.empty();
    int tries = reason.isPresent() ? 2 + random.nextInt(3) : 1 + random.nextInt(3);
    long[] seconds = new long[tries];
    for (int n = 0; n < tries; n++) {
      seconds[n] = random.nextLong(window);
    }
    Arrays.sort(seconds);
    List<Attempt> attempts = new ArrayList<>(tries);
    for (int n = 0; n < tries; n++) {
      attempts.add(new Attempt(start.plusSeconds(seconds[n]), reason));
    }
    return new IncidentOutcome(
        device,
        firmware,
        reason.isPresent() ? IncidentKind.FAILED : IncidentKind.SIGNED_IN,
        misbehaving,
        attempts);
  }

  /** Minimal JSON string writing, enough for generated text. */
  static final class Json {
    private Json() {}

    static StringBuilder string(StringBuilder out, String value) {
      out.append('"');
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> {
            if (c < 0x20) {
              out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      return out.append('"');
    }
  }
}
