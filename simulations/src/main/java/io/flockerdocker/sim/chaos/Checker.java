package io.flockerdocker.sim.chaos;

import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.sim.scenario.LocalCluster;
import io.flockerdocker.sim.scenario.PluginClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The safety invariants, checked against acknowledged replies ({@link World}) and the control
 * service's own view: one mount holder per volume, every acknowledged write visible to the next
 * successful Mount, the dataset manifest and leased on the holder, refusals naming the holder.
 */
final class Checker {
  static final String TOKEN_FILE = "chaos-tokens";

  private final LocalCluster cluster;
  private final World world;
  private final List<String> violations = new ArrayList<>();
  private final Set<String> reported = new HashSet<>();
  private String step = "setup";

  Checker(LocalCluster cluster, World world) {
    this.cluster = cluster;
    this.world = world;
  }

  List<String> violations() {
    return violations;
  }

  void atStep(String description) {
    this.step = description;
  }

  void violation(String what) {
    if (!reported.add(what)) {
      return; // a broken state is reported once, not after every later step
    }
    String line = step + ": " + what;
    violations.add(line);
    System.err.println("chaos:   VIOLATION " + line);
  }

  /** Books a Mount's reply: a success is checked and written through; null = outcome unknown. */
  void afterMount(int node, String volume, String id, PluginClient.Reply r)
      throws IOException {
    if (r == null) {
      world.unknown.add(new World.MountRef(node, volume, id));
      return;
    }
    Set<Integer> others = new HashSet<>(world.holders(volume));
    others.remove(node);
    if (!r.ok()) {
      if (!others.isEmpty() && cluster.controlUp()) {
        String holder = name(others.iterator().next());
        if (!r.err().contains(holder)) {
          violation(name(node) + " Mount " + volume + " refused without naming holder " + holder
              + ": " + r.err());
        }
      }
      return;
    }
    if (!others.isEmpty()) {
      violation("two holders: " + name(node) + " Mount " + volume + " succeeded while "
          + names(others) + " hold acknowledged mounts " + world.ids(volume, others.iterator()
          .next()));
    }
    Path mp = Path.of(r.mountpoint());
    if (!mp.toAbsolutePath().startsWith(cluster.agent(node).layout().mounts())) {
      violation(name(node) + " Mountpoint " + mp + " is not under its mounts directory");
    }
    world.mounted(volume, node, id, r.mountpoint());
    readBack(node, volume, mp);
    write(node, volume, mp);
  }

  private void readBack(int node, String volume, Path mp) throws IOException {
    Path file = mp.resolve(TOKEN_FILE);
    Set<String> seen = Files.exists(file)
        ? new HashSet<>(Files.readAllLines(file, StandardCharsets.UTF_8)) : Set.of();
    List<String> lost = world.tokens(volume).stream().filter(t -> !seen.contains(t)).toList();
    if (!lost.isEmpty()) {
      violation("lost writes: " + name(node) + " mounted " + volume + " at " + mp
          + " without acknowledged tokens " + lost);
    }
  }

  private void write(int node, String volume, Path mp) {
    String token = world.freshToken();
    try {
      Files.writeString(mp.resolve(TOKEN_FILE), token + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
      world.tokens(volume).add(token);
    } catch (IOException e) {
      violation(name(node) + " cannot write through its acknowledged Mountpoint " + mp + ": " + e);
    }
  }

  /** After every step: at most one holder, and the control service agrees with it. */
  void afterStep() throws InterruptedException {
    for (String v : world.volumes) {
      if (world.holders(v).size() > 1) {
        violation("two holders of " + v + ": " + names(world.holders(v)));
      }
    }
    if (!cluster.controlUp()) {
      return;
    }
    ControlView view;
    try {
      view = ControlView.read(cluster.controlUrl());
    } catch (IOException e) {
      violation("control service API unreadable while up: " + e);
      return;
    }
    for (String v : world.volumes) {
      for (int holder : world.holders(v)) {
        String uuid = cluster.agent(holder).layout().uuid();
        Optional<String> id = view.datasetId(v);
        if (id.isEmpty()) {
          violation(v + " is mounted on " + name(holder) + " but has no dataset in configuration");
          continue;
        }
        Optional<DatasetState> s = view.stateOf(id.get());
        if (s.isEmpty() || !s.get().isManifestOn(uuid)) {
          violation(v + " is mounted on " + name(holder) + " but its dataset state is "
              + s.map(Object::toString).orElse("absent"));
        }
        Optional<Lease> lease = view.leaseOf(id.get());
        if (lease.isEmpty() || !lease.get().nodeUuid().equals(uuid)) {
          violation(v + " is mounted on " + name(holder) + " but its lease is "
              + lease.map(l -> "held by " + nodeName(l.nodeUuid())).orElse("not held"));
        }
      }
    }
  }

  /** Leases still held once everything is unmounted and every node is up: none may remain. */
  List<String> leftoverLeases(ControlView view, List<String> volumes) {
    return view.leases().stream()
        .filter(l -> volumes.contains(view.nameOf(l.datasetId())))
        .map(l -> view.nameOf(l.datasetId()) + " held by " + nodeName(l.nodeUuid())).toList();
  }

  String name(int node) {
    return cluster.agent(node).layout().name();
  }

  private String names(Set<Integer> nodes) {
    return nodes.stream().map(this::name).toList().toString();
  }

  private String nodeName(String uuid) {
    return cluster.agents().stream().filter(a -> a.layout().uuid().equals(uuid))
        .map(a -> a.layout().name()).findFirst().orElse(uuid);
  }
}
