package io.flockerdocker.sim.chaos;

import io.flockerdocker.sim.scenario.LocalCluster;
import io.flockerdocker.sim.scenario.PluginClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The chaos step that aims at the data plane: a Mount on one node of a volume that lives on
 * another, whose transfer is made slow so that a fault lands in the middle of it.
 */
final class DataFault {
  private final LocalCluster cluster;
  private final Nodes nodes;
  private final Calls calls;
  private final World world;
  private final Checker checker;

  DataFault(LocalCluster cluster, Nodes nodes, Calls calls, World world, Checker checker) {
    this.cluster = cluster;
    this.nodes = nodes;
    this.calls = calls;
    this.world = world;
    this.checker = checker;
  }

  /**
   * A Mount whose transfer (slowed to 1.5 s) meets a fault: the network between the hosts is cut
   * (every data connection dropped), the source host or the mounting host itself is killed and
   * comes back a moment later, as systemd restarts it, or the mounting host's disk is full for a
   * while (when the cluster runs on small disks). The target's own death loses its answer, as
   * dockerd would; the other faults must still end in an answer within budget, and no fault may
   * lose an acknowledged write.
   */
  String mountAcross(String v, int n, int c, int d) throws Exception {
    String id = world.freshMountId();
    Integer source = sourceOf(v);
    int fault = d % 4;
    boolean canKill = nodes.live(world.dead).size() >= 3;
    int victim = fault == 1 && source != null && source != n ? source : n;
    boolean kill = (fault == 1 || fault == 2) && canKill;
    boolean diskFull = fault == 3 && cluster.smallDisks();
    cluster.setMoveDelay(Duration.ofMillis(1500));
    PluginClient own = new PluginClient(cluster.agent(n).layout().socket());
    boolean targetDies = kill && victim == n;
    CompletableFuture<PluginClient.Reply> reply = CompletableFuture.supplyAsync(() -> {
      try {
        return calls.call(checker.name(n) + " Mount " + v + " " + id, own, Calls.MOUNT_BUDGET,
            p -> p.mount(v, id), targetDies ? lost -> { } : checker::violation);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    });
    Thread.sleep(300 + c % 1500);
    String what;
    if (kill) {
      nodes.kill(victim);
      world.dead.add(victim);
      Thread.sleep(1000 + d % 2000);
      nodes.restart(victim);
      world.dead.remove(victim);
      what = "kill -9 and restart of " + checker.name(victim)
          + (victim == n ? " (the target)" : " (the source)");
    } else if (diskFull) {
      long filled = cluster.fillDisk(n);
      Thread.sleep(1500 + d % 2000);
      cluster.freeDisk(n);
      what = "disk full on " + checker.name(n) + " (" + (filled >> 20) + " MiB filler)";
    } else {
      int cut = 0;
      for (int k = 1; k <= nodes.count(); k++) {
        cut += cluster.cutTransfersFrom(k);
      }
      what = "network cut (" + cut + " transfers dropped)";
    }
    cluster.setMoveDelay(Duration.ZERO);
    PluginClient.Reply r = reply.get(Calls.MOUNT_BUDGET.toSeconds() + 30, TimeUnit.SECONDS);
    own.close();
    checker.afterMount(n, v, id, targetDies ? null : r);
    return checker.name(n) + " Mount " + v + " " + id + " across " + what + " -> "
        + ChaosRun.show(r);
  }

  /** The node whose disk the volume's dataset is manifest on now, or null if none or unknown. */
  private Integer sourceOf(String v) {
    try {
      ControlView view = ControlView.read(cluster.controlUrl());
      return view.datasetId(v).flatMap(view::stateOf).map(s -> s.primary())
          .flatMap(uuid -> cluster.agents().stream()
              .filter(a -> a.layout().uuid().equals(uuid))
              .map(a -> a.layout().index()).findFirst())
          .orElse(null);
    } catch (java.io.IOException e) {
      return null; // the control service is down: any node will do
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
