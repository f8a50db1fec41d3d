package io.flockerdocker.agent;

/**
 * Entry point of the shipped jar: {@code agent}, {@code node-config}, {@code status}, {@code release}, and the control
 * module's {@code control} and {@code ca}, which this jar packages (runtime dependency) but whose
 * code the agent never imports: the agent speaks to the control service over HTTP only.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    System.exit(commands().run(args));
  }

  /** The subcommands this jar serves; usage lines are the rows of specs/command-line.md. */
  static Subcommands commands() {
    return new Subcommands(System.out, System.err)
        .add("agent", "agent --config FILE", AgentMain::run)
        .add("node-config", NodeConfig.USAGE, args -> new NodeConfig(System.out).run(args))
        .add("status", "status [--url URL] [--json] [--watch]",
            args -> new StatusCli(System.out, System.err).status(args))
        .add("release", StatusCli.RELEASE_USAGE, StatusCli.RELEASE_HELP,
            args -> new StatusCli(System.out, System.err).release(args))
        .add("control", "control --port P --data DIR [--tls-dir D] [--listen ADDR]",
            args -> packaged("io.flockerdocker.control.ControlMain", args))
        .add("ca", "ca init --dir D [--control-address HOST]..."
                + " | ca node --dir D --name NAME --address ADDR [--uuid U]"
                + " | ca user --dir D --name NAME",
            args -> packaged("io.flockerdocker.control.ca.CaMain", args));
  }

  /** Runs {@code mainClass.run(String[])} of a packaged module and returns its exit code. */
  private static int packaged(String mainClass, String[] args) throws Exception {
    try {
      return (int) Class.forName(mainClass).getMethod("run", String[].class)
          .invoke(null, (Object) args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
