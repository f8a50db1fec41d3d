package io.flockerdocker.sim.chaos;

import io.flockerdocker.sim.scenario.LocalCluster;
import io.flockerdocker.sim.scenario.PluginClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The end of a seed. "Quiet" means: control service up, moves fast, every killed agent restarted
 * (a dead holder keeps its mounts and lease by design, so it must come back to give them up),
 * every acknowledged mount (and every mount whose answer was lost) unmounted. Then every volume's
 * acknowledged writes must survive one more Mount, and no lease may remain.
 */
final class Quiet {
  private static final Duration SETTLE = Duration.ofSeconds(20);
  private static final Duration HEAL = Duration.ofSeconds(60);
  private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

  private final LocalCluster cluster;
  private final Nodes nodes;
  private final Calls calls;
  private final World world;
  private final Checker checker;

  Quiet(LocalCluster cluster, Nodes nodes, Calls calls, World world, Checker checker) {
    this.cluster = cluster;
    this.nodes = nodes;
    this.calls = calls;
    this.world = world;
    this.checker = checker;
  }

  void run() throws Exception {
    if (!cluster.controlUp()) {
      nodes.toggleControl();
    }
    nodes.setMoveDelay(Duration.ZERO);
    for (int n : List.copyOf(world.dead)) {
      nodes.restart(n);
      world.dead.remove(n);
    }
    awaitHealedViews();
    for (World.MountRef m : world.activeMounts()) {
      PluginClient.Reply r = unmount(m);
      if (r != null && !r.ok()) {
        checker.violation(checker.name(m.node()) + " Unmount " + m.volume() + " " + m.id()
            + " of an acknowledged mount failed once quiet: " + r.err());
      }
      world.unmounted(m.volume(), m.node(), m.id());
    }
    for (World.MountRef m : world.unknown) {
      unmount(m); // may or may not have been mounted: an unknown id is ignored by the agent
    }
    for (int i = 0; i < world.volumes.size(); i++) {
      String v = world.volumes.get(i);
      if (!world.tokens(v).isEmpty()) {
        readEverything(v, 1 + i % nodes.count());
      }
    }
    awaitNoLeases();
    for (String v : world.volumes) {
      calls.call("Remove " + v, nodes.client(1), Calls.OTHER_BUDGET, p -> p.remove(v),
          checker::violation);
    }
  }

  /** One more Mount anywhere must see every acknowledged write; then it is unmounted again. */
  private void readEverything(String v, int n) throws Exception {
    String id = world.freshMountId();
    PluginClient.Reply r = calls.call(checker.name(n) + " Mount " + v, nodes.client(n),
        Calls.MOUNT_BUDGET, p -> p.mount(v, id), checker::violation);
    if (r != null && !r.ok()) {
      checker.violation(checker.name(n) + " Mount " + v + " holding acknowledged writes failed "
          + "once quiet: " + r.err());
    }
    checker.afterMount(n, v, id, r);
    if (r != null && r.ok()) {
      PluginClient.Reply u = unmount(new World.MountRef(n, v, id));
      if (u != null && !u.ok()) {
        checker.violation(checker.name(n) + " Unmount " + v + " failed once quiet: " + u.err());
      }
      world.unmounted(v, n, id);
    }
  }

  /** Every node must see every node Up and reachable again: a stale view refuses changes. */
  private void awaitHealedViews() throws InterruptedException {
    Instant until = Instant.now().plus(HEAL);
    List<String> stale = List.of();
    while (Instant.now().isBefore(until)) {
      stale = new java.util.ArrayList<>();
      for (int n = 1; n <= nodes.count(); n++) {
        stale.addAll(staleView(n));
      }
      if (stale.isEmpty()) {
        return;
      }
      Thread.sleep(500);
    }
    checker.violation("cluster views not healed " + HEAL.toSeconds() + "s after every agent "
        + "was up and ready: " + stale);
  }

  private List<String> staleView(int n) throws InterruptedException {
    String url = cluster.agent(n).layout().statusUrl() + "/v1/status";
    try {
      var r = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
          .timeout(Duration.ofSeconds(5)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      var members = io.flockerdocker.protocol.Json.mapper().readTree(r.body()).path("members");
      List<String> out = new java.util.ArrayList<>();
      for (int k = 1; k <= nodes.count(); k++) {
        String name = checker.name(k);
        boolean ok = false;
        for (var m : members) {
          ok |= name.equals(m.path("name").asText()) && "Up".equals(m.path("status").asText())
              && m.path("reachable").asBoolean(true);
        }
        if (!ok) {
          out.add(checker.name(n) + " sees " + name + " not Up and reachable");
        }
      }
      return out;
    } catch (IOException e) {
      return List.of(checker.name(n) + " status unreadable: " + e);
    }
  }

  private void awaitNoLeases() throws InterruptedException {
    Instant until = Instant.now().plus(SETTLE);
    List<String> left = List.of();
    while (Instant.now().isBefore(until)) {
      try {
        left = checker.leftoverLeases(ControlView.read(cluster.controlUrl()), world.volumes);
      } catch (IOException e) {
        left = List.of("control service unreadable: " + e);
      }
      if (left.isEmpty()) {
        return;
      }
      Thread.sleep(250);
    }
    checker.violation("leases held without a mount once quiet: " + left);
  }

  private PluginClient.Reply unmount(World.MountRef m) throws InterruptedException {
    return calls.call(checker.name(m.node()) + " Unmount " + m.volume(), nodes.client(m.node()),
        Calls.OTHER_BUDGET, p -> p.unmount(m.volume(), m.id()), checker::violation);
  }
}
