package dev.fleettrust.x509;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The offline verifier behind {@code deploy/local/verify.sh}, used the way {@code openssl verify}
 * is (issue 3, item 6): no database, no broker.
 *
 * <pre>
 * verify.sh --trusted roots.pem [--untrusted intermediates.pem] --peer leaf.pem
 *           [--host sip.example.net] [--time 2026-03-01T00:00:00Z] [--profile WEB_PKI|rfc5280]
 *           [--crls crls.pem] [--initial-policy OID]... [--explicit-policy]
 *           [--inhibit-policy-mapping] [--inhibit-any-policy]
 * </pre>
 *
 * <p>{@code --crls} (a PEM or DER bundle of complete and delta CRLs) turns revocation checking on:
 * every certificate below the anchor must then be shown unrevoked by a current CRL in the bundle
 * (nothing is fetched). The policy options are RFC 5280 section 6.1.1's initial inputs; {@code
 * --initial-policy} may be repeated and defaults to anyPolicy.
 *
 * <p>Prints exactly one JSON object on standard output: {@code {"result":"SUCCESS"|"FAILURE",
 * "findings":[{"rule":…,"severity":…,"message":…}],"path":[subjects…]}}, and exits 0 on SUCCESS, 1
 * on FAILURE. Bad input (unknown option or profile, unreadable file, certificates that do not
 * parse, a time that does not parse) exits 2 with {@code {"result":"ERROR","error":CODE,
 * "message":…}}.
 */
public final class VerifyCommand {
  static final int SUCCESS = 0;
  static final int FAILURE = 1;
  static final int BAD_INPUT = 2;

  private static final Set<String> OPTIONS =
      Set.of(
          "--trusted",
          "--untrusted",
          "--peer",
          "--host",
          "--time",
          "--profile",
          "--crls",
          "--initial-policy");
  private static final Set<String> REPEATABLE = Set.of("--initial-policy");
  private static final Set<String> FLAGS =
      Set.of("--explicit-policy", "--inhibit-policy-mapping", "--inhibit-any-policy");
  private static final java.util.regex.Pattern OID =
      java.util.regex.Pattern.compile("[0-2](\\.(0|[1-9][0-9]*))+");

  private final ProfileLookup profiles;
  private final PathValidator validator = new PathValidator();

  VerifyCommand(ProfileLookup profiles) {
    this.profiles = profiles;
  }

  public static void main(String[] args) {
    int code = new VerifyCommand(ProfileLookup.installed()).run(args, System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  /** Bad input, with a stable code for scripts. */
  static final class BadInput extends Exception {
    private static final long serialVersionUID = 1L;
    final String code;

    BadInput(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  int run(String[] args, PrintStream out, PrintStream err) {
    try {
      List<String> policies = new ArrayList<>();
      Map<String, String> opts = options(args, policies);
      ClientProfile profile =
          profiles
              .find(opts.getOrDefault("--profile", ClientProfile.WEB_PKI))
              .orElseThrow(
                  () ->
                      new BadInput(
                          "UNKNOWN_PROFILE",
                          "Unknown profile "
                              + opts.get("--profile")
                              + "; known: "
                              + ClientProfile.WEB_PKI
                              + ", "
                              + ClientProfile.RFC5280
                              + " (catalog profiles come with the firmware catalog)."));
      List<Certificate> peer = read(required(opts, "--peer"), "--peer");
      List<Certificate> trusted = read(required(opts, "--trusted"), "--trusted");
      List<Certificate> presented = new ArrayList<>(peer);
      if (opts.containsKey("--untrusted")) {
        presented.addAll(read(opts.get("--untrusted"), "--untrusted"));
      }
      Instant at = opts.containsKey("--time") ? time(opts.get("--time")) : Instant.now();
      RevocationInputs revocation =
          opts.containsKey("--crls")
              ? RevocationInputs.checkWith(readCrls(opts.get("--crls")))
              : RevocationInputs.none();
      ValidationResult r =
          validator.validate(
              new ValidationRequest(
                      presented,
                      List.of(),
                      trusted.stream()
                          .map(c -> (TrustAnchor) new TrustAnchor.OfCertificate(c))
                          .toList(),
                      Optional.ofNullable(opts.get("--host")),
                      at,
                      profile)
                  .withPolicy(policyInputs(opts, policies))
                  .withRevocation(revocation));
      out.println(json(r));
      return r.valid() ? SUCCESS : FAILURE;
    } catch (BadInput e) {
      out.println(
          "{\"result\":\"ERROR\",\"error\":"
              + quote(e.code)
              + ",\"message\":"
              + quote(e.getMessage())
              + "}");
      err.println("verify: " + e.getMessage());
      return BAD_INPUT;
    }
  }

  private static Map<String, String> options(String[] args, List<String> repeated) throws BadInput {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (FLAGS.contains(a)) {
        opts.put(a, "true");
        continue;
      }
      String value;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        value = a.substring(eq + 1);
        a = a.substring(0, eq);
      } else if (OPTIONS.contains(a) && i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new BadInput(
            "USAGE",
            (OPTIONS.contains(a) ? "Option " + a + " needs a value" : "Unknown argument " + a)
                + ". Usage: verify.sh --trusted FILE [--untrusted FILE] --peer FILE [--host NAME]"
                + " [--time ISO-8601] [--profile NAME] [--crls FILE] [--initial-policy OID]..."
                + " [--explicit-policy] [--inhibit-policy-mapping] [--inhibit-any-policy]");
      }
      if (!OPTIONS.contains(a)) {
        throw new BadInput("USAGE", "Unknown option " + a + ".");
      }
      if (REPEATABLE.contains(a)) {
        repeated.add(value);
      }
      opts.put(a, value);
    }
    return opts;
  }

  private static PolicyInputs policyInputs(Map<String, String> opts, List<String> policies)
      throws BadInput {
    for (String p : policies) {
      if (!OID.matcher(p).matches()) {
        throw new BadInput(
            "BAD_POLICY", "--initial-policy " + p + " is not an OID such as 2.23.140.1.2.1.");
      }
    }
    return new PolicyInputs(
        policies.isEmpty() ? Set.of(PolicyInputs.ANY_POLICY) : Set.copyOf(policies),
        opts.containsKey("--explicit-policy"),
        opts.containsKey("--inhibit-policy-mapping"),
        opts.containsKey("--inhibit-any-policy"));
  }

  private static List<Crl> readCrls(String file) throws BadInput {
    byte[] bytes = readBytes(file, "--crls", CrlParser.MAX_INPUT_BYTES);
    try {
      return CrlParser.parse(bytes);
    } catch (CertificateInputException e) {
      throw new BadInput(e.reason().name(), "--crls " + file + ": " + e.getMessage());
    }
  }

  private static String required(Map<String, String> opts, String name) throws BadInput {
    String v = opts.get(name);
    if (v == null) {
      throw new BadInput("USAGE", "Option " + name + " is required.");
    }
    return v;
  }

  private static byte[] readBytes(String file, String option, int limit) throws BadInput {
    try {
      Path p = Path.of(file);
      if (Files.size(p) > limit) {
        throw new BadInput(
            "TOO_LARGE", option + " " + file + " is over " + (limit >> 20) + " MiB.");
      }
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new BadInput("FILE_NOT_FOUND", option + " " + file + " does not exist.");
    } catch (IOException | java.nio.file.InvalidPathException e) {
      throw new BadInput(
          "FILE_UNREADABLE", option + " " + file + " cannot be read: " + e.getMessage());
    }
  }

  private static List<Certificate> read(String file, String option) throws BadInput {
    byte[] bytes = readBytes(file, option, CertificateParser.MAX_INPUT_BYTES);
    try {
      return CertificateParser.parse(bytes);
    } catch (CertificateInputException e) {
      throw new BadInput(e.reason().name(), option + " " + file + ": " + e.getMessage());
    }
  }

  /** ISO-8601 instant or offset date-time, or a bare date (midnight UTC). */
  static Instant time(String text) throws BadInput {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      // try the other ISO forms below
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      // try a bare date
    }
    try {
      return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new BadInput(
          "BAD_TIME", "--time " + text + " is not an ISO-8601 time such as 2026-03-01T00:00:00Z.");
    }
  }

  static String json(ValidationResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append("{\"result\":")
        .append(quote(r.valid() ? "SUCCESS" : "FAILURE"))
        .append(",\"findings\":[");
    for (int i = 0; i < r.findings().size(); i++) {
      Finding f = r.findings().get(i);
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"rule\":")
          .append(quote(f.rule().name()))
          .append(",\"severity\":")
          .append(quote(f.severity().name()))
          .append(",\"message\":")
          .append(quote(f.message()))
          .append('}');
    }
    sb.append("],\"path\":[");
    for (int i = 0; i < r.path().size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(quote(r.path().get(i).facts().subject().rfc4514()));
    }
    return sb.append("]}").toString();
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
