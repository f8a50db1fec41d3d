package io.flockerdocker.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.NameInUse;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of the configuration, like Flocker's one Twisted thread: every mutation
 * (HTTP or lease expiry) runs on one dedicated thread, in order, and is journaled before it is
 * answered. Readers take the current immutable snapshot without waiting. Every operation costs
 * O(log n) in memory and O(its changes) on disk, whatever the number of datasets.
 */
final class ConfigurationStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigurationStore.class);

  private final ConfigurationFile file;
  private final Clock clock;
  private final ChangeNotifier changes;
  private final ChangeLog history;
  private final int snapshotEvery;
  private final ScheduledExecutorService writer =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "flocker-control-writer"));
  private volatile Configuration current;

  private ConfigurationStore(ConfigurationFile file, Configuration loaded, Clock clock,
      ChangeNotifier changes, ChangeLog history, int snapshotEvery) {
    this.file = file;
    this.current = loaded;
    this.clock = clock;
    this.changes = changes;
    this.history = history;
    this.snapshotEvery = snapshotEvery;
    // Flocker's LeaseService sweeps once per second
    writer.scheduleWithFixedDelay(this::sweepLeases, 1, 1, TimeUnit.SECONDS);
  }

  static ConfigurationStore open(ConfigurationFile file, Clock clock, ChangeNotifier changes,
      ChangeLog history, int snapshotEvery) throws IOException, CorruptConfigurationException {
    return new ConfigurationStore(file, file.load(), clock, changes, history, snapshotEvery);
  }

  Configuration current() {
    return current;
  }

  long nowMs() {
    return clock.millis();
  }

  /** Runs one request on the writer thread; failures become Flocker's bare-string 500. */
  CompletionStage<Reply> submit(String path, Supplier<Reply> operation) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return operation.get();
      } catch (RuntimeException e) {
        log.error("unhandled error in [{}]", path, e);
        return Reply.internalError(path);
      }
    }, writer);
  }

  /** 412 check shared by create, update and delete; passes when ANY sent value matches. */
  Reply tagMismatch(List<String> ifMatches) {
    String tag = current.tag();
    if (ifMatches.isEmpty() || ifMatches.contains(tag)) {
      return null;
    }
    return Reply.error(412,
        "Tag doesn't match. Required: " + ifMatches.get(0) + ", current: " + tag);
  }

  Reply create(List<String> ifMatches, byte[] body) {
    Reply early = tagMismatch(ifMatches);
    if (early != null) {
      return early;
    }
    JsonNode json = Schema.parse(body);
    if (json == null) {
      return Reply.decodeError();
    }
    return create(json);
  }

  /**
   * The create-if-name-unused extension: one index lookup, then the plain create, atomically on
   * the writer thread; a live dataset already named {@code name} is a typed 409.
   */
  Reply createIfNameUnused(String name, byte[] body) {
    JsonNode json = Schema.parse(body);
    if (json == null || !json.isObject()) {
      return Reply.decodeError();
    }
    JsonNode metadata = json.get("metadata");
    if (metadata == null) {
      metadata = ((ObjectNode) json).putObject("metadata");
    }
    if (!metadata.isObject()) {
      return Reply.schema(List.of("metadata: must be an object"));
    }
    JsonNode given = metadata.get(DatasetConfiguration.NAME_KEY);
    if (given != null && !name.equals(given.asText(null))) {
      return Reply.error(400, "metadata.name " + given + " differs from the name in the path ["
          + name + "]");
    }
    ((ObjectNode) metadata).put(DatasetConfiguration.NAME_KEY, name);
    List<String> errors = Schema.create(json);
    if (!errors.isEmpty()) {
      return Reply.schema(errors); // a bad body is a 400 whether or not the name is taken
    }
    DatasetConfiguration taken = current.liveByName(name);
    if (taken != null) {
      return new Reply(409, new NameInUse(NameInUse.DESCRIPTION, taken.datasetId(), taken));
    }
    return create(json);
  }

  private Reply create(JsonNode json) {
    List<String> errors = Schema.create(json);
    if (!errors.isEmpty()) {
      return Reply.schema(errors);
    }
    if (json.has("deleted")) {
      // Flocker's handler has no 'deleted' parameter: a TypeError, i.e. an unhandled 500
      throw new IllegalArgumentException("unexpected keyword argument 'deleted'");
    }
    String id = json.has("dataset_id")
        ? json.get("dataset_id").asText().toLowerCase(Locale.ROOT)
        : UUID.randomUUID().toString();
    if (current.datasets().containsKey(id)) {
      return Reply.error(409, "The provided dataset_id is already in use.");
    }
    JsonNode size = json.get("maximum_size");
    DatasetConfiguration dataset = new DatasetConfiguration(id,
        json.get("primary").asText().toLowerCase(Locale.ROOT), false, Schema.metadataOf(json),
        size == null || size.isNull() ? null : size.longValue());
    commit(new Change.DatasetPut(dataset));
    return Reply.created(dataset);
  }

  Reply update(List<String> ifMatches, String id, byte[] body) {
    Reply early = tagMismatch(ifMatches);
    if (early != null) {
      return early;
    }
    JsonNode json = Schema.parse(body);
    if (json == null) {
      return Reply.decodeError();
    }
    List<String> errors = Schema.update(json);
    if (!errors.isEmpty()) {
      return Reply.schema(errors);
    }
    DatasetConfiguration dataset = current.datasets().get(id);
    if (dataset == null) {
      return Reply.error(404, "Dataset not found.");
    }
    if (dataset.deleted()) {
      return Reply.error(405, "The dataset has been deleted.");
    }
    if (json.has("primary")) {
      String primary = json.get("primary").asText().toLowerCase(Locale.ROOT);
      if (!primary.equals(dataset.primary())) {
        dataset = dataset.withPrimary(primary);
        commit(new Change.DatasetPut(dataset));
      }
    }
    return Reply.ok(dataset);
  }

  Reply delete(List<String> ifMatches, String id) {
    Reply early = tagMismatch(ifMatches);
    if (early != null) {
      return early;
    }
    DatasetConfiguration dataset = current.datasets().get(id);
    if (dataset == null) {
      return Reply.error(404, "Dataset not found.");
    }
    DatasetConfiguration deleted = dataset.asDeleted();
    if (!dataset.deleted()) {
      commit(new Change.DatasetPut(deleted));
    }
    return Reply.ok(deleted);
  }

  Reply acquireLease(byte[] body) {
    JsonNode json = Schema.parse(body);
    if (json == null) {
      return Reply.decodeError();
    }
    List<String> errors = Schema.lease(json);
    if (!errors.isEmpty()) {
      return Reply.schema(errors);
    }
    String datasetId = Schema.uuidOrFail(json.get("dataset_id").asText());
    String node = json.get("node_uuid").asText().toLowerCase(Locale.ROOT);
    JsonNode expires = json.get("expires");
    StoredLease held = current.leases().get(datasetId);
    if (held != null && !held.nodeUuid().equals(node)) {
      return Reply.error(409, "Lease already held.");
    }
    Double seconds = expires.isNull() ? null : expires.doubleValue();
    Long at = seconds == null ? null : nowMs() + Math.round(seconds * 1000);
    StoredLease lease = new StoredLease(datasetId, node, at);
    if (!lease.equals(held)) {
      commit(new Change.LeasePut(lease));
    }
    Lease answer = new Lease(datasetId, node, seconds);
    return held == null ? Reply.created(answer) : Reply.ok(answer);
  }

  Reply releaseLease(String rawId) {
    String datasetId = Schema.uuidOrFail(rawId);
    StoredLease held = current.leases().get(datasetId);
    if (held == null) {
      return Reply.error(404, "Lease not found.");
    }
    commit(new Change.LeaseRemoved(datasetId));
    return Reply.ok(held.toApi(nowMs()));
  }

  /**
   * Adds {@code datasets} in one commit, on the writer thread: the scale benchmark's cluster
   * "that already holds N volumes", which N conditional creates would take O(N^2) to build.
   */
  CompletionStage<Void> preload(List<DatasetConfiguration> datasets) {
    return CompletableFuture.runAsync(() -> commit(
        datasets.stream().<Change>map(Change.DatasetPut::new).toList()), writer);
  }

  List<Lease> leases() {
    long now = nowMs();
    return current.leases().values().map(l -> l.toApi(now)).toList();
  }

  @Override
  public void close() {
    writer.shutdownNow();
    try {
      if (writer.awaitTermination(5, TimeUnit.SECONDS) && file.changesSinceSnapshot() > 0) {
        // a clean stop leaves one snapshot and no journal: the next start replays nothing
        file.snapshot(current);
      }
      file.close();
    } catch (IOException e) {
      log.warn("cannot close the configuration journal", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sweepLeases() {
    try {
      List<Change> expired = current.expiredLeases(nowMs());
      if (!expired.isEmpty()) {
        log.info("expired leases [{}]", expired.size());
        commit(expired);
      }
    } catch (RuntimeException e) {
      // a failing save must not cancel the periodic sweep; it is retried next second
      log.error("lease sweep failed", e);
    }
  }

  private void commit(Change change) {
    commit(List.of(change));
  }

  /**
   * Journals then publishes one commit (callers never commit a no-op, so every commit is a new
   * tag), records the datasets whose configuration or lease holder changed in the change feed's
   * log, wakes the watchers if any did, and folds the journal into a snapshot every {@code
   * snapshotEvery} changes.
   */
  private void commit(List<Change> changes) {
    Configuration next = current.apply(changes, current.revision() + 1);
    try {
      file.append(new Change.Entry(next.revision(), changes));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot persist configuration", e);
    }
    Set<String> touched = touched(current, next, changes);
    current = next;
    if (!touched.isEmpty()) {
      history.record(touched);
      this.changes.changed();
    }
    if (file.changesSinceSnapshot() >= snapshotEvery) {
      try {
        file.snapshot(next);
      } catch (IOException e) {
        // the commit is durable in the journal; the next commit tries the fold again
        log.error("cannot write the configuration snapshot", e);
      }
    }
  }

  /** Datasets put, and datasets whose lease holder changed (a renewal is no change). */
  private static Set<String> touched(Configuration before, Configuration after,
      List<Change> changes) {
    Set<String> ids = new LinkedHashSet<>();
    for (Change change : changes) {
      if (change instanceof Change.DatasetPut put) {
        ids.add(put.dataset().datasetId());
      } else {
        String id = change instanceof Change.LeasePut put ? put.lease().datasetId()
            : ((Change.LeaseRemoved) change).datasetId();
        StoredLease was = before.leases().get(id);
        StoredLease now = after.leases().get(id);
        if (!Objects.equals(was == null ? null : was.nodeUuid(),
            now == null ? null : now.nodeUuid())) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
