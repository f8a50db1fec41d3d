package io.flockerdocker.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The command line of the simulations jar, without starting anything: help is exit 0 on stdout,
 * a bad command line is exit 2 with exactly one line on stderr naming the subcommand and the
 * reason, checked before any cluster or directory is made.
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
      for (String sub : new String[] {"cluster", "demo", "chaos", "bench"}) {
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
        .contains("\n  cluster ", "\n  bench ");
  }

  @Test
  void anUnknownSubcommandIsOneLine() {
    assertThat(run("frobnicate", "--now")).isEqualTo(new Run(2, "",
        "flocker-docker: unknown subcommand 'frobnicate' (see --help)\n"));
  }

  @Test
  void everySubcommandHasHelpOnStdoutWithItsContractRow() {
    String[][] rows = {
      {"cluster", "usage: flocker-docker cluster --nodes N --dir DIR [--move-delay-ms M]"
          + " [--socket-template T] [--tls]"},
      {"demo", "usage: flocker-docker demo [--docker | --swarm]"},
      {"chaos", "usage: flocker-docker chaos --nodes N --seeds S --steps K [--seed X]"},
      {"bench", "usage: flocker-docker bench latency|move|scale|contention|control [--json]"}};
    assertThat(Arrays.stream(rows).map(row -> row[0]))
        .containsExactlyElementsOf(Main.commandLine(System.out, System.err).getSubcommands().keySet());
    for (String[] row : rows) {
      for (String help : new String[] {"--help", "-h"}) {
        Run r = run(row[0], help);
        assertThat(r.exit()).as(row[0]).isZero();
        assertThat(r.err()).as(row[0]).isEmpty();
        // the synopsis may wrap: compare words
        assertThat(r.out().replaceAll("\\s+", " ")).as(row[0]).startsWith(row[1] + " ");
      }
    }
    // anywhere after the subcommand, as before
    assertThat(run("bench", "scale", "--volumes", "5", "--help").exit()).isZero();
    assertThat(run("demo", "--help")).isEqualTo(
        new Run(0, "usage: flocker-docker demo [--docker | --swarm]\n", ""));
    assertThat(run("cluster", "--help").out()).contains("--move-delay-ms=M", "default 0");
    assertThat(run("chaos", "--help").out()).contains("--parallel=P", "default 50");
    assertThat(run("bench", "--help").out())
        .contains("--volumes=N", "1 to 100000, default 10000", "--keep");
  }

  @Test
  void badCommandLinesAreExit2AndOneLineNamingTheSubcommand() {
    String[][] cases = {
      {"flocker-docker cluster: Invalid value for option '--nodes': 'x' is not an int",
        "cluster", "--nodes", "x", "--dir", "/tmp/x"},
      {"flocker-docker cluster: Missing required option: '--nodes=N'",
        "cluster", "--dir", "/tmp/x"},
      {"flocker-docker cluster: Missing required parameter for option '--dir' (DIR)",
        "cluster", "--nodes", "2", "--dir"},
      {"flocker-docker cluster: --nodes must be between 1 and 64, got 65",
        "cluster", "--nodes", "65", "--dir", "/tmp/x"},
      {"flocker-docker cluster: --nodes must be between 1 and 64, got 0",
        "cluster", "--nodes", "0", "--dir", "/tmp/x"},
      {"flocker-docker cluster: --move-delay-ms must be between 0 and 600000, got -1",
        "cluster", "--nodes", "2", "--dir", "/tmp/x", "--move-delay-ms", "-1"},
      {"flocker-docker cluster: --dir must not be empty", "cluster", "--nodes", "2", "--dir", ""},
      {"flocker-docker cluster: --socket-template must contain {n} when --nodes > 1",
        "cluster", "--nodes", "2", "--dir", "/tmp/x", "--socket-template", "/tmp/s.sock"},
      {"flocker-docker cluster: Unknown option: '--frob'",
        "cluster", "--nodes", "2", "--dir", "/tmp/x", "--frob"},
      {"flocker-docker demo: --docker and --swarm are two different demos: give one",
        "demo", "--docker", "--swarm"},
      {"flocker-docker demo: Unknown option: '--dockr'", "demo", "--dockr"},
      {"flocker-docker demo: Unmatched argument at index 1: 'extra'", "demo", "extra"},
      {"flocker-docker chaos: Unknown option: '--frobnicate'", "chaos", "--frobnicate"},
      {"flocker-docker chaos: Missing required parameter for option '--steps' (K)",
        "chaos", "--steps"},
      {"flocker-docker chaos: --nodes must be between 3 and 9, got 2", "chaos", "--nodes", "2"},
      {"flocker-docker chaos: --seeds must be between 1 and 100000, got 100001",
        "chaos", "--seeds", "100001"},
      {"flocker-docker chaos: --steps must be between 1 and 100000, got 0", "chaos", "--steps",
        "0"},
      {"flocker-docker chaos: --parallel must be between 1 and 8, got 9", "chaos", "--parallel",
        "9"},
      {"flocker-docker chaos: Invalid value for option '--seed': 'x' is not a long",
        "chaos", "--seed", "x"},
      {"flocker-docker bench: Missing required parameter: 'SUITE'", "bench", "--json"},
      {"flocker-docker bench: unknown suite 'fast': latency, move, scale, contention or control",
        "bench", "fast"},
      {"flocker-docker bench: Unmatched argument at index 2: 'move'", "bench", "scale", "move"},
      {"flocker-docker bench: Unknown options: '--nodez', '3'", "bench", "scale", "--nodez", "3"},
      {"flocker-docker bench: Invalid value for option '--volumes': 'ten' is not an int",
        "bench", "scale", "--volumes", "ten"},
      {"flocker-docker bench: Missing required parameter for option '--volumes' (N)",
        "bench", "scale", "--volumes"},
      {"flocker-docker bench: --volumes must be between 1 and 100000, got 0",
        "bench", "scale", "--volumes", "0"},
      {"flocker-docker bench: --volumes must be between 1 and 100000, got 100001",
        "bench", "control", "--volumes", "100001"},
      {"flocker-docker bench: --requests must be between 100 and 10000000, got 99",
        "bench", "latency", "--requests", "99"},
      {"flocker-docker bench: --seconds must be between 1 and 3600, got 3601",
        "bench", "contention", "--seconds", "3601"},
      {"flocker-docker bench: --move-mib must be between 1 and 65536, got 0",
        "bench", "move", "--move-mib", "0"}};
    for (String[] c : cases) {
      String[] args = Arrays.copyOfRange(c, 1, c.length);
      assertThat(run(args)).as(String.join(" ", args)).isEqualTo(new Run(2, "", c[0] + "\n"));
    }
  }
}
