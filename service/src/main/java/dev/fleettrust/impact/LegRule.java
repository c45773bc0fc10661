package dev.fleettrust.impact;

import java.util.List;

/**
 * A device-side rule on one connection: small, stateless, reading the connection and the findings
 * the rules before it produced, returning the findings after it. Each implementation cites the seed
 * it encodes.
 */
interface LegRule {
  List<Finding> apply(Connection c, List<Finding> findings);
}
