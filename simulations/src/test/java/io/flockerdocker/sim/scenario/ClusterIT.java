package io.flockerdocker.sim.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * One {@link LocalCluster} shared by the tests of a multi-node test class (the agents are
 * separate JVMs, and starting them is the slow part). It starts before the first test. Before
 * each test the control service is started again if a test stopped it, and every agent a test
 * killed is restarted and awaited. After the last test everything is stopped, agents a test left
 * SIGSTOPped included (they would not stop otherwise).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterIT {
  private final int nodes;
  private final String agentConfig;
  private Path dir;
  /** The running cluster; node n's agent is {@code cluster.agent(n)}. */
  protected LocalCluster cluster;

  /** {@code agentConfig}: HOCON added to every agent's configuration, or "". */
  ClusterIT(int nodes, String agentConfig) {
    this.nodes = nodes;
    this.agentConfig = agentConfig;
  }

  @BeforeAll
  void startCluster() throws Exception {
    dir = Files.createTempDirectory("fd-" + getClass().getSimpleName() + "-");
    cluster = LocalCluster.start(LocalCluster.Options.of(nodes, dir)
        .withExtraAgentConfig(agentConfig), Duration.ofSeconds(90));
  }

  @BeforeEach
  void everythingUp() throws Exception {
    cluster.startControl();
    Faults.allUp(cluster);
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      for (AgentProcess a : cluster.agents()) {
        if (a.alive()) {
          Faults.signal(a, "CONT");
        }
      }
      cluster.close();
    }
    if (dir != null) {
      LocalCluster.deleteTree(dir);
    }
  }
}
