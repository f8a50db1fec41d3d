package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control CLI: help, one-line argument errors, and a corrupt configuration's clean exit. */
class ControlMainTest {
  @TempDir Path data;

  private static int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
    return ControlMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpIsZeroAndBadArgumentsAreTwoWithOneLine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(run(out, err, "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: control");
    for (String[] bad : new String[][] {
        {}, {"--data"}, {"--port", "0"}, {"--data", "x"}, {"--data", "x", "--port", "70000"},
        {"--data", "x", "--port", "p"}, {"--data", "x", "--port", "0", "--frob"},
        {"--data", "x", "--port", "0", "--listen"}}) {
      err.reset();
      assertThat(run(out, err, bad)).as(String.join(" ", bad)).isEqualTo(2);
      assertThat(err.toString(StandardCharsets.UTF_8).strip()).doesNotContain("\n")
          .startsWith("control: ");
    }
  }

  @Test
  void eachKindOfBadCommandLineNamesItsReason() {
    String[][] cases = {
      {"control: Unknown option: '--frob'", "--port", "0", "--data", "x", "--frob"},
      {"control: Missing required options: '--port=P', '--data=DIR'"},
      {"control: Missing required option: '--data=DIR'", "--port", "0"},
      {"control: Missing required parameter for option '--listen' (ADDR)",
        "--port", "0", "--data", "x", "--listen"},
      {"control: Invalid value for option '--port': 'p' is not an int",
        "--port", "p", "--data", "x"},
      {"control: --port must be between 0 and 65535, got 70000",
        "--port", "70000", "--data", "x"},
      {"control: Unmatched argument at index 4: 'extra'", "--port", "0", "--data", "x",
        "extra"}};
    for (String[] c : cases) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
      assertThat(run(out, err, args)).as(String.join(" ", args)).isEqualTo(2);
      assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(c[0] + "\n");
      assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
  }

  @Test
  void aNonLoopbackListenWithoutTlsIsRefusedWithTheReason() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(run(out, err, "--port", "0", "--data", data.toString(), "--listen", "0.0.0.0"))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).strip()).doesNotContain("\n")
        .contains("0.0.0.0").contains("--tls-dir");
  }

  /** In a child JVM: nothing else (no logger, no stack trace) may reach stderr. */
  @Test
  void aCorruptConfigurationExitsTwoWithOneStderrLineNamingTheFile() throws Exception {
    Path file = data.resolve("configuration.json");
    Files.writeString(file, "{\"datasets\": [");
    Path err = data.resolve("stderr");
    Process p = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ControlMainProcess.class.getName(),
        "--port", "0", "--data", data.toString()))
        .redirectError(err.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    List<String> lines = Files.readAllLines(err);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("control: " + file + " is corrupt (")
        .contains("restore it from a backup or move it aside");
    assertThat(Files.readString(file)).isEqualTo("{\"datasets\": [");
  }
}
