package io.flockerdocker.agent.cluster;

import io.flockerdocker.agent.volume.NodeRef;
import java.util.HashMap;
import java.util.Map;

/**
 * Publishes a node directory without a cluster, for unit tests of code that reads {@link Nodes}:
 * every given node is an Up, reachable member with its MountTable.
 */
public final class TestNodes {
  private TestNodes() {}

  public static Nodes of(NodeRef... refs) {
    return publish(new Nodes(), refs);
  }

  /** Publishes every ref as an Up, reachable member (a null mountTable: not announced yet). */
  public static Nodes publish(Nodes nodes, NodeRef... refs) {
    Map<String, NodeInfo> byUuid = new HashMap<>();
    for (NodeRef r : refs) {
      byUuid.put(r.uuid(), new NodeInfo(r.uuid(), r.name(), "pekko://test/" + r.name(), "Up", true,
          null, r.mountTable()));
    }
    nodes.publish(byUuid, true);
    return nodes;
  }
}
