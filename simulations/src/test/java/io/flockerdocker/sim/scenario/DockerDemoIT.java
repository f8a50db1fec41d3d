package io.flockerdocker.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/flocker-docker demo --docker} as a user runs it: 2 lab hosts with private roots,
 * exit 0 with {@code fish} as the last stdout line, and no namespace left behind afterwards.
 */
class DockerDemoIT {
  /** Failsafe runs with the module directory (simulations/) as working directory. */
  private static final Path LAUNCHER = Path.of("").toAbsolutePath().getParent().resolve("bin/flocker-docker");

  @Test
  void demoDockerPrintsFishLastAndCleansUp() throws Exception {
    LabGate.requireLab("DockerDemoIT");
    List<String> netnsBefore = netns();
    Path err = Files.createTempFile("fd-demo", ".err");
    try {
      Process p = new ProcessBuilder(LAUNCHER.toString(), "demo", "--docker")
          .redirectInput(new File("/dev/null")).redirectError(err.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("demo --docker finished").isTrue();
      String stderr = Files.readString(err);
      assertThat(p.exitValue()).as("exit of demo --docker; stderr:\n%s", stderr).isZero();
      List<String> lines = out.lines().toList();
      assertThat(lines).as("stdout; stderr:\n%s", stderr).isNotEmpty();
      assertThat(lines.get(lines.size() - 1)).isEqualTo("fish");
    } finally {
      Files.deleteIfExists(err);
    }
    assertThat(netns()).as("network namespaces after the demo").isEqualTo(netnsBefore);
  }

  private static List<String> netns() throws Exception {
    Process ip = new ProcessBuilder("ip", "netns", "list").start();
    return new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().sorted().toList();
  }
}
