package io.flockerdocker.sim;

import io.flockerdocker.sim.bench.BenchMain;
import io.flockerdocker.sim.chaos.ChaosMain;
import io.flockerdocker.sim.scenario.ClusterMain;
import io.flockerdocker.sim.scenario.DemoMain;

/**
 * Entry point of the simulations jar (test harnesses): cluster, demo, chaos, bench. The production
 * subcommands (agent, control, ca, node-config, status, release) live in the agent jar.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    System.exit(commands().run(args));
  }

  /** The subcommands this jar serves; usage lines are the rows of specs/command-line.md. */
  static Subcommands commands() {
    return new Subcommands(System.out, System.err)
        .add(
            "cluster",
            "cluster --nodes N --dir DIR [--move-delay-ms M] [--socket-template T] [--tls]",
            ClusterMain::run)
        .add("demo", "demo [--docker | --swarm]", DemoMain::run)
        .add("chaos", "chaos --nodes N --seeds S --steps K [--seed X]", ChaosMain::run)
        .add("bench", "bench latency|move|scale|contention|control [--json]", BenchMain::run);
  }
}
