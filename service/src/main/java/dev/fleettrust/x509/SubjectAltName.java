package dev.fleettrust.x509;

import java.util.Objects;

/**
 * One subjectAltName entry.
 *
 * @param value DNS name as written, IP in textual form ({@code 10.0.0.1}, {@code 2001:db8::1}),
 *     URI, e-mail address, or an RFC 4514 directory name
 * @param wildcard true for a DNS name with a {@code *} in it (e.g. {@code *.example.net})
 */
public record SubjectAltName(GeneralNameType type, String value, boolean wildcard) {
  public SubjectAltName {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }
}
