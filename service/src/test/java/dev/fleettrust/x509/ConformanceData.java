package dev.fleettrust.x509;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the public conformance suites are read from. They may not be copied into the repository:
 * the tests read them from {@code FLEETTRUST_CONFORMANCE_DIR} when set, otherwise from {@code
 * conformance/} under the {@code fleettrust.shared.dir} system property (default {@code
 * ../../shared} from the service module, the {@code shared} folder beside the repository).
 */
final class ConformanceData {
  static final String ENV = "FLEETTRUST_CONFORMANCE_DIR";

  private ConformanceData() {}

  /** The directory holding the suites. */
  static Path root() {
    String env = System.getenv(ENV);
    return env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of(System.getProperty("fleettrust.shared.dir", "../../shared"))
            .resolve("conformance");
  }

  /**
   * A file of a suite; when it is missing, fails with one line naming the file and where the suite
   * is published, instead of a NoSuchFileException stack trace.
   */
  static Path require(String suite, String file, String publishedAt) {
    return require(root(), suite, file, publishedAt);
  }

  static Path require(Path root, String suite, String file, String publishedAt) {
    Path p = root.resolve(suite).resolve(file);
    if (!Files.isReadable(p)) {
      throw new Missing(
          "Conformance data missing: "
              + p.toAbsolutePath().normalize()
              + " (the "
              + suite
              + " suite, published at "
              + publishedAt
              + "; put it under shared/conformance/"
              + suite
              + "/ or point "
              + ENV
              + " at a directory holding "
              + suite
              + "/)");
    }
    return p;
  }

  static final String LIMBO_SOURCE = "https://github.com/C2SP/x509-limbo";
  static final String PKITS_SOURCE =
      "NIST PKITS, https://csrc.nist.gov/projects/pki-testing (as in BoringSSL"
          + " pki/testdata/nist-pkits)";

  /** A test failure that is the one line of its message: no stack trace to scroll through. */
  static final class Missing extends AssertionError {
    private static final long serialVersionUID = 1L;

    Missing(String message) {
      super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }
}
