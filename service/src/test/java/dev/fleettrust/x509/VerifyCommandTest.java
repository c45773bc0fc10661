package dev.fleettrust.x509;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.x509.TestPki.Issued;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
  static final Issued ROOT = TestPki.root("Verify Root");
  static final Issued INT =
      TestPki.cert("CN=Verify Issuing").ca(0).keys(TestPki.rsa("verify-int")).issuer(ROOT).build();
  static final Issued LEAF =
      TestPki.cert("CN=sip.example.net").dns("sip.example.net").issuer(INT).build();
  static final Issued WILDCARD =
      TestPki.cert("CN=*.example.net").dns("*.example.net").issuer(INT).build();

  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(ProfileLookup profiles, String... args) {
    return new VerifyCommand(profiles)
        .run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  int run(String... args) {
    return run(ProfileLookup.builtIn(), args);
  }

  String stdout() {
    return out.toString(StandardCharsets.UTF_8).strip();
  }

  Path write(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void printsSuccessWithThePathAndExitsZero() throws Exception {
    Path trusted = write("roots.pem", ROOT.cert().toPem());
    Path untrusted = write("int.pem", INT.cert().toPem());
    Path peer = write("leaf.pem", LEAF.cert().toPem());

    int code =
        run(
            "--trusted",
            trusted.toString(),
            "--untrusted",
            untrusted.toString(),
            "--peer",
            peer.toString(),
            "--host",
            "sip.example.net",
            "--time",
            "2026-03-01T12:00:00Z",
            "--profile",
            "WEB_PKI");

    assertThat(code).isZero();
    assertThat(stdout())
        .isEqualTo(
            "{\"result\":\"SUCCESS\",\"findings\":[],\"path\":[\"CN=sip.example.net\",\"CN=Verify Issuing\",\"CN=Verify Root,O=FleetTrust Test\"]}");
  }

  @Test
  void printsFindingsAndExitsOneOnFailure() throws Exception {
    Path trusted = write("roots.pem", TestPki.root("Someone Else").cert().toPem());
    Path peer = write("chain.pem", LEAF.cert().toPem() + INT.cert().toPem());

    int code =
        run(
            "--trusted",
            trusted.toString(),
            "--peer",
            peer.toString(),
            "--time",
            "2026-03-01T12:00:00+00:00");

    assertThat(code).isEqualTo(1);
    assertThat(stdout())
        .startsWith("{\"result\":\"FAILURE\",\"findings\":[{\"rule\":\"MISSING_INTERMEDIATE\"");
  }

  @Test
  void usesTheProfileTheLookupFinds() throws Exception {
    Path trusted = write("roots.pem", ROOT.cert().toPem());
    Path peer = write("chain.pem", WILDCARD.cert().toPem() + INT.cert().toPem());
    ProfileLookup catalog =
        name ->
            name.equals("LPE-AIRES:4.0.7577.107")
                ? Optional.of(ClientProfile.webPki().withName(name).withWildcardNames(false))
                : Optional.empty();

    int code =
        run(
            catalog,
            "--trusted",
            trusted.toString(),
            "--peer",
            peer.toString(),
            "--host",
            "sip.example.net",
            "--time",
            "2026-03-01",
            "--profile",
            "LPE-AIRES:4.0.7577.107");

    assertThat(code).isEqualTo(1);
    assertThat(stdout()).contains("\"rule\":\"WILDCARD_UNSUPPORTED\"");
  }

  @Test
  void exitsTwoOnBadInput() throws Exception {
    Path trusted = write("roots.pem", ROOT.cert().toPem());
    Path garbage =
        write(
            "garbage.pem", "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");

    assertThat(
            run(
                "--trusted",
                trusted.toString(),
                "--peer",
                trusted.toString(),
                "--profile",
                "LPE-AIRES:4.0.7577.4100"))
        .isEqualTo(2);
    assertThat(stdout()).contains("\"error\":\"UNKNOWN_PROFILE\"");
    out.reset();
    assertThat(run("--trusted", trusted.toString(), "--peer", garbage.toString())).isEqualTo(2);
    assertThat(stdout()).contains("\"error\":\"MALFORMED_PEM\"");
    out.reset();
    assertThat(
            run("--trusted", dir.resolve("missing.pem").toString(), "--peer", trusted.toString()))
        .isEqualTo(2);
    assertThat(stdout()).contains("\"error\":\"FILE_NOT_FOUND\"");
    out.reset();
    assertThat(
            run(
                "--trusted",
                trusted.toString(),
                "--peer",
                trusted.toString(),
                "--time",
                "yesterday"))
        .isEqualTo(2);
    assertThat(stdout()).contains("\"error\":\"BAD_TIME\"");
    out.reset();
    assertThat(run("--peer")).isEqualTo(2);
    assertThat(stdout()).contains("\"error\":\"USAGE\"");
  }

  @Test
  void escapesJsonInMessages() {
    assertThat(VerifyCommand.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
  }

  int runWithCrls(Path trusted, Path chain, Path crls, String time) {
    return run(
        "--trusted",
        trusted.toString(),
        "--peer",
        chain.toString(),
        "--crls",
        crls.toString(),
        "--host",
        "sip.example.net",
        "--time",
        time);
  }

  @Test
  void checksRevocationAgainstTheCrlsGivenWithCrls() throws Exception {
    Path trusted = write("roots.pem", ROOT.cert().toPem());
    Path chain = write("chain.pem", LEAF.cert().toPem() + INT.cert().toPem());
    Crl rootCrl = TestPki.crl(ROOT).build();
    Crl revoking = TestPki.crl(INT).revoke(LEAF.cert(), TestPki.NOW.minusSeconds(3600), 1).build();
    Path crls = write("crls.pem", rootCrl.toPem() + revoking.toPem());
    Path fresh = write("fresh.pem", rootCrl.toPem() + TestPki.crl(INT).build().toPem());

    int revoked = runWithCrls(trusted, chain, crls, "2026-03-01T12:00:00Z");
    String revokedOut = stdout();
    out.reset();
    int stale = runWithCrls(trusted, chain, fresh, "2026-04-01T12:00:00Z");
    String staleOut = stdout();
    out.reset();
    int good = runWithCrls(trusted, chain, fresh, "2026-03-01T12:00:00Z");

    assertThat(revoked).isEqualTo(VerifyCommand.FAILURE);
    assertThat(revokedOut).contains("\"rule\":\"CERTIFICATE_REVOKED\"");
    assertThat(stale).isEqualTo(VerifyCommand.FAILURE);
    assertThat(staleOut).contains("\"rule\":\"REVOCATION_STALE\"");
    assertThat(good).isEqualTo(VerifyCommand.SUCCESS);
  }

  @Test
  void takesTheInitialPolicyInputsAndTheRfc5280Profile() throws Exception {
    Path trusted = write("roots.pem", ROOT.cert().toPem());
    Path chain = write("chain.pem", LEAF.cert().toPem() + INT.cert().toPem());

    int explicit =
        run(
            "--trusted",
            trusted.toString(),
            "--peer",
            chain.toString(),
            "--time",
            "2026-03-01T12:00:00Z",
            "--initial-policy",
            "2.23.140.1.2.1",
            "--initial-policy",
            "2.23.140.1.2.2",
            "--explicit-policy",
            "--inhibit-policy-mapping",
            "--inhibit-any-policy",
            "--profile",
            "rfc5280");
    String explicitOut = stdout();
    out.reset();
    int badOid =
        run(
            "--trusted",
            trusted.toString(),
            "--peer",
            chain.toString(),
            "--initial-policy",
            "not-an-oid");

    assertThat(explicit).isEqualTo(VerifyCommand.FAILURE);
    assertThat(explicitOut).contains("\"rule\":\"POLICY_CONSTRAINTS_VIOLATION\"");
    assertThat(badOid).isEqualTo(VerifyCommand.BAD_INPUT);
    assertThat(stdout()).contains("\"error\":\"BAD_POLICY\"");
  }
}
