package dev.fleettrust.x509;

/**
 * An iterative pre-scan of BER/DER bytes before any recursive parser sees them: every length must
 * fit inside its parent, nesting is bounded, and the scan itself never recurses, so hostile input
 * (deep nesting, lengths pointing past the end, 4 GiB lengths) is refused cheaply instead of
 * exhausting the stack or the heap of the recursive Bouncy Castle parser.
 */
final class DerGuard {
  /** Real certificates nest about ten levels; PKCS#7 adds about six. */
  static final int MAX_DEPTH = 40;

  private DerGuard() {}

  /** Why the bytes were refused, or {@code null} when they are one well-formed TLV. */
  static String check(byte[] der, int offset, int length, boolean allowIndefinite) {
    int end = offset + length;
    // Stack of the end offsets of the constructed values we are inside; -1 marks indefinite.
    int[] ends = new int[MAX_DEPTH + 1];
    int depth = 0;
    int pos = offset;
    boolean first = true;
    while (true) {
      // Close every definite container that ends here.
      while (depth > 0 && ends[depth - 1] >= 0 && pos == ends[depth - 1]) {
        depth--;
      }
      if (depth == 0 && !first) {
        return pos == end ? null : "trailing data after the outer value";
      }
      first = false;
      int limit = end;
      for (int i = depth - 1; i >= 0; i--) {
        if (ends[i] >= 0) {
          limit = ends[i];
          break;
        }
      }
      if (pos >= limit) {
        return "value truncated";
      }
      int tag = der[pos++] & 0xff;
      if ((tag & 0x1f) == 0x1f) {
        int n = 0;
        int b;
        do {
          if (pos >= limit || ++n > 4) {
            return "bad tag number";
          }
          b = der[pos++] & 0xff;
        } while ((b & 0x80) != 0);
      }
      if (pos >= limit) {
        return "length missing";
      }
      int first8 = der[pos++] & 0xff;
      long len;
      boolean indefinite = false;
      if (first8 < 0x80) {
        len = first8;
      } else if (first8 == 0x80) {
        if (!allowIndefinite || (tag & 0x20) == 0) {
          return "indefinite length";
        }
        indefinite = true;
        len = -1;
      } else {
        int n = first8 & 0x7f;
        if (n > 4) {
          return "length field too long";
        }
        len = 0;
        for (int i = 0; i < n; i++) {
          if (pos >= limit) {
            return "length truncated";
          }
          len = (len << 8) | (der[pos++] & 0xff);
        }
      }
      if (tag == 0 && len == 0 && depth > 0 && ends[depth - 1] < 0) {
        // End-of-contents of an indefinite-length container.
        depth--;
        if (depth == 0) {
          return pos == end ? null : "trailing data after the outer value";
        }
        continue;
      }
      if (!indefinite && pos + len > limit) {
        return "length beyond the end of the enclosing value";
      }
      boolean constructed = (tag & 0x20) != 0;
      if (constructed) {
        if (depth == MAX_DEPTH) {
          return "nesting deeper than " + MAX_DEPTH;
        }
        ends[depth++] = indefinite ? -1 : (int) (pos + len);
      } else {
        pos += (int) len;
      }
    }
  }

  static String check(byte[] der, boolean allowIndefinite) {
    return check(der, 0, der.length, allowIndefinite);
  }

  /**
   * The total length of the definite-length TLV starting at {@code offset}, or -1 when the header
   * is malformed, indefinite, or points past the end.
   */
  static int tlvLength(byte[] der, int offset) {
    int pos = offset;
    if (pos >= der.length) {
      return -1;
    }
    int tag = der[pos++] & 0xff;
    if ((tag & 0x1f) == 0x1f) {
      int n = 0;
      int b;
      do {
        if (pos >= der.length || ++n > 4) {
          return -1;
        }
        b = der[pos++] & 0xff;
      } while ((b & 0x80) != 0);
    }
    if (pos >= der.length) {
      return -1;
    }
    int first = der[pos++] & 0xff;
    long len;
    if (first < 0x80) {
      len = first;
    } else if (first == 0x80) {
      return -1;
    } else {
      int n = first & 0x7f;
      if (n > 4) {
        return -1;
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        if (pos >= der.length) {
          return -1;
        }
        len = (len << 8) | (der[pos++] & 0xff);
      }
    }
    long total = (pos - offset) + len;
    return offset + total > der.length ? -1 : (int) total;
  }
}
