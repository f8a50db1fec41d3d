package io.flockerdocker.agent.flocker;

import io.flockerdocker.agent.flocker.FlockerException.Kind;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.Node;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * An in-memory control service with the real one's answers (unlike Flocker's own fake):
 * configuration and state apart, deleted datasets kept, 404/405/409/412, a tag that changes on
 * every real mutation, leases that expire and that hold a manifest dataset in place. State moves
 * only when a test calls {@link #convergeStep()} or {@link #converge()}. Thread-safe.
 */
public final class FakeFlockerClient implements FlockerClient {
  static final String VERSION = "1.15.0";
  private final List<Node> nodes;
  private final String mountRoot;
  private final Map<String, DatasetConfiguration> config = new LinkedHashMap<>();
  /** dataset id → node it is mounted on, or null while it exists but is not manifest. */
  private final Map<String, String> mounted = new LinkedHashMap<>();
  private final FakeLeases leases;
  private String tag = newTag();
  private boolean unreachable;
  private int failuresLeft;
  private FlockerException failure;

  public FakeFlockerClient(List<Node> nodes) {
    this(nodes, "/flocker", Clock.systemUTC());
  }

  /** {@code mountRoot}: datasets appear at {@code <mountRoot>/<dataset_id>}. */
  public FakeFlockerClient(List<Node> nodes, String mountRoot, Clock clock) {
    this.nodes = List.copyOf(nodes);
    this.mountRoot = mountRoot.replaceAll("/+$", "");
    this.leases = new FakeLeases(clock);
  }

  /** Every call fails UNREACHABLE while on. */
  public synchronized void setUnreachable(boolean on) {
    unreachable = on;
  }

  /** The next {@code calls} calls fail with {@code e} (then the fake answers normally again). */
  public synchronized void failNext(int calls, FlockerException e) {
    failuresLeft = calls;
    failure = e;
  }

  /** The current tag, for tests that check it moved. */
  public synchronized String tag() {
    return tag;
  }

  @Override
  public CompletionStage<String> version() {
    return answer(() -> VERSION);
  }

  @Override
  public CompletionStage<DatasetsConfiguration> listDatasetsConfiguration() {
    return answer(
        () ->
            new DatasetsConfiguration(
                tag, config.values().stream().filter(d -> !d.deleted()).toList()));
  }

  @Override
  public CompletionStage<DatasetConfiguration> createDataset(
      CreateDatasetRequest r, Optional<String> ifConfigurationMatches) {
    return answer(
        () -> {
          checkTag(ifConfigurationMatches);
          String id = FakeSchema.checkCreate(r);
          if (config.containsKey(id)) {
            throw fail(Kind.DATASET_EXISTS, 409, "The provided dataset_id is already in use.");
          }
          Map<String, String> metadata = r.metadata() == null ? Map.of() : r.metadata();
          DatasetConfiguration created =
              new DatasetConfiguration(id, r.primary(), false, metadata, r.maximumSize());
          config.put(id, created);
          changed();
          return created;
        });
  }

  @Override
  public CompletionStage<DatasetConfiguration> moveDataset(String datasetId, String primaryUuid) {
    return answer(
        () -> {
          FakeSchema.checkUuid("primary", primaryUuid);
          DatasetConfiguration d = existing(datasetId);
          if (d.deleted()) {
            throw fail(Kind.DELETED, 405, "The dataset has been deleted.");
          }
          if (!d.primary().equals(primaryUuid)) {
            config.put(datasetId, d.withPrimary(primaryUuid));
            changed();
          }
          return config.get(datasetId);
        });
  }

  @Override
  public CompletionStage<DatasetConfiguration> deleteDataset(String datasetId) {
    return answer(
        () -> {
          DatasetConfiguration d = existing(datasetId);
          if (!d.deleted()) {
            config.put(datasetId, d.asDeleted());
            changed();
          }
          return config.get(datasetId);
        });
  }

  @Override
  public CompletionStage<List<DatasetState>> listDatasetsState() {
    return answer(
        () -> {
          List<DatasetState> states = new ArrayList<>();
          mounted.forEach(
              (id, node) ->
                  states.add(
                      new DatasetState(
                          id,
                          node,
                          config.get(id).maximumSize(),
                          node == null ? null : mountRoot + "/" + id)));
          return states;
        });
  }

  @Override
  public CompletionStage<List<Node>> listNodes() {
    return answer(() -> nodes);
  }

  @Override
  public CompletionStage<List<Lease>> listLeases() {
    return answer(leases::list);
  }

  @Override
  public CompletionStage<Lease> acquireLease(
      String datasetId, String nodeUuid, Optional<Double> expiresSeconds) {
    return answer(
        () -> {
          FakeSchema.checkLease(datasetId, nodeUuid);
          FakeLeases.Changed<Lease> acquired = leases.acquire(datasetId, nodeUuid, expiresSeconds);
          if (acquired.changed()) {
            changed();
          }
          return acquired.value();
        });
  }

  @Override
  public CompletionStage<Lease> releaseLease(String datasetId) {
    return answer(
        () -> {
          Lease released = leases.release(datasetId);
          changed();
          return released;
        });
  }

  /**
   * One agent step for every dataset: create and mount on the primary; a move first unmounts
   * (non-manifest), then mounts on the new primary; a delete destroys. A dataset mounted on a
   * node holding its lease stays put. Returns whether anything changed.
   */
  public synchronized boolean convergeStep() {
    expireLeases();
    boolean changed = false;
    for (DatasetConfiguration d : config.values()) {
      String id = d.datasetId();
      boolean exists = mounted.containsKey(id);
      String on = mounted.get(id);
      boolean pinned = on != null && leases.heldBy(id, on);
      boolean known = nodes.stream().anyMatch(n -> n.uuid().equals(d.primary()));
      if (pinned) {
        continue;
      } else if (d.deleted() && exists) {
        mounted.remove(id);
      } else if (d.deleted() || (on != null && on.equals(d.primary()))) {
        continue;
      } else if (on != null) {
        mounted.put(id, null); // unmounted and detached: in transit
      } else if (known) {
        mounted.put(id, d.primary());
      } else {
        continue; // an unknown primary never materialises
      }
      changed = true;
    }
    return changed;
  }

  /** Steps until nothing changes: everything not held by a lease matches the configuration. */
  public synchronized void converge() {
    while (convergeStep()) {
      // each step is one agent transition
    }
  }

  private <T> CompletionStage<T> answer(Supplier<T> body) {
    synchronized (this) {
      try {
        if (unreachable) {
          throw FlockerException.unreachable("control service (fake) unreachable", null);
        }
        if (failuresLeft > 0) {
          failuresLeft--;
          throw failure;
        }
        expireLeases();
        return CompletableFuture.completedFuture(body.get());
      } catch (FlockerException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }

  private void expireLeases() {
    if (leases.expire()) {
      changed();
    }
  }

  private DatasetConfiguration existing(String datasetId) {
    DatasetConfiguration d = config.get(datasetId);
    if (d == null) {
      throw fail(Kind.NOT_FOUND, 404, "Dataset not found.");
    }
    return d;
  }

  private void checkTag(Optional<String> ifMatches) {
    if (ifMatches.isPresent() && !ifMatches.get().equals(tag)) {
      throw fail(
          Kind.CONFIGURATION_CHANGED,
          412,
          "Tag doesn't match. Required: " + ifMatches.get() + ", current: " + tag);
    }
  }

  private void changed() {
    tag = newTag();
  }

  private static String newTag() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  static FlockerException fail(Kind kind, int status, String description) {
    return new FlockerException(kind, status, "control service (fake) refused: " + description);
  }
}
