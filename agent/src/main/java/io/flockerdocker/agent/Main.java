package io.flockerdocker.agent;

/**
 * Entry point of the agent jar: {@code agent --config FILE}, {@code node-config}, {@code status},
 * {@code release}.
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
        .add("release", "release VOLUME --from NODE [--url URL] [--force]",
            args -> new StatusCli(System.out, System.err).release(args));
  }
}
