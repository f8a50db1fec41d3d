package io.flockerdocker.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/flocker-docker demo --docker} and {@code demo --swarm} as a user runs them: 2 (3) lab
 * hosts with private roots, exit 0 with {@code fish} as the last stdout line, and no namespace left
 * behind by the demo's lab afterwards.
 */
class DockerDemoIT {
  /** Failsafe runs with the module directory (simulations/) as working directory. */
  private static final Path LAUNCHER = Path.of("").toAbsolutePath().getParent().resolve("bin/flocker-docker");

  @Test
  void demoDockerPrintsFishLastAndCleansUp() throws Exception {
    demoPrintsFishLastAndCleansUp("--docker");
  }

  /** 3 hosts in a swarm: the service's task, moved by a drain, prints what its first task wrote. */
  @Test
  void demoSwarmPrintsFishLastAndCleansUp() throws Exception {
    demoPrintsFishLastAndCleansUp("--swarm");
  }

  private static void demoPrintsFishLastAndCleansUp(String flag) throws Exception {
    LabGate.requireLab("DockerDemoIT");
    Path err = Files.createTempFile("fd-demo", ".err");
    String stderr;
    try {
      Process p = new ProcessBuilder(LAUNCHER.toString(), "demo", flag)
          .redirectInput(new File("/dev/null")).redirectError(err.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("demo %s finished", flag).isTrue();
      stderr = Files.readString(err);
      assertThat(p.exitValue()).as("exit of demo %s; stderr:\n%s", flag, stderr).isZero();
      List<String> lines = out.lines().toList();
      assertThat(lines).as("stdout; stderr:\n%s", stderr).isNotEmpty();
      assertThat(lines.get(lines.size() - 1)).isEqualTo("fish");
    } finally {
      Files.deleteIfExists(err);
    }
    // other labs may come and go on this machine meanwhile: check only the demo's own lab
    Matcher m = Pattern.compile("Docker hosts under (\\S+)").matcher(stderr);
    assertThat(m.find()).as("the demo names its lab dir; stderr:\n%s", stderr).isTrue();
    Path labDir = Path.of(m.group(1));
    String prefix = DockerLab.prefixOf(labDir) + "-";
    assertThat(netns()).as("network namespaces of the demo's lab %s after it", labDir)
        .noneMatch(n -> n.startsWith(prefix));
    assertThat(labDir).as("the demo's lab dir after it").doesNotExist();
  }

  private static List<String> netns() throws Exception {
    Process ip = new ProcessBuilder("ip", "netns", "list").start();
    return new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().sorted().toList();
  }
}
