package dev.fleettrust.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleettrust.impact.Change;
import dev.fleettrust.impact.Usage;
import dev.fleettrust.trust.TlsVersion;
import dev.fleettrust.x509.CertificateInputException;
import dev.fleettrust.x509.CertificateParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reads back, from an assessment's stored {@code changes} (the API's {@code Change} documents, as
 * validated when the assessment was made), the changes that can exercise a firmware capability: new
 * pool certificate chains and TLS settings. Other change types exercise none and are skipped.
 */
final class StoredChanges {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoredChanges() {}

  static List<Change> read(String changesJson) {
    JsonNode changes;
    try {
      changes = JSON.readTree(changesJson);
    } catch (IOException e) {
      throw new UncheckedIOException("A stored assessment's changes do not read back", e);
    }
    List<Change> read = new ArrayList<>();
    for (JsonNode change : changes) {
      switch (change.path("type").asText()) {
        case "REPLACE_CERTIFICATE" -> {
          try {
            read.add(
                new Change.ReplaceCertificate(
                    change.path("pool").asText(),
                    Usage.valueOf(change.path("usage").asText()),
                    CertificateParser.parse(change.path("chain").asText())));
          } catch (CertificateInputException e) {
            throw new IllegalStateException("A stored, once valid chain no longer parses", e);
          }
        }
        case "SET_TLS_VERSIONS" -> {
          Set<TlsVersion> versions = EnumSet.noneOf(TlsVersion.class);
          change
              .path("tlsVersions")
              .forEach(v -> TlsVersion.fromWireName(v.asText()).ifPresent(versions::add));
          read.add(new Change.SetTlsVersions(change.path("pool").asText(), versions));
        }
        default -> {
          // exercises no firmware capability
        }
      }
    }
    return read;
  }
}
