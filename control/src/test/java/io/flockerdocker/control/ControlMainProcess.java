package io.flockerdocker.control;

/** A test-only process entry point: what the agent jar's Main does for {@code control}. */
final class ControlMainProcess {
  private ControlMainProcess() {}

  public static void main(String[] args) {
    System.exit(ControlMain.run(args, System.out, System.err));
  }
}
