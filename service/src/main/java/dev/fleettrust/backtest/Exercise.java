package dev.fleettrust.backtest;

import dev.fleettrust.trust.TlsVersion;
import dev.fleettrust.x509.KeyType;
import dev.fleettrust.x509.SignatureAlgorithm;
import java.util.Objects;
import java.util.Set;

/**
 * One firmware capability a change asks of the devices that the environment before it did not: what
 * a failure after the change can be blamed on.
 */
sealed interface Exercise {
  /** A wildcard DNS name where the chain it replaces had none. */
  record WildcardNames() implements Exercise {}

  /** A certificate signed with an algorithm the replaced chain did not use. */
  record SignatureAlgorithmUsed(SignatureAlgorithm algorithm) implements Exercise {
    public SignatureAlgorithmUsed {
      Objects.requireNonNull(algorithm, "algorithm");
    }
  }

  /** A key of a type the replaced chain did not carry. */
  record KeyTypeUsed(KeyType type) implements Exercise {
    public KeyTypeUsed {
      Objects.requireNonNull(type, "type");
    }
  }

  /** The pool's endpoints now accept only these TLS versions, dropping some they accepted. */
  record TlsVersionsLimited(Set<TlsVersion> enabled) implements Exercise {
    public TlsVersionsLimited {
      enabled = Set.copyOf(enabled);
    }
  }

  /**
   * The chain leads to a different root (the canonical name of the issuer of its top certificate).
   */
  record RootChanged(String issuer) implements Exercise {
    public RootChanged {
      Objects.requireNonNull(issuer, "issuer");
    }
  }
}
