package io.flockerdocker.sim.chaos;

import io.flockerdocker.sim.scenario.LocalCluster;
import io.flockerdocker.sim.scenario.PluginClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fault injector's handle on a {@link LocalCluster}: one plugin connection per node (as one
 * dockerd has), kill -9 and restart of agents, control-service stop/start on the same port, and
 * the move delay, which survives control restarts.
 */
final class Nodes implements AutoCloseable {
  static final Duration READY = Duration.ofSeconds(120);

  private final LocalCluster cluster;
  private final Map<Integer, PluginClient> clients = new HashMap<>();

  Nodes(LocalCluster cluster) {
    this.cluster = cluster;
  }

  int count() {
    return cluster.agents().size();
  }

  List<Integer> live(Set<Integer> dead) {
    List<Integer> out = new ArrayList<>();
    for (int n = 1; n <= count(); n++) {
      if (!dead.contains(n)) {
        out.add(n);
      }
    }
    return out;
  }

  int pickLive(int draw, Set<Integer> dead) {
    List<Integer> live = live(dead);
    return live.get(draw % live.size());
  }

  PluginClient client(int n) {
    return clients.computeIfAbsent(n,
        k -> new PluginClient(cluster.agent(k).layout().socket()));
  }

  /** kill -9; its plugin connection dies with it. */
  void kill(int n) throws InterruptedException {
    closeClient(n);
    cluster.agent(n).kill();
  }

  /** Starts a killed agent again and waits until it is ready (control service up first). */
  void restart(int n) throws Exception {
    if (!cluster.controlUp()) {
      toggleControl(); // an agent opens its socket only after its first Flocker read
    }
    closeClient(n);
    cluster.restartAgent(n);
    cluster.awaitReady(READY);
  }

  /** Stops the control service if it is up, else starts it again on the same port. */
  String toggleControl() throws Exception {
    if (cluster.controlUp()) {
      cluster.stopControl();
      return "control service stopped";
    }
    cluster.startControl();
    return "control service started";
  }

  void setMoveDelay(Duration delay) {
    cluster.setMoveDelay(delay);
  }

  private void closeClient(int n) {
    PluginClient c = clients.remove(n);
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // replaced by a fresh connection on next use
      }
    }
  }

  @Override
  public void close() {
    for (int n : List.copyOf(clients.keySet())) {
      closeClient(n);
    }
  }
}
