package io.flockerdocker.agent;

/** Entry point of the agent jar: {@code agent --config FILE}, {@code status}, {@code release}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.err.println("not implemented yet");
    System.exit(2);
  }
}
