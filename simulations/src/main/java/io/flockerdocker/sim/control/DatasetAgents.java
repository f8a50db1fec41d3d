package io.flockerdocker.sim.control;

import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated dataset agents of all nodes: on a timer they compare configuration with observed
 * state and converge it with real directories, one operation per dataset at a time. A lease held
 * by the node a dataset is manifest on freezes it there, exactly as Flocker's agents do.
 */
final class DatasetAgents implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DatasetAgents.class);

  /** Observed state of one dataset: which node's disk holds it and whether it is mounted. */
  record Held(String node, boolean manifest) {}

  private final Map<String, NodeSpec> nodes = new ConcurrentHashMap<>();
  private final Set<String> deadNodes = ConcurrentHashMap.newKeySet();
  private final Map<String, Held> state = new ConcurrentHashMap<>();
  private final Set<String> busy = ConcurrentHashMap.newKeySet();
  private final Supplier<Configuration> configuration;
  private final long bytesPerSecond;
  private volatile Duration moveDelay;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> ConfigurationStore.daemon(r, "flocker-agents-timer"));
  private final ExecutorService io =
      Executors.newCachedThreadPool(r -> ConfigurationStore.daemon(r, "flocker-agents-io"));
  private final DatasetOperations ops;
  /** Per dataset, when its last move finished (nanoTime), for the benchmarks. */
  private final Map<String, Long> movedAt = new ConcurrentHashMap<>();

  DatasetAgents(ControlSettings settings, Supplier<Configuration> configuration) {
    settings.nodes().forEach(n -> nodes.put(n.uuid(), n));
    this.configuration = configuration;
    this.bytesPerSecond = settings.bytesPerSecond();
    this.moveDelay = settings.moveDelay();
    this.ops = new DatasetOperations(state, io, movedAt);
  }

  /** Rebuilds state from the node roots (blocking, before serving) and starts the timer. */
  void start(Duration interval) throws IOException {
    Map<String, DatasetConfiguration> config = configuration.get().datasets();
    for (NodeSpec node : nodes.values()) {
      Files.createDirectories(node.datasetRoot());
      ops.scan(node).forEach((id, held) -> {
        Held other = state.get(id);
        DatasetConfiguration d = config.get(id);
        // a crash between publish and source delete leaves two copies: trust the primary's
        if (other == null || (d != null && node.uuid().equals(d.primary()))) {
          state.put(id, held);
        }
      });
    }
    long ms = Math.max(1, interval.toMillis());
    ticker.scheduleWithFixedDelay(this::tick, 0, ms, TimeUnit.MILLISECONDS);
  }

  /** When the last move of {@code datasetId} finished (nanoTime), or null. */
  Long movedAt(String datasetId) {
    return movedAt.get(datasetId);
  }

  void setMoveDelay(Duration delay) {
    this.moveDelay = delay;
  }

  void setNodeAlive(String uuid, boolean alive) {
    if (alive) {
      deadNodes.remove(uuid);
    } else {
      deadNodes.add(uuid);
    }
  }

  /** What {@code GET /v1/state/datasets} reports right now. */
  List<DatasetState> snapshot() {
    Map<String, DatasetConfiguration> config = configuration.get().datasets();
    return state.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
        .map(e -> {
          DatasetConfiguration d = config.get(e.getKey());
          Long size = d == null ? null : d.maximumSize();
          Held h = e.getValue();
          return h.manifest()
              ? new DatasetState(e.getKey(), h.node(), size, dir(h.node(), e.getKey()).toString())
              : new DatasetState(e.getKey(), null, size, null);
        })
        .toList();
  }

  @Override
  public void close() throws InterruptedException {
    ticker.shutdownNow();
    io.shutdown();
    // let an in-flight copy finish so a restarted service scans a consistent disk
    if (!io.awaitTermination(10, TimeUnit.SECONDS)) {
      io.shutdownNow();
    }
  }

  private void tick() {
    try {
      Configuration config = configuration.get();
      for (DatasetConfiguration d : config.datasets().values()) {
        if (!busy.contains(d.datasetId())) {
          converge(d, config.leases().get(d.datasetId()));
        }
      }
    } catch (RuntimeException e) {
      // keep the timer alive: an exception would cancel scheduleWithFixedDelay
      log.error("convergence tick failed", e);
    }
  }

  private void converge(DatasetConfiguration d, StoredLease lease) {
    String id = d.datasetId();
    Held s = state.get(id);
    if (s != null && s.manifest() && lease != null && lease.nodeUuid().equals(s.node())) {
      return; // NotInUseDatasets: the holder's agent keeps a leased, mounted dataset where it is
    }
    if (s != null && s.manifest() && !alive(s.node())) {
      return; // only the holder's agent can unmount it, and that agent is dead
    }
    if (d.deleted()) {
      if (s != null) {
        run(id, ops.destroy(id, dir(s.node(), id)));
      }
      return;
    }
    String want = d.primary();
    boolean wantUsable = nodes.containsKey(want) && alive(want);
    if (s == null) {
      if (wantUsable) {
        run(id, ops.create(id, want, dir(want, id)));
      }
    } else if (s.manifest() && s.node().equals(want)) {
      return; // converged
    } else if (!wantUsable) {
      if (s.manifest()) {
        state.put(id, new Held(s.node(), false)); // unmount and park, nobody attaches
      }
    } else if (!s.node().equals(want)) {
      state.put(id, new Held(s.node(), false)); // in transit: no primary, no path
      run(id, ops.move(id, dir(s.node(), id), want, dir(want, id), moveDelay, bytesPerSecond));
    } else {
      state.put(id, new Held(want, true)); // parked on its own disk: attach again, no copy
    }
  }

  private void run(String id, Supplier<CompletableFuture<Void>> operation) {
    busy.add(id);
    operation.get().whenComplete((ok, error) -> {
      if (error != null) {
        log.warn("dataset operation failed for [{}], retrying on next tick", id, error);
      }
      busy.remove(id);
    });
  }

  private boolean alive(String node) {
    return !deadNodes.contains(node);
  }

  private Path dir(String node, String id) {
    NodeSpec spec = nodes.get(node);
    return spec.datasetRoot().resolve(id);
  }
}
