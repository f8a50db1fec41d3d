package io.flockerdocker.sim;

import io.flockerdocker.agent.Subcommands;
import io.flockerdocker.sim.bench.BenchMain;
import io.flockerdocker.sim.chaos.ChaosMain;
import io.flockerdocker.sim.control.ControlMain;
import io.flockerdocker.sim.scenario.ClusterMain;
import io.flockerdocker.sim.scenario.DemoMain;

/** Entry point of the simulations jar: control, cluster, demo, chaos, bench. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    System.exit(commands().run(args));
  }

  /** The subcommands this jar serves; usage lines are the rows of specs/command-line.md. */
  static Subcommands commands() {
    return new Subcommands(System.out, System.err)
        .add("control", "control --port P --data DIR [--tls-dir D]", ControlMain::run)
        .add(
            "cluster",
            "cluster --nodes N --dir DIR [--move-delay-ms M] [--socket-template T]",
            ClusterMain::run)
        .add("demo", "demo [--docker]", DemoMain::run)
        .add("chaos", "chaos --nodes N --seeds S --steps K [--seed X]", ChaosMain::run)
        .add("bench", "bench latency|move|scale|contention [--json]", BenchMain::run);
  }
}
