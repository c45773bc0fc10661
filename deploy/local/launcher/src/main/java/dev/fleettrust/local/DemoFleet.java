package dev.fleettrust.local;

import io.micronaut.context.ApplicationContext;

/** Loads a small demo fleet so that the first impact query returns something real. */
final class DemoFleet {
  private DemoFleet() {}

  static void load(ApplicationContext context) {
    System.out.println("FleetTrust: --demo has no fleet to load yet; the inventory stays as it is.");
  }
}
