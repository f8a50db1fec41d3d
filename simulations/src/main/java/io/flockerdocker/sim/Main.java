package io.flockerdocker.sim;

import io.flockerdocker.sim.bench.BenchMain;
import io.flockerdocker.sim.chaos.ChaosMain;
import io.flockerdocker.sim.scenario.ClusterMain;
import io.flockerdocker.sim.scenario.DemoMain;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Entry point of the simulations jar (test harnesses): cluster, demo, chaos, bench. The production
 * subcommands (agent, control, ca, node-config, status, release) live in the agent jar. Exit codes
 * follow specs/command-line.md: 0 for help (on stdout), 2 with one line on stderr for a bad
 * command line.
 */
@Command(name = "flocker-docker", sortOptions = false, usageHelpWidth = 100,
    synopsisHeading = "usage: ",
    customSynopsis = "flocker-docker <subcommand> [args...]"
        + "   (--help after a subcommand: its usage)",
    commandListHeading = "%nsubcommands:%n", optionListHeading = "%n")
public final class Main implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
  boolean help;

  @Spec CommandSpec spec;

  private final PrintStream err;

  private Main(PrintStream err) {
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(System.out, System.err, args));
  }

  /** Runs {@code flocker-docker ARGS} with these streams for help and usage errors. */
  public static int run(PrintStream out, PrintStream err, String... args) {
    return commandLine(out, err).execute(args);
  }

  /** The subcommands this jar serves; their synopses are the rows of specs/command-line.md. */
  static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new Main(err))
        .addSubcommand(new ClusterMain())
        .addSubcommand(DemoMain.commandLine())
        .addSubcommand(new ChaosMain())
        .addSubcommand(new BenchMain());
    return io.flockerdocker.agent.Main.withContract(cli, out, err);
  }

  /** Without a subcommand: the usage, on stderr, exit 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(err);
    return 2;
  }
}
