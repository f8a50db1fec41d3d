package io.flockerdocker.control.ca;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * CLI of {@code ca} ({@code init}, {@code node}, {@code user}), dispatched to by the agent jar's
 * Main. Exit 0 on success, 2 with one line on stderr for bad arguments or a refused write.
 */
@Command(name = "ca", sortOptions = false, usageHelpWidth = 100,
    synopsisHeading = "usage: ",
    customSynopsis = {
        "ca init --dir D [--control-address HOST]...",
        "       ca node --dir D --name NAME --address ADDR [--uuid U]   (prints the node UUID)",
        "       ca user --dir D --name NAME"},
    commandListHeading = "%ncommands:%n", optionListHeading = "",
    subcommands = {CaMain.Init.class, CaMain.Node.class, CaMain.User.class})
public final class CaMain implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
  boolean help;

  @Spec CommandSpec spec;

  private CaMain() {}

  /** Runs {@code ARGS} with these streams; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return new CommandLine(new CaMain())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .setExpandAtFiles(false)
        .setParameterExceptionHandler((e, argv) -> {
          err.println("ca: " + e.getMessage().replace('\n', ' '));
          return 2;
        })
        .setExecutionExceptionHandler((e, cli, parsed) -> {
          err.println("ca: " + reason(e));
          return 2;
        })
        .execute(args);
  }

  /** {@code ca} alone: which command? */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(),
        "a command is required: init, node or user (see --help)");
  }

  private static String reason(Exception e) {
    if (e instanceof IllegalArgumentException) {
      return e.getMessage();
    }
    if (e instanceof FileAlreadyExistsException f) {
      return "refusing to overwrite " + f.getFile();
    }
    if (e instanceof NoSuchFileException f) {
      return f.getFile() + " does not exist (run `ca init --dir DIR` first)";
    }
    return e.getClass().getSimpleName() + ": "
        + String.valueOf(e.getMessage()).replace('\n', ' ');
  }

  @Command(name = "init", sortOptions = false, usageHelpWidth = 100,
      synopsisHeading = "usage: ",
      description = "the cluster CA (cluster.crt/.key) and control-service.crt/.key in D")
  static final class Init implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
    boolean help;

    @Option(names = "--dir", paramLabel = "D", required = true,
        description = "the CA's directory")
    Path dir;

    @Option(names = "--control-address", paramLabel = "HOST",
        description = "a SAN of the control service's certificate (repeatable)")
    List<String> controlAddresses = new ArrayList<>();

    @Override
    public Integer call() throws IOException, GeneralSecurityException {
      ClusterCa.init(dir, List.copyOf(controlAddresses));
      return 0;
    }
  }

  @Command(name = "node", sortOptions = false, usageHelpWidth = 100,
      synopsisHeading = "usage: ",
      description = "D/NAME/node.crt, node.key and cluster.crt for one host; prints its UUID")
  static final class Node implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
    boolean help;

    @Option(names = "--dir", paramLabel = "D", required = true,
        description = "the CA's directory")
    Path dir;

    @Option(names = "--name", paramLabel = "NAME", required = true,
        description = "the host's name: its files go to D/NAME/")
    String name;

    @Option(names = "--address", paramLabel = "ADDR", required = true,
        description = "the host's address (a SAN of its certificate)")
    String address;

    @Option(names = "--uuid", paramLabel = "U", description = "the node UUID (default: a new one)")
    String uuid;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException, GeneralSecurityException {
      spec.commandLine().getOut()
          .println(ClusterCa.node(dir, name, address, Optional.ofNullable(uuid)));
      return 0;
    }
  }

  @Command(name = "user", sortOptions = false, usageHelpWidth = 100,
      synopsisHeading = "usage: ",
      description = "D/NAME.crt and D/NAME.key for an API client (CN user-NAME)")
  static final class User implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
    boolean help;

    @Option(names = "--dir", paramLabel = "D", required = true,
        description = "the CA's directory")
    Path dir;

    @Option(names = "--name", paramLabel = "NAME", required = true,
        description = "the user's name")
    String name;

    @Override
    public Integer call() throws IOException, GeneralSecurityException {
      ClusterCa.user(dir, name);
      return 0;
    }
  }
}
