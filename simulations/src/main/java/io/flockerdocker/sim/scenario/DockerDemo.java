package io.flockerdocker.sim.scenario;

/** {@code demo --docker}: the demo through two real Docker engines (being written). */
final class DockerDemo {
  private DockerDemo() {}

  static int run() {
    System.err.println("flocker-docker demo --docker: not implemented yet");
    return 2;
  }
}
