package io.flockerdocker.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.Lease;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * (HTTP or lease expiry) runs on one dedicated thread, in order, and is persisted before it is
 * answered. Readers take the current immutable snapshot without waiting.
 */
final class ConfigurationStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigurationStore.class);

  private final ConfigurationFile file;
  private final Clock clock;
  private final ScheduledExecutorService writer =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "flocker-control-writer"));
  private volatile Configuration current;

  private ConfigurationStore(ConfigurationFile file, Configuration loaded, Clock clock) {
    this.file = file;
    this.current = loaded;
    this.clock = clock;
    // Flocker's LeaseService sweeps once per second
    writer.scheduleWithFixedDelay(this::sweepLeases, 1, 1, TimeUnit.SECONDS);
  }

  static ConfigurationStore open(ConfigurationFile file, Clock clock)
      throws IOException, CorruptConfigurationException {
    return new ConfigurationStore(file, file.load(), clock);
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
    commit(current.withDataset(dataset));
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
      dataset = dataset.withPrimary(primary);
      commit(current.withDataset(dataset));
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
    commit(current.withDataset(deleted));
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
    commit(current.withLease(new StoredLease(datasetId, node, at)));
    Lease answer = new Lease(datasetId, node, seconds);
    return held == null ? Reply.created(answer) : Reply.ok(answer);
  }

  Reply releaseLease(String rawId) {
    String datasetId = Schema.uuidOrFail(rawId);
    StoredLease held = current.leases().get(datasetId);
    if (held == null) {
      return Reply.error(404, "Lease not found.");
    }
    commit(current.withoutLease(datasetId));
    return Reply.ok(held.toApi(nowMs()));
  }

  /**
   * Adds {@code datasets} in one commit, on the writer thread: the scale benchmark's cluster
   * "that already holds N volumes", which N conditional creates would take O(N^2) to build.
   */
  CompletionStage<Void> preload(List<DatasetConfiguration> datasets) {
    return CompletableFuture.runAsync(() -> {
      Map<String, DatasetConfiguration> all = new java.util.LinkedHashMap<>(current.datasets());
      datasets.forEach(d -> all.put(d.datasetId(), d));
      commit(Configuration.of(all.values(), current.leases().values()));
    }, writer);
  }

  List<Lease> leases() {
    long now = nowMs();
    return current.leases().values().stream().map(l -> l.toApi(now)).toList();
  }

  @Override
  public void close() {
    writer.shutdownNow();
  }

  private void sweepLeases() {
    try {
      Configuration swept = current.expireLeases(nowMs());
      if (swept != current) {
        log.info("expired leases [{}]", current.leases().size() - swept.leases().size());
        commit(swept);
      }
    } catch (RuntimeException e) {
      // a failing save must not cancel the periodic sweep; it is retried next second
      log.error("lease sweep failed", e);
    }
  }

  /** Persists then publishes; an unchanged configuration (a no-op) is neither saved nor retagged. */
  private void commit(Configuration next) {
    if (next.tag().equals(current.tag())) {
      return;
    }
    try {
      file.save(next);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot persist configuration", e);
    }
    current = next;
  }

  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
