package io.flockerdocker.agent.flocker;

import io.flockerdocker.agent.flocker.FlockerException.Kind;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.Node;
import io.flockerdocker.protocol.flocker.NodeReport;
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
 * every real mutation, leases that expire. State is derived from the hosts' reports
 * (docs/data-plane.md §1): real ones ({@link #reportState}) or those of simulated dataset agents,
 * which act only when a test calls {@link #convergeStep()} or {@link #converge()}. Thread-safe.
 */
public final class FakeFlockerClient implements FlockerClient {
  static final String VERSION = "1.15.0";
  private final List<Node> nodes;
  private final String mountRoot;
  private final Map<String, DatasetConfiguration> config = new LinkedHashMap<>();
  /** node uuid → its last report, as PUT /v1/state/nodes/{uuid} stores it. */
  private final Map<String, NodeReport> reports = new LinkedHashMap<>();
  private final FakeHosts hosts;
  private final FakeLeases leases;
  private String tag = newTag();
  /** dataset id → the path a hostile or broken control service reports for it instead. */
  private final Map<String, String> forgedPaths = new LinkedHashMap<>();
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
    this.hosts = new FakeHosts(this.mountRoot);
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
  public CompletionStage<DatasetsConfiguration> listAllDatasetsConfiguration() {
    return answer(() -> new DatasetsConfiguration(tag, List.copyOf(config.values())));
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
    return answer(() -> FakeState.derive(reports.values(), config).stream()
        .map(s -> s.path() == null || !forgedPaths.containsKey(s.datasetId()) ? s
            : new DatasetState(s.datasetId(), s.primary(), s.maximumSize(),
                forgedPaths.get(s.datasetId())))
        .toList());
  }

  /** From now on the state reports {@code path} as where {@code datasetId} is mounted. */
  public synchronized void forgePath(String datasetId, String path) {
    forgedPaths.put(datasetId, path);
  }

  @Override
  public CompletionStage<Void> reportState(NodeReport report) {
    return answer(
        () -> {
          FakeSchema.checkUuid("uuid", report.uuid());
          NodeReport stored = reports.get(report.uuid());
          if (stored != null && (report.epoch() < stored.epoch()
              || report.epoch() == stored.epoch() && report.seq() <= stored.seq())) {
            throw fail(Kind.STALE_REPORT, 409, "stale report (epoch " + report.epoch() + ", seq "
                + report.seq() + " not newer than " + stored.epoch() + ", " + stored.seq() + ")");
          }
          reports.put(report.uuid(), report);
          return null;
        });
  }

  @Override
  public CompletionStage<List<NodeReport>> listReports() {
    return answer(() -> List.copyOf(reports.values()));
  }

  @Override
  public CompletionStage<List<Node>> listNodes() {
    return answer(
        () -> {
          List<Node> all = new ArrayList<>(nodes);
          reports.values().stream()
              .filter(r -> all.stream().noneMatch(n -> n.uuid().equals(r.uuid())))
              .forEach(r -> all.add(new Node(r.host(), r.uuid())));
          return all;
        });
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
   * One step of every simulated host's dataset agent (the real convergence rules: create on the
   * primary; a move seals, pulls, then demotes; a lease holds a dataset in place; a delete
   * destroys), each reporting what changed. Returns whether anything changed.
   */
  public synchronized boolean convergeStep() {
    expireLeases();
    return !hosts.round(nodes, List.copyOf(config.values()), leases.list(), reports).isEmpty();
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
