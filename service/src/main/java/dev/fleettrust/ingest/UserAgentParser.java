package dev.fleettrust.ingest;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derives model and firmware build from the SIP User-Agent strings Lync/Skype for Business
 * registrars log, for the phones FleetTrust knows. A string in no known format stays unknown:
 * nothing is guessed from a version number alone, because {@code 4.0.7577.x} is also the desktop
 * Lync 2010 client (trust-rules.md, "a firmware build is identified by (family, build)").
 *
 * <ul>
 *   <li>Lync Phone Edition: {@code CPE/4.0.7577.4420 OCPhone/4.0.7577.4420 (Microsoft Lync 2010
 *       (Beta) Phone Edition)}, and the OCS 2007 R2 form {@code OCPhone/3.5.6907.37 (Microsoft
 *       Office Communicator 2007 R2 Phone Edition)}. These name the build but not the hardware
 *       (CX500, CX600, CX3000, CX700 and HP 4110/4120 all send the same), so the model stays
 *       unknown.
 *   <li>Polycom VVX: {@code PolycomVVX-VVX_450-UA/6.4.3.5032}, model {@code VVX 450}; Trio: {@code
 *       PolycomRealPresenceTrio-Trio_8800-UA/5.9.1.10419}, model {@code Trio 8800}.
 *   <li>Yealink: {@code Yealink SIP-T48S 66.85.0.5}, model {@code SIP-T48S}.
 *   <li>AudioCodes: {@code AUDC-IPPhone/3.0.0.459.1 (450HD-Rev0; 00908F9C2D41)}, model {@code
 *       450HD}.
 * </ul>
 */
public final class UserAgentParser {
  private static final String BUILD = "(\\d+(?:\\.\\d+){2,4})";

  private static final Pattern LYNC_PHONE_EDITION =
      Pattern.compile(
          "^(?:CPE/" + BUILD + "\\s+)?OCPhone/" + BUILD + "\\s*\\((?:.*\\s)?Phone Edition\\)\\s*$");

  private static final Pattern POLYCOM =
      Pattern.compile("(?:^|\\s)Polycom(VVX|RealPresenceTrio)-(VVX|Trio)_(\\w+)-UA/" + BUILD);

  private static final Pattern YEALINK =
      Pattern.compile(
          "^Yealink\\s+((?:SIP|VP|CP|W)[-_]?[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*|T\\d+[A-Z0-9]*)\\s+"
              + BUILD
              + "\\s*$");

  private static final Pattern AUDIOCODES =
      Pattern.compile(
          "^AUDC-IPPhone/" + BUILD + "\\s*\\(\\s*([A-Za-z0-9][A-Za-z0-9 _.-]*?)\\s*[;)]");

  /** AudioCodes append the hardware revision ({@code 450HD-Rev0}); the model is without it. */
  private static final Pattern AUDIOCODES_REVISION = Pattern.compile("-Rev\\w*$");

  private UserAgentParser() {}

  /**
   * Each expression runs only when the text has the literal it cannot match without (its anchored
   * prefix, or the vendor name): the same results, without a matcher per known format per event.
   */
  public static UserAgent parse(String raw) {
    String text = raw.strip();
    if (text.startsWith("CPE/") || text.startsWith("OCPhone/")) {
      Matcher lpe = LYNC_PHONE_EDITION.matcher(text);
      if (lpe.matches()) {
        String build = lpe.group(1) != null ? lpe.group(1) : lpe.group(2);
        return new UserAgent(raw, Optional.of("Microsoft"), Optional.empty(), Optional.of(build));
      }
    }
    if (text.contains("Polycom")) {
      Matcher polycom = POLYCOM.matcher(text);
      if (polycom.find()) {
        String model = polycom.group(2) + " " + polycom.group(3).replace('_', ' ');
        return new UserAgent(
            raw, Optional.of("Polycom"), Optional.of(model), Optional.of(polycom.group(4)));
      }
    }
    if (text.startsWith("Yealink")) {
      Matcher yealink = YEALINK.matcher(text);
      if (yealink.matches()) {
        return new UserAgent(
            raw,
            Optional.of("Yealink"),
            Optional.of(yealink.group(1)),
            Optional.of(yealink.group(2)));
      }
    }
    if (text.startsWith("AUDC-IPPhone/")) {
      Matcher audiocodes = AUDIOCODES.matcher(text);
      if (audiocodes.find()) {
        return new UserAgent(
            raw,
            Optional.of("AudioCodes"),
            Optional.of(AUDIOCODES_REVISION.matcher(audiocodes.group(2)).replaceFirst("")),
            Optional.of(audiocodes.group(1)));
      }
    }
    return UserAgent.unknown(raw);
  }
}
