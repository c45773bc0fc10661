package dev.fleettrust.inventory;

/** Whether a registrar saw a sign-in attempt succeed. */
public enum SignInOutcome {
  SUCCESS,
  FAILURE
}
