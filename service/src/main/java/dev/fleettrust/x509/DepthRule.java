package dev.fleettrust.x509;

import java.util.List;

/**
 * The client's maximum path length ({@link ClientProfile#maxDepth()}): leaf, non-self-issued
 * intermediates and anchor together (self-issued intermediates do not count, as in RFC 5280 section
 * 6.1.4 (l)).
 */
final class DepthRule implements PathRule {
  @Override
  public void check(PathContext path, List<Finding> out) {
    List<Certificate> chain = path.chain();
    int count = 1;
    for (int i = 1; i < chain.size(); i++) {
      if (!chain.get(i).facts().selfIssued()) {
        count++;
      }
    }
    if (path.complete()) {
      count++;
    }
    if (count > path.profile().maxDepth()) {
      out.add(
          Finding.error(
              RuleId.CHAIN_TOO_DEEP,
              "The chain needs "
                  + count
                  + " certificates; "
                  + path.profile().name()
                  + " accepts at most "
                  + path.profile().maxDepth()
                  + ".",
              Evidence.of(path.leaf()).put("depth", Integer.toString(count)).map()));
    }
  }
}
