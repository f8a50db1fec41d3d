package io.flockerdocker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The command line of the shipped jar, without starting anything: help is exit 0 on stdout, a bad
 * command line is exit 2 with exactly one line on stderr naming the subcommand and the reason.
 */
class MainTest {
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpListsEverySubcommandOnStdout() {
    for (String help : new String[] {"--help", "-h"}) {
      Run r = run(help);
      assertThat(r.exit()).isZero();
      assertThat(r.err()).isEmpty();
      assertThat(r.out()).startsWith("usage: flocker-docker <subcommand> [args...]");
      for (String sub : new String[] {"agent", "node-config", "status", "release", "control",
          "ca"}) {
        assertThat(r.out()).contains("\n  " + sub + " ");
      }
    }
  }

  @Test
  void noArgumentsPrintsUsageOnStderrAndExits2() {
    Run r = run();
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("usage: flocker-docker <subcommand>")
        .contains("\n  agent ", "\n  release ", "\n  ca ");
  }

  @Test
  void anUnknownSubcommandIsOneLine() {
    assertThat(run("frobnicate", "--now")).isEqualTo(new Run(2, "",
        "flocker-docker: unknown subcommand 'frobnicate' (see --help)\n"));
  }

  @Test
  void everySubcommandHasHelpOnStdoutWithItsContractRow() {
    String[][] rows = {
      {"agent", "usage: flocker-docker agent --config FILE\n"},
      {"node-config", "usage: flocker-docker " + NodeConfig.USAGE + "\n"},
      {"status", "usage: flocker-docker status [--url URL] [--json] [--watch]\n"},
      {"release", "usage: flocker-docker release VOLUME --from NODE [--socket PATH] [--force ["
          + StatusCli.CONFIRM_FLAG + "]] [--url URL]"},
      {"control", "usage: control --port P --data DIR [--tls-dir D] [--listen ADDR]\n"},
      {"ca", "usage: ca init --dir D [--control-address HOST]... ca node --dir D --name NAME"
          + " --address ADDR [--uuid U] (prints the node UUID) ca user --dir D --name NAME"}};
    assertThat(Arrays.stream(rows).map(row -> row[0]))
        .containsExactlyElementsOf(Main.commandLine(System.out, System.err).getSubcommands().keySet());
    for (String[] row : rows) {
      for (String help : new String[] {"--help", "-h"}) {
        Run r = run(row[0], help);
        assertThat(r.exit()).as(row[0]).isZero();
        assertThat(r.err()).as(row[0]).isEmpty();
        // the synopsis may wrap: compare words
        assertThat(r.out().replaceAll("\\s+", " ")).as(row[0]).startsWith(row[1].strip() + " ");
      }
    }
    assertThat(run("agent", "--help").out())
        .contains("--config FILE", "the HOCON configuration");
    assertThat(run("release", "--help").out()).contains("--force", StatusCli.CONFIRM_FLAG,
        "Stop them first.", "default /run/flocker-docker/admin.sock");
    assertThat(run("ca", "node", "--help").out()).startsWith("usage: ca node ")
        .contains("--address=ADDR");
  }

  @Test
  void badCommandLinesAreExit2AndOneLineNamingTheSubcommand() {
    String[][] cases = {
      {"flocker-docker agent: Unknown option: '--frob'", "agent", "--config", "a.conf", "--frob"},
      {"flocker-docker agent: Missing required option: '--config=FILE'", "agent"},
      {"flocker-docker agent: Missing required parameter for option '--config' (FILE)",
        "agent", "--config"},
      {"flocker-docker agent: Unmatched argument at index 3: 'extra'",
        "agent", "--config", "a.conf", "extra"},
      {"flocker-docker agent: cannot read config file /nonexistent/a.conf",
        "agent", "--config", "/nonexistent/a.conf"},
      {"flocker-docker node-config: Invalid value for option '--status-port': 'x' is not an int",
        "node-config", "--name", "h", "--address", "a", "--seeds", "a", "--control", "c",
        "--tls-dir", "t", "--data-root", "/d", "--status-port", "x"},
      {"flocker-docker node-config: --status-port must be between 1 and 65535, got 0",
        "node-config", "--name", "h", "--address", "a", "--seeds", "a", "--control", "c",
        "--tls-dir", "t", "--data-root", "/d", "--status-port", "0", "--uuid",
        "0b4a4b8e-7a2f-4d0c-9b0e-3f3c8f1e2a11"},
      {"flocker-docker status: Unknown option: '--jsn'", "status", "--jsn"},
      {"flocker-docker status: Unmatched argument at index 1: 'node1'", "status", "node1"},
      {"flocker-docker status: --url must be http://HOST:PORT, got ftp://x", "status", "--url",
        "ftp://x"},
      {"flocker-docker release: Missing required parameter: 'VOLUME'", "release", "--from",
        "n1"},
      {"flocker-docker release: Missing required option: '--from=NODE'", "release", "v1"},
      {"flocker-docker release: Unmatched argument at index 2: 'v2'", "release", "v1", "v2",
        "--from", "n1"},
      {"flocker-docker release: " + StatusCli.CONFIRM_FLAG + " only goes with --force",
        "release", "v1", "--from", "n1", StatusCli.CONFIRM_FLAG}};
    for (String[] c : cases) {
      String[] args = Arrays.copyOfRange(c, 1, c.length);
      assertThat(run(args)).as(String.join(" ", args)).isEqualTo(new Run(2, "", c[0] + "\n"));
    }
  }

  /** control and ca parse their own arguments in the control module; Main passes all along. */
  @Test
  void controlAndCaGetEveryWordAndAnswerOnTheGivenStreams() {
    assertThat(run("control", "--port", "p", "--data", "x")).isEqualTo(new Run(2, "",
        "control: Invalid value for option '--port': 'p' is not an int\n"));
    assertThat(run("ca", "user", "--dir", "/nonexistent", "--name", "u", "--frob")).isEqualTo(
        new Run(2, "", "ca: Unknown option: '--frob'\n"));
    assertThat(run("ca")).isEqualTo(new Run(2, "",
        "ca: a command is required: init, node or user (see --help)\n"));
  }
}
