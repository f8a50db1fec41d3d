package io.flockerdocker.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scale model's seed list: node1, the agent the bench restarts, is never the first seed. */
class ScaleClusterTest {
  private static List<AgentLayout> layouts(int n) {
    List<AgentLayout> l = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      l.add(new AgentLayout(i, "node" + i, "u" + i, Path.of("n" + i), Path.of("s"), Path.of("m"),
          1, 1000 + i, 1, 1, null));
    }
    return l;
  }

  private static List<String> names(List<AgentLayout> l) {
    return l.stream().map(AgentLayout::name).toList();
  }

  @Test
  void atMostThreeSeedsWithNode1Last() {
    assertThat(names(ScaleCluster.seeds(layouts(1)))).containsExactly("node1");
    assertThat(names(ScaleCluster.seeds(layouts(2)))).containsExactly("node2", "node1");
    assertThat(names(ScaleCluster.seeds(layouts(3)))).containsExactly("node2", "node3", "node1");
    assertThat(names(ScaleCluster.seeds(layouts(100))))
        .containsExactly("node2", "node3", "node1");
  }
}
