package dev.fleettrust.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The local default's token-signing secret, kept in {@code FLEETTRUST_HOME/jwt-secret} so that
 * {@code deploy/local/token.sh} (which reads or creates the same file) mints tokens it accepts.
 */
final class LocalSecret {
  static final String FILE_NAME = "jwt-secret";

  private LocalSecret() {}

  static String readOrCreate(Path home) {
    Path file = home.resolve(FILE_NAME);
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(home);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        Files.writeString(file, HexFormat.of().formatHex(random) + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
      return Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("FLEETTRUST_HOME " + home + " cannot be used", e);
    }
  }
}
