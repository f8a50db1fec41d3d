package io.flockerdocker.sim.chaos;

import io.flockerdocker.sim.scenario.LocalCluster;
import io.flockerdocker.sim.scenario.PluginClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One seed: {@code steps} randomized steps drawn from {@code new Random(seed)} against a running
 * {@link LocalCluster}, the invariants checked after each, then the quiet check ({@link Quiet}).
 * Every step consumes the same five draws whatever happened before, so a seed always replays the
 * same schedule; only the cluster's timing can differ between runs.
 */
final class ChaosRun {
  static final int VOLUMES = 3;

  private final LocalCluster cluster;
  private final long seed;
  private final int steps;
  private final Random random;
  private final World world;
  private final Checker checker;
  private final Calls calls;
  private final Nodes nodes;

  ChaosRun(LocalCluster cluster, Nodes nodes, Calls calls, long seed, int steps) {
    this.cluster = cluster;
    this.nodes = nodes;
    this.calls = calls;
    this.seed = seed;
    this.steps = steps;
    this.random = new Random(seed);
    this.world = new World(seed, VOLUMES);
    this.checker = new Checker(cluster, world);
  }

  /** Runs the schedule and the quiet check; returns the violations (empty = passed). */
  List<String> run() throws Exception {
    for (int i = 1; i <= steps; i++) {
      int kind = random.nextInt(100);
      int a = random.nextInt(1 << 20);
      int b = random.nextInt(1 << 20);
      int c = random.nextInt(1 << 20);
      int d = random.nextInt(1 << 20);
      String v = world.volumes.get(a % VOLUMES);
      int n = nodes.pickLive(b, world.dead);
      long started = System.nanoTime();
      String what = describeAndRun(i, kind, v, n, c, d);
      checker.afterStep();
      say("seed " + seed + " step " + i + "/" + steps + ": " + what + " ["
          + (System.nanoTime() - started) / 1_000_000 + " ms]");
    }
    checker.atStep("seed " + seed + " quiet check");
    new Quiet(cluster, nodes, calls, world, checker).run();
    return checker.violations();
  }

  private String describeAndRun(int i, int kind, String v, int n, int c, int d)
      throws Exception {
    String prefix = "seed " + seed + " step " + i + " ";
    if (kind < 14) {
      checker.atStep(prefix + name(n) + " Create " + v);
      return name(n) + " Create " + v + " -> " + show(call(n, "Create", v,
          p -> p.create(v, Map.of())));
    } else if (kind < 40) {
      String id = world.freshMountId();
      checker.atStep(prefix + name(n) + " Mount " + v + " " + id);
      PluginClient.Reply r = call(n, "Mount", v, p -> p.mount(v, id));
      checker.afterMount(n, v, id, r);
      return name(n) + " Mount " + v + " " + id + " -> " + show(r);
    } else if (kind < 58) {
      List<World.MountRef> held = world.activeMounts().stream()
          .filter(m -> !world.dead.contains(m.node())).toList();
      if (held.isEmpty()) {
        return "Unmount: nothing mounted on a live node";
      }
      World.MountRef m = held.get(c % held.size());
      checker.atStep(prefix + name(m.node()) + " Unmount " + m.volume() + " " + m.id());
      PluginClient.Reply r = call(m.node(), "Unmount", m.volume(),
          p -> p.unmount(m.volume(), m.id()));
      if (r != null && r.ok()) {
        world.unmounted(m.volume(), m.node(), m.id());
      } else if (r != null && cluster.controlUp()) {
        checker.violation(name(m.node()) + " Unmount of an acknowledged mount failed: " + r.err());
      }
      return name(m.node()) + " Unmount " + m.volume() + " " + m.id() + " -> " + show(r);
    } else if (kind < 63) {
      checker.atStep(prefix + name(n) + " Remove " + v);
      PluginClient.Reply r = call(n, "Remove", v, p -> p.remove(v));
      if (r != null && r.ok()) {
        if (!world.holders(v).isEmpty()) {
          checker.violation("Remove of " + v + " succeeded while mounted on "
              + world.holders(v));
        }
        world.removed(v);
      }
      return name(n) + " Remove " + v + " -> " + show(r);
    } else if (kind < 71) {
      checker.atStep(prefix + "concurrent Mount " + v);
      return concurrentMounts(v, c);
    } else if (kind < 77) {
      checker.atStep(prefix + "agent kill/restart");
      return killOrRestart(c);
    } else if (kind < 82) {
      checker.atStep(prefix + "control stop/start");
      return nodes.toggleControl();
    } else if (kind < 86) {
      checker.atStep(prefix + name(n) + " Mount " + v + " across a control restart");
      return mountAcrossControlRestart(v, n, c, d);
    } else if (kind < 89) {
      long[] delays = {0, 0, 300, 1500, 4000};
      Duration delay = Duration.ofMillis(delays[c % delays.length]);
      nodes.setMoveDelay(delay);
      return "move delay " + delay.toMillis() + " ms";
    } else if (kind < 95) {
      checker.atStep(prefix + name(n) + " Mount " + v + " across a data-plane fault");
      return new DataFault(cluster, nodes, calls, world, checker).mountAcross(v, n, c, d);
    }
    checker.atStep(prefix + name(n) + " Get " + v + " and List");
    PluginClient.Reply g = call(n, "Get", v, p -> p.get(v));
    PluginClient.Reply l = call(n, "List", v, PluginClient::list);
    return name(n) + " Get " + v + " -> " + show(g) + ", List -> " + show(l);
  }

  private String concurrentMounts(String v, int c) throws Exception {
    List<Integer> live = nodes.live(world.dead);
    int count = Math.min(live.size(), 2 + c % 2);
    List<Integer> chosen = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      chosen.add(live.get((c / 2 + k) % live.size()));
    }
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<PluginClient.Reply>> replies = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    List<PluginClient> clients = new ArrayList<>();
    for (int node : chosen) {
      String id = world.freshMountId();
      ids.add(id);
      PluginClient own = new PluginClient(cluster.agent(node).layout().socket());
      clients.add(own);
      replies.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
          return calls.call(name(node) + " Mount " + v + " " + id, own, Calls.MOUNT_BUDGET,
              p -> p.mount(v, id), checker::violation);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
      }));
    }
    go.countDown();
    StringBuilder out = new StringBuilder("concurrent Mount " + v + ":");
    for (int k = 0; k < chosen.size(); k++) {
      PluginClient.Reply r = replies.get(k).get(Calls.MOUNT_BUDGET.toSeconds() + 30,
          TimeUnit.SECONDS);
      checker.afterMount(chosen.get(k), v, ids.get(k), r);
      out.append(' ').append(name(chosen.get(k))).append(' ').append(show(r)).append(';');
      clients.get(k).close();
    }
    return out.toString();
  }

  private String killOrRestart(int c) throws Exception {
    if (!world.dead.isEmpty()) {
      int n = world.dead.iterator().next();
      nodes.restart(n);
      world.dead.remove(n);
      return "restarted " + name(n);
    }
    List<Integer> live = nodes.live(world.dead);
    if (live.size() < 3) {
      return "kill skipped: a majority must stay up";
    }
    int n = live.get(c % live.size());
    nodes.kill(n);
    world.dead.add(n);
    return "kill -9 " + name(n);
  }

  private String mountAcrossControlRestart(String v, int n, int c, int d) throws Exception {
    String id = world.freshMountId();
    if (!cluster.controlUp()) {
      nodes.toggleControl();
    }
    PluginClient own = new PluginClient(cluster.agent(n).layout().socket());
    CompletableFuture<PluginClient.Reply> reply = CompletableFuture.supplyAsync(() -> {
      try {
        return calls.call(name(n) + " Mount " + v + " " + id, own, Calls.MOUNT_BUDGET,
            p -> p.mount(v, id), checker::violation);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    });
    Thread.sleep(c % 1500);
    nodes.toggleControl();
    Thread.sleep(d % 2000);
    nodes.toggleControl();
    PluginClient.Reply r = reply.get(Calls.MOUNT_BUDGET.toSeconds() + 30, TimeUnit.SECONDS);
    own.close();
    checker.afterMount(n, v, id, r);
    return name(n) + " Mount " + v + " " + id + " across control stop/start -> " + show(r);
  }

  private PluginClient.Reply call(int n, String op, String v, Calls.Request request)
      throws InterruptedException {
    return calls.call(name(n) + " " + op + " " + v, nodes.client(n), Calls.budgetOf(op), request,
        checker::violation);
  }

  private String name(int n) {
    return checker.name(n);
  }

  static String show(PluginClient.Reply r) {
    if (r == null) {
      return "NO ANSWER";
    }
    return r.ok() ? "ok" + (r.mountpoint().isEmpty() ? "" : " " + r.mountpoint())
        : "Err(" + r.err() + ")";
  }

  static void say(String line) {
    System.err.println("chaos: " + line);
  }
}
