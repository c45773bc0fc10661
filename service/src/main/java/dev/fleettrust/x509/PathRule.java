package dev.fleettrust.x509;

import java.util.List;

/** One stateless RFC 5280 / RFC 6125 / profile check over a candidate path. */
interface PathRule {
  void check(PathContext path, List<Finding> out);
}
