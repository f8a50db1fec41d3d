package io.flockerdocker.agent.cluster;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The current node directory, readable from anywhere without asking an actor: entities name
 * nodes in errors, the plugin and status routes show them. Only {@link NodeDirectory} writes it,
 * by replacing the whole immutable map.
 */
public final class Nodes {
  private final AtomicReference<Map<String, NodeInfo>> byUuid = new AtomicReference<>(Map.of());
  private volatile boolean majority = true;

  void publish(Map<String, NodeInfo> nodes, boolean inMajority) {
    byUuid.set(Map.copyOf(nodes));
    majority = inMajority;
  }

  public Optional<NodeInfo> get(String uuid) {
    return uuid == null ? Optional.empty() : Optional.ofNullable(byUuid.get().get(uuid));
  }

  /** The node's name, or its UUID when no agent with that UUID has ever been seen. */
  public String nameOf(String uuid) {
    if (uuid == null) {
      return null;
    }
    return get(uuid).map(NodeInfo::name).orElse(uuid);
  }

  public List<NodeInfo> all() {
    return byUuid.get().values().stream().sorted(Comparator.comparing(NodeInfo::name)).toList();
  }

  /**
   * False while this node cannot reach a majority of the members it knows: the minority side of
   * a partition refuses changes rather than guessing, until the split-brain resolver decides.
   */
  public boolean inMajority() {
    return majority;
  }
}
