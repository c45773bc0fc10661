package dev.fleettrust.x509;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RFC 5280 sections 6.1.2 to 6.1.5: certificate policy processing. Builds the valid policy tree
 * over the path (certificatePolicies, policyMappings, policyConstraints, inhibitAnyPolicy) from the
 * caller's {@link PolicyInputs}, and fails with POLICY_CONSTRAINTS_VIOLATION when the path requires
 * an explicit policy (the caller's initial-explicit-policy or a CA's requireExplicitPolicy) and no
 * policy of the initial set survives, or when a CA maps to or from anyPolicy (6.1.4 (a)). The
 * anchor is the trust anchor of section 6.1.1 (d): its own extensions are not processed.
 *
 * <p>With the default inputs only policyConstraints and policyMappings can make the outcome fail,
 * so paths without them skip the tree entirely (the common case costs nothing).
 */
final class PolicyRule implements PathRule {
  private static final String ANY = PolicyInputs.ANY_POLICY;

  /** A node of the valid policy tree. */
  private static final class Node {
    final String validPolicy;
    Set<String> expected;
    final Node parent;
    final List<Node> children = new ArrayList<>();
    final int depth;

    Node(String validPolicy, Set<String> expected, Node parent) {
      this.validPolicy = validPolicy;
      this.expected = expected;
      this.parent = parent;
      this.depth = parent == null ? 0 : parent.depth + 1;
      if (parent != null) {
        parent.children.add(this);
      }
    }
  }

  @Override
  public void check(PathContext path, List<Finding> out) {
    PolicyInputs in = path.policy();
    List<Certificate> chain = path.chain();
    if (in.isDefault() && chain.stream().noneMatch(c -> c.data().policy().constrains())) {
      return;
    }
    int n = chain.size();
    Node root = new Node(ANY, Set.of(ANY), null);
    boolean treeNull = false;
    int explicitPolicy = in.explicitPolicy() ? 0 : n + 1;
    int inhibitAny = in.inhibitAnyPolicy() ? 0 : n + 1;
    int policyMapping = in.inhibitPolicyMapping() ? 0 : n + 1;

    for (int i = 1; i <= n; i++) {
      Certificate cert = chain.get(n - i);
      PolicyData pd = cert.data().policy();
      boolean selfIssued = cert.facts().selfIssued();
      // 6.1.3 (d), (e)
      if (pd.policies().isPresent() && !treeNull) {
        List<Node> parents = level(root, i - 1);
        boolean hasAny = false;
        for (String p : pd.policies().get()) {
          if (p.equals(ANY)) {
            hasAny = true;
            continue;
          }
          boolean matched = false;
          for (Node parent : parents) {
            if (parent.expected.contains(p)) {
              new Node(p, Set.of(p), parent);
              matched = true;
            }
          }
          if (!matched) {
            for (Node parent : parents) {
              if (parent.validPolicy.equals(ANY)) {
                new Node(p, Set.of(p), parent);
              }
            }
          }
        }
        if (hasAny && (inhibitAny > 0 || (i < n && selfIssued))) {
          for (Node parent : parents) {
            Set<String> present = new HashSet<>();
            parent.children.forEach(c -> present.add(c.validPolicy));
            for (String e : parent.expected) {
              if (!present.contains(e)) {
                new Node(e, Set.of(e), parent);
              }
            }
          }
        }
        treeNull = prune(root, i);
      } else {
        treeNull = true;
      }
      // 6.1.3 (f)
      if (explicitPolicy <= 0 && treeNull) {
        fail(out, cert, "no certificate policy acceptable to the client is valid for the path");
        return;
      }
      if (i == n) {
        break;
      }
      // 6.1.4 (a), (b)
      for (Map.Entry<String, String> m : pd.mappings()) {
        if (m.getKey().equals(ANY) || m.getValue().equals(ANY)) {
          fail(out, cert, "the CA maps a policy to or from anyPolicy (RFC 5280 6.1.4 (a))");
          return;
        }
      }
      if (!pd.mappings().isEmpty() && !treeNull) {
        treeNull = applyMappings(root, i, pd.mappings(), policyMapping > 0);
      }
      // 6.1.4 (h), (i), (j)
      if (!selfIssued) {
        explicitPolicy = Math.max(0, explicitPolicy - 1);
        policyMapping = Math.max(0, policyMapping - 1);
        inhibitAny = Math.max(0, inhibitAny - 1);
      }
      if (pd.requireExplicitPolicy().isPresent()) {
        explicitPolicy = Math.min(explicitPolicy, pd.requireExplicitPolicy().getAsInt());
      }
      if (pd.inhibitPolicyMapping().isPresent()) {
        policyMapping = Math.min(policyMapping, pd.inhibitPolicyMapping().getAsInt());
      }
      if (pd.inhibitAnyPolicy().isPresent()) {
        inhibitAny = Math.min(inhibitAny, pd.inhibitAnyPolicy().getAsInt());
      }
    }
    // 6.1.5 (a), (b)
    Certificate leaf = chain.get(0);
    explicitPolicy = Math.max(0, explicitPolicy - 1);
    if (leaf.data().policy().requireExplicitPolicy().orElse(1) == 0) {
      explicitPolicy = 0;
    }
    // 6.1.5 (g)
    boolean intersectionNull = treeNull;
    if (!treeNull && !in.initialPolicySet().contains(ANY)) {
      intersectionNull = intersect(root, n, in.initialPolicySet());
    }
    if (explicitPolicy == 0 && intersectionNull) {
      fail(out, leaf, "no certificate policy acceptable to the client is valid for the path");
    }
  }

  private static void fail(List<Finding> out, Certificate c, String why) {
    out.add(
        Finding.error(
            RuleId.POLICY_CONSTRAINTS_VIOLATION,
            "The path through "
                + c.facts().subject().rfc4514()
                + " fails certificate policy processing: "
                + why
                + ".",
            Evidence.of(c).map()));
  }

  private static List<Node> level(Node root, int depth) {
    List<Node> out = new ArrayList<>();
    collect(root, depth, out);
    return out;
  }

  private static void collect(Node node, int depth, List<Node> out) {
    if (node.depth == depth) {
      out.add(node);
      return;
    }
    for (Node c : node.children) {
      collect(c, depth, out);
    }
  }

  /** Removes nodes above {@code depth} that have no children; true when the root went too. */
  private static boolean prune(Node root, int depth) {
    return !keep(root, depth);
  }

  private static boolean keep(Node node, int depth) {
    if (node.depth == depth) {
      return true;
    }
    node.children.removeIf(c -> !keep(c, depth));
    return !node.children.isEmpty();
  }

  private static void delete(Node node) {
    if (node.parent != null) {
      node.parent.children.remove(node);
    }
  }

  /** 6.1.4 (b); true when the tree became null. */
  private static boolean applyMappings(
      Node root, int i, List<Map.Entry<String, String>> mappings, boolean mappingAllowed) {
    Set<String> issuerPolicies = new LinkedHashSet<>();
    mappings.forEach(m -> issuerPolicies.add(m.getKey()));
    List<Node> nodes = level(root, i);
    for (String p : issuerPolicies) {
      Set<String> mapped = new LinkedHashSet<>();
      for (Map.Entry<String, String> m : mappings) {
        if (m.getKey().equals(p)) {
          mapped.add(m.getValue());
        }
      }
      List<Node> withP = nodes.stream().filter(x -> x.validPolicy.equals(p)).toList();
      if (mappingAllowed) {
        if (!withP.isEmpty()) {
          withP.forEach(x -> x.expected = Set.copyOf(mapped));
        } else {
          for (Node any : nodes) {
            if (any.validPolicy.equals(ANY)) {
              new Node(p, Set.copyOf(mapped), any.parent);
              break;
            }
          }
        }
      } else {
        withP.forEach(PolicyRule::delete);
      }
    }
    return mappingAllowed ? false : prune(root, i);
  }

  /** 6.1.5 (g)(iii); true when the intersection is null. */
  private static boolean intersect(Node root, int n, Set<String> initial) {
    // The valid_policy_node_set: nodes whose parent's valid policy is anyPolicy.
    List<Node> nodeSet = new ArrayList<>();
    collectPolicyNodeSet(root, nodeSet);
    for (Node x : nodeSet) {
      if (!x.validPolicy.equals(ANY) && !initial.contains(x.validPolicy)) {
        delete(x);
      }
    }
    for (Node leafAny : level(root, n)) {
      if (!leafAny.validPolicy.equals(ANY)) {
        continue;
      }
      Set<String> present = new HashSet<>();
      for (Node x : nodeSet) {
        if (x.depth == n && x.parent != null && x.parent.children.contains(x)) {
          present.add(x.validPolicy);
        }
      }
      for (String p : initial) {
        if (!present.contains(p)) {
          new Node(p, Set.of(p), leafAny.parent);
        }
      }
      delete(leafAny);
    }
    return prune(root, n);
  }

  private static void collectPolicyNodeSet(Node node, List<Node> out) {
    if (!node.validPolicy.equals(ANY)) {
      return;
    }
    for (Node c : node.children) {
      out.add(c);
      collectPolicyNodeSet(c, out);
    }
  }
}
