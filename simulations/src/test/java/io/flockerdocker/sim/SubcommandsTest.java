package io.flockerdocker.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Exit codes and streams of the dispatch table, without starting a JVM. */
class SubcommandsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Subcommands commands =
      new Subcommands(print(out), print(err))
          .add("echo", "echo WORDS", args -> args.length)
          .notImplemented("later", "later [--soon]");

  @Test
  void dispatchesTheRestOfTheArguments() throws Exception {
    assertThat(commands.run(new String[] {"echo", "a", "b", "c"})).isEqualTo(3);
  }

  @Test
  void helpListsEveryUsageLineOnStdout() throws Exception {
    for (String help : new String[] {"--help", "-h", "help"}) {
      assertThat(commands.run(new String[] {help})).isZero();
    }
    assertThat(text(out)).contains("  echo WORDS", "  later [--soon]");
    assertThat(text(err)).isEmpty();
  }

  @Test
  void noArgumentsPrintsUsageOnStderrAndExits2() throws Exception {
    assertThat(commands.run(new String[0])).isEqualTo(2);
    assertThat(text(err)).contains("usage: flocker-docker");
    assertThat(text(out)).isEmpty();
  }

  @Test
  void subcommandHelpPrintsItsUsageLineWithoutRunningIt() throws Exception {
    assertThat(commands.run(new String[] {"later", "--help"})).isZero();
    assertThat(text(out)).isEqualTo("usage: flocker-docker later [--soon]\n");
  }

  @Test
  void notImplementedAndUnknownExit2WithOneLineOnStderr() throws Exception {
    assertThat(commands.run(new String[] {"later"})).isEqualTo(2);
    assertThat(commands.run(new String[] {"nope", "x"})).isEqualTo(2);
    assertThat(text(err).split("\n"))
        .containsExactly("flocker-docker later: not implemented yet",
            "flocker-docker: unknown subcommand 'nope' (known: echo, later)");
    assertThat(text(out)).isEmpty();
  }

  private static PrintStream print(ByteArrayOutputStream to) {
    return new PrintStream(to, true, StandardCharsets.UTF_8);
  }

  private static String text(ByteArrayOutputStream stream) {
    return stream.toString(StandardCharsets.UTF_8);
  }
}
