package dev.fleettrust.x509;

import java.util.Objects;

/**
 * One permitted or excluded subtree of a nameConstraints extension.
 *
 * @param value a DNS suffix, an IP range in CIDR form ({@code 10.0.0.0/8}), an e-mail constraint
 *     (mailbox, host or {@code .domain}), a URI host constraint, or an RFC 4514 directory name
 */
public record GeneralSubtree(GeneralNameType type, String value) {
  public GeneralSubtree {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }
}
