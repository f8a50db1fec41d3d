package io.flockerdocker.sim;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dispatch table behind the simulations jar's {@code Main}: subcommand name to usage line
 * and code.
 * Exit codes follow specs/command-line.md: 0 for help, 2 with a one-line reason on stderr for a
 * bad or unknown subcommand; {@code --help} anywhere after a subcommand prints its usage line.
 */
public final class Subcommands {
  /** One subcommand: gets the arguments after its name, returns the process exit code. */
  @FunctionalInterface
  public interface Command {
    int run(String[] args) throws Exception;
  }

  private record Entry(String usage, String help, Command command) {}

  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final PrintStream out;
  private final PrintStream err;

  public Subcommands(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Registers {@code name}; {@code usage} is its row of the contract, e.g. "demo [--docker]". */
  public Subcommands add(String name, String usage, Command command) {
    entries.put(name, new Entry(usage, "", command));
    return this;
  }

  /** As {@link #add}, with lines {@code --help} prints below the usage (what a flag does). */
  public Subcommands add(String name, String usage, String help, Command command) {
    entries.put(name, new Entry(usage, help, command));
    return this;
  }

  /** Registers a subcommand the contract names but this build does not do yet. */
  public Subcommands notImplemented(String name, String usage) {
    return add(name, usage, args -> {
      err.println("flocker-docker " + name + ": not implemented yet");
      return 2;
    });
  }

  public int run(String[] args) throws Exception {
    if (args.length == 0) {
      printUsage(err);
      return 2;
    }
    String name = args[0];
    if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
      printUsage(out);
      return 0;
    }
    Entry entry = entries.get(name);
    if (entry == null) {
      err.println("flocker-docker: unknown subcommand '" + name + "' (known: "
          + String.join(", ", entries.keySet()) + ")");
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
      out.println("usage: flocker-docker " + entry.usage());
      if (!entry.help().isEmpty()) {
        out.print(entry.help());
      }
      return 0;
    }
    try {
      return entry.command().run(rest);
    } catch (Args.UsageException e) {
      err.println("flocker-docker " + name + ": " + e.getMessage());
      return 2;
    }
  }

  private void printUsage(PrintStream to) {
    to.println("usage: flocker-docker <subcommand> [args...]");
    entries.values().forEach(e -> to.println("  " + e.usage()));
  }
}
