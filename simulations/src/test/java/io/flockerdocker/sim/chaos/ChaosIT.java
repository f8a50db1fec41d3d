package io.flockerdocker.sim.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A small fault-checker run in-process (agents in their own JVMs, the control service here): two
 * seeds of randomized kills, control restarts, slow and concurrent mounts on 3 nodes must keep
 * every safety invariant. Long runs: bin/flocker-docker chaos --nodes 3 --seeds 50 --steps 200.
 */
class ChaosIT {
  /** Agents run from the packaged agent jar, as in production, when mvn verify has built it. */
  @BeforeAll
  static void useThePackagedAgentJar() throws IOException {
    Path target = Path.of("").toAbsolutePath().getParent().resolve("agent").resolve("target");
    if (System.getProperty("flocker-docker.agent-jar") == null && Files.isDirectory(target)) {
      try (var jars = Files.newDirectoryStream(target, "agent-*-all.jar")) {
        jars.forEach(j -> System.setProperty("flocker-docker.agent-jar", j.toString()));
      }
    }
  }

  @Test
  void twoShortSeedsKeepEveryInvariant() throws Exception {
    ChaosMain.Summary s = ChaosMain.run(3, List.of(1L, 2L), 15, System.err);
    assertThat(s.failures()).as("violations per failing seed").isEmpty();
    assertThat(s.line()).isEqualTo("2 passed, 0 failed");
  }
}
