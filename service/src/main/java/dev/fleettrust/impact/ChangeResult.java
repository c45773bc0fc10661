package dev.fleettrust.impact;

/** The outcome of applying a planned change set to an environment. */
public sealed interface ChangeResult {

  record Applied(Environment environment) implements ChangeResult {}

  /**
   * A change that cannot apply (issue 6: an unknown pool is a 422 naming the field).
   *
   * @param index the position of the change in the list
   * @param field the field of that change at fault, e.g. {@code pool}
   */
  record Rejected(int index, String field, String reason) implements ChangeResult {}
}
