package dev.fleettrust;

import io.micronaut.runtime.Micronaut;

/** Starts the FleetTrust service with whatever configuration the environment gives it. */
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    Micronaut.run(Application.class, args);
  }
}
