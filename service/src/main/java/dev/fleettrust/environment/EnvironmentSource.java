package dev.fleettrust.environment;

/** The UC environment as last put through the API; version 0 is the empty environment. */
public interface EnvironmentSource {
  CurrentEnvironment current();
}
