package io.flockerdocker.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs bin/flocker-docker as a user would, against the jars {@code mvn verify} packaged (hence a
 * failsafe IT: it runs after {@code package}). Exit codes and streams per specs/command-line.md.
 */
class LauncherIT {
  /** Surefire/failsafe run with the module directory (simulations/) as working directory. */
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final Path LAUNCHER = ROOT.resolve("bin/flocker-docker");

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void jarsArePackaged() throws IOException {
    assertThat(LAUNCHER).isExecutable();
    // never let the launcher fall back to building: that would run mvn inside mvn
    for (String glob : List.of("agent-*-all.jar", "simulations-*-all.jar")) {
      String module = glob.substring(0, glob.indexOf('-'));
      try (var jars = Files.newDirectoryStream(ROOT.resolve(module).resolve("target"), glob)) {
        assertThat(jars.iterator().hasNext()).as("%s/target/%s (run mvn verify)", module, glob).isTrue();
      }
    }
  }

  @Test
  void helpListsEverySubcommandAndExits0() throws Exception {
    Run run = run(Map.of(), "--help");
    assertThat(run.exit()).isZero();
    for (String sub : List.of("demo", "cluster", "agent", "control", "status", "release", "chaos", "bench")) {
      assertThat(run.out()).contains("\n  " + sub + " ");
    }
    assertThat(run(Map.of(), "-h").out()).isEqualTo(run.out());
    assertThat(run(Map.of(), "help").out()).isEqualTo(run.out());
  }

  @Test
  void noArgumentsPrintsUsageOnStderrAndExits2() throws Exception {
    Run run = run(Map.of());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("usage: flocker-docker");
  }

  @Test
  void unknownSubcommandExits2WithOneLine() throws Exception {
    Run run = run(Map.of(), "frobnicate", "--now");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString().contains("unknown subcommand 'frobnicate'");
  }

  // bad arguments reach the jar that serves the subcommand and come back as one line, exit 2
  @Test
  void badArgumentsAreAOneLineReasonAndExit2() throws Exception {
    for (List<String> args : List.of(List.of("cluster", "--nodes", "x", "--dir", "/tmp/x"),
        List.of("chaos", "--frobnicate"), List.of("release", "v1"),
        List.of("demo", "--docker", "--swarm"))) {
      Run run = run(Map.of(), args.toArray(String[]::new));
      assertThat(run.exit()).as(args.toString()).isEqualTo(2);
      assertThat(run.out()).as(args.toString()).isEmpty();
      assertThat(run.err().lines()).as(args.toString()).singleElement().asString()
          .startsWith("flocker-docker " + args.get(0) + ":");
    }
  }

  @Test
  void subcommandHelpComesFromTheJarThatServesIt() throws Exception {
    assertThat(run(Map.of(), "demo", "--help")).isEqualTo(new Run(0, "usage: flocker-docker demo [--docker | --swarm]\n", ""));
    assertThat(run(Map.of(), "agent", "--help")).isEqualTo(new Run(0, String.join("\n",
        "usage: flocker-docker agent --config FILE",
        "one node agent; runs until SIGTERM",
        "  -h, --help          this help",
        "      --config=FILE   the HOCON configuration, layered over the defaults",
        ""), ""));
  }

  @Test
  void tooOldJavaIsAOneLineError(@TempDir Path fakeJdk) throws Exception {
    Path java = fakeJdk.resolve("bin/java");
    Files.createDirectories(java.getParent());
    Files.writeString(java, "#!/bin/sh\necho 'java version \"1.8.0_402\"' >&2\n");
    assertThat(java.toFile().setExecutable(true)).isTrue();
    Run run = run(Map.of("JAVA_HOME", fakeJdk.toString()), "demo");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString().contains("Java 17 or newer", "1.8.0_402");
  }

  /** The cluster port's mutual TLS as a user starts it: a TLS local cluster forms and is ready. */
  @Test
  void clusterWithTlsComesUpAndStopsOnSigterm(@TempDir Path dir) throws Exception {
    Path err = Files.createTempFile("launcher-cluster-tls", ".err");
    Process process = new ProcessBuilder(LAUNCHER.toString(), "cluster", "--nodes", "2", "--dir",
        dir.resolve("c").toString(), "--tls").directory(ROOT.toFile())
        .redirectError(err.toFile()).start();
    try {
      process.getOutputStream().close();
      CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
        try {
          return new java.io.BufferedReader(new java.io.InputStreamReader(
              process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      // generous: a CA, two agent JVMs and a cluster handshake on a loaded box
      String line = ready.get(240, TimeUnit.SECONDS);
      assertThat(line).as("ready line; stderr: %s", Files.readString(err))
          .startsWith("{\"control\":\"https://").contains("\"name\":\"node2\"");
      assertThat(dir.resolve("c/node1/agent.conf")).content().contains("cluster.tls = on");
      process.destroy();
      assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(err);
    }
  }

  private static Run run(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("launcher did not exit within 60 s: " + command);
    }
    return new Run(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
  }

  private static String read(java.io.InputStream stream) {
    try {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
