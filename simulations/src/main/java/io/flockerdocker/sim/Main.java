package io.flockerdocker.sim;

import io.flockerdocker.sim.control.ControlMain;
import java.util.Arrays;

/** Entry point of the simulations jar: control, cluster, demo, chaos, bench. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("control")) {
      System.exit(ControlMain.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    System.err.println("not implemented yet");
    System.exit(2);
  }
}
