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
 * every safety invariant, with the control service's extensions on and off. Long runs: bin/flocker-docker chaos --nodes 3 --seeds 50 --steps 200.
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
    ChaosMain.Summary s = ChaosMain.run(3, List.of(1L, 2L), 15, false, System.err);
    assertThat(s.failures()).as("violations per failing seed").isEmpty();
    assertThat(s.line()).isEqualTo("2 passed, 0 failed");
  }

  /**
   * The same invariants against a plain Flocker v1 control service (no ETags, watch or
   * create-if-name-unused): the agents' fallbacks (polling, read-then-POST creates) carry the run.
   */
  @Test
  void aSeedAgainstAPlainControlServiceKeepsEveryInvariant() throws Exception {
    ChaosMain.Summary s = ChaosMain.run(3, List.of(3L), 15, true, System.err);
    assertThat(s.failures()).as("violations per failing seed").isEmpty();
    assertThat(s.line()).isEqualTo("1 passed, 0 failed");
  }
}
