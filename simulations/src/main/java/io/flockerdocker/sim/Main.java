package io.flockerdocker.sim;

/** Entry point of the simulations jar: control, cluster, demo, chaos, bench. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.err.println("not implemented yet");
    System.exit(2);
  }
}
