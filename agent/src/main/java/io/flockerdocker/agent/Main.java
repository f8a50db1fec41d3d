package io.flockerdocker.agent;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of the shipped jar: {@code agent}, {@code node-config}, {@code status}, {@code
 * release}, and the control module's {@code control} and {@code ca}, which this jar packages
 * (runtime dependency) but whose code the agent never imports: the agent speaks to the control
 * service over HTTP only, so those two are dispatched by class name and parse their own
 * arguments. Exit codes follow specs/command-line.md: 0 for help, 2 with one line on stderr for
 * a bad command line.
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

  /** Runs {@code flocker-docker ARGS} with these streams and returns the exit code. */
  public static int run(PrintStream out, PrintStream err, String... args) {
    return commandLine(out, err).execute(args);
  }

  /** The subcommands of this jar; their synopses are the rows of specs/command-line.md. */
  static CommandLine commandLine(PrintStream out, PrintStream err) {
    StatusCli operator = new StatusCli(out, err);
    CommandLine cli = new CommandLine(new Main(err))
        .addSubcommand(new AgentMain(err))
        .addSubcommand(new NodeConfig(out))
        .addSubcommand(new StatusCli.Status(operator))
        .addSubcommand(new StatusCli.Release(operator))
        .addSubcommand("control", packaged(new Packaged("io.flockerdocker.control.ControlMain",
            out, err), "the Flocker-compatible control service (one per cluster)"))
        .addSubcommand("ca", packaged(new Packaged("io.flockerdocker.control.ca.CaMain", out,
            err), "the cluster CA and its certificates: ca init|node|user --dir D ..."));
    return withContract(cli, out, err);
  }

  /**
   * The launcher contract on a root command line (the simulations jar's too): help on {@code
   * out}, no @file expansion, and a bad command line as one line on {@code err} with exit 2. Call
   * it after adding the subcommands: these settings reach only the commands registered so far.
   */
  public static CommandLine withContract(CommandLine cli, PrintStream out, PrintStream err) {
    return cli.setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .setExpandAtFiles(false)
        .setParameterExceptionHandler((e, args) -> {
          err.println(e.getCommandLine().getCommandSpec().qualifiedName() + ": " + reason(e));
          return 2;
        });
  }

  /** Without a subcommand: the usage, on stderr, exit 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(err);
    return 2;
  }

  private static String reason(ParameterException e) {
    if (e instanceof UnmatchedArgumentException u
        && e.getCommandLine().getCommandSpec().parent() == null
        && !u.getUnmatched().isEmpty()) {
      return "unknown subcommand '" + u.getUnmatched().get(0) + "' (see --help)";
    }
    return e.getMessage().replace('\n', ' ');
  }

  private static CommandLine packaged(Packaged command, String description) {
    CommandLine packaged = new CommandLine(command)
        // every word goes to the module's own parser, --help and unknown options included
        .setUnmatchedOptionsArePositionalParams(true);
    packaged.getCommandSpec().usageMessage().description(description);
    return packaged;
  }

  /**
   * A subcommand of another module: hands all its words to {@code run(String[], PrintStream,
   * PrintStream)} of the module's main class and returns its exit code.
   */
  @Command
  static final class Packaged implements Callable<Integer> {
    @Parameters(arity = "0..*")
    List<String> args = new ArrayList<>();

    private final String mainClass;
    private final PrintStream out;
    private final PrintStream err;

    Packaged(String mainClass, PrintStream out, PrintStream err) {
      this.mainClass = mainClass;
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() throws Exception {
      try {
        return (int) Class.forName(mainClass)
            .getMethod("run", String[].class, PrintStream.class, PrintStream.class)
            .invoke(null, args.toArray(String[]::new), out, err);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof Exception cause) {
          throw cause;
        }
        throw e;
      }
    }
  }
}
