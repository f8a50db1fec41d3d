package io.flockerdocker.agent.flocker;

import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.NamedDataset;
import io.flockerdocker.protocol.flocker.Node;
import io.flockerdocker.protocol.flocker.NodeReport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The Flocker control service REST API v1 as the agent uses it. Every call completes (never
 * hangs: implementations bound each request) and fails only with a {@link FlockerException}.
 * Implementations: {@code HttpFlockerClient} (production, mTLS) and {@code FakeFlockerClient}
 * (unit tests); one contract suite holds both to the same behaviour.
 *
 * <p>The default methods are the scale extensions (docs/control-api-extensions.md) in their
 * fallback form, which any client can run against a plain Flocker control service; {@code
 * HttpFlockerClient} overrides them to use the extensions when the service advertises them.
 */
public interface FlockerClient {

  CompletionStage<String> version();

  /** Live datasets (deleted ones dropped) and the configuration tag. */
  CompletionStage<DatasetsConfiguration> listDatasetsConfiguration();

  /**
   * Every dataset, deleted ones included ({@code deleted: true}), and the tag: the dataset agent
   * must tell "deleted" (destroy the copy) from "absent" (keep it, an empty service is no order).
   */
  CompletionStage<DatasetsConfiguration> listAllDatasetsConfiguration();

  /**
   * Creates a dataset; with {@code ifConfigurationMatches} present, only if the configuration
   * tag still matches (else {@link FlockerException.Kind#CONFIGURATION_CHANGED}).
   */
  CompletionStage<DatasetConfiguration> createDataset(
      CreateDatasetRequest request, Optional<String> ifConfigurationMatches);

  /** Changes the dataset's primary; Flocker does not refuse leased datasets here. */
  CompletionStage<DatasetConfiguration> moveDataset(String datasetId, String primaryUuid);

  /** Marks the dataset deleted (idempotent); Flocker does not refuse leased datasets here. */
  CompletionStage<DatasetConfiguration> deleteDataset(String datasetId);

  CompletionStage<List<DatasetState>> listDatasetsState();

  CompletionStage<List<Node>> listNodes();

  CompletionStage<List<Lease>> listLeases();

  /**
   * Acquires or renews the lease of {@code datasetId} for {@code nodeUuid}; {@code
   * expiresSeconds} empty means it never expires. Another holder → LEASE_HELD.
   */
  CompletionStage<Lease> acquireLease(
      String datasetId, String nodeUuid, Optional<Double> expiresSeconds);

  /** Releases the lease whoever holds it; no lease → NOT_FOUND. */
  CompletionStage<Lease> releaseLease(String datasetId);

  /**
   * Replaces this host's report ({@code PUT /v1/state/nodes/{uuid}}, docs/data-plane.md §1); a
   * report not newer (epoch, seq) than the stored one → STALE_REPORT.
   */
  CompletionStage<Void> reportState(NodeReport report);

  /**
   * Reports as {@link #reportState}, or, when this client's last report accepted in full had the
   * same content (and epoch) and the service offers the heartbeat extension, only says that it
   * still holds: a few bytes instead of the host's whole dataset list. Falls back to the full
   * report when the service no longer holds that content. Fallback: always in full.
   */
  default CompletionStage<Void> reportOrHeartbeat(NodeReport report) {
    return reportState(report);
  }

  /** Every host's last report ({@code GET /v1/state/reports}). */
  CompletionStage<List<NodeReport>> listReports();

  /** The extensions the control service advertises; none unless an implementation asks. */
  default CompletionStage<ControlExtensions> extensions() {
    return CompletableFuture.completedFuture(ControlExtensions.NONE);
  }

  /**
   * Every dataset (as {@link #listAllDatasetsConfiguration}), or empty when it is unchanged since
   * this client's last answer to this same call. The ETag is remembered per client instance: one
   * consumer per client (the StateWatcher), or a second consumer may be told "unchanged" for a
   * version it never saw. Fallback: always a full read.
   */
  default CompletionStage<Optional<DatasetsConfiguration>> listAllDatasetsConfigurationIfChanged() {
    return listAllDatasetsConfiguration().thenApply(Optional::of);
  }

  /** {@link #listDatasetsState}, or empty when unchanged since the last such call (as above). */
  default CompletionStage<Optional<List<DatasetState>>> listDatasetsStateIfChanged() {
    return listDatasetsState().thenApply(Optional::of);
  }

  /** {@link #listNodes}, or empty when unchanged since the last such call (as above). */
  default CompletionStage<Optional<List<Node>>> listNodesIfChanged() {
    return listNodes().thenApply(Optional::of);
  }

  /**
   * {@link #listLeases}, or empty when no lease was acquired, released, expired or moved since the
   * last such call (a renewal's new expiry alone does not count: the ETag is weak).
   */
  default CompletionStage<Optional<List<Lease>>> listLeasesIfChanged() {
    return listLeases().thenApply(Optional::of);
  }

  /**
   * {@link #listReports}, or empty when no host's reported content changed since the last such
   * call (a heartbeat's new seq alone does not count: the ETag is weak).
   */
  default CompletionStage<Optional<List<NodeReport>>> listReportsIfChanged() {
    return listReports().thenApply(Optional::of);
  }

  /**
   * Waits for a change worth re-reading (datasets, lease holders, hosts' reported content): with
   * the watch extension a long-poll of at most {@code watchTimeout}, completing true on a change
   * and false when it timed out (re-arm at once: an idle agent costs one small request per
   * timeout, whatever the number of datasets). Fallback: true after {@code pollInterval}, i.e.
   * today's timed polling. Either way the caller then reads with the {@code IfChanged} methods.
   */
  default CompletionStage<Boolean> awaitChange(Duration watchTimeout, Duration pollInterval) {
    return timedPoll(pollInterval);
  }

  /** The fallback of {@link #awaitChange}: "maybe changed" after {@code pollInterval}. */
  static CompletionStage<Boolean> timedPoll(Duration pollInterval) {
    return CompletableFuture.supplyAsync(() -> true,
        CompletableFuture.delayedExecutor(pollInterval.toMillis(), TimeUnit.MILLISECONDS));
  }

  /**
   * Creates {@code request} (whose metadata carries the {@code name}) unless a live dataset
   * already carries that name. With the extension one atomic request; fallback: read the whole
   * configuration, then a create conditional on its tag, again on a 412, at most
   * {@link #NAMED_CREATE_ATTEMPTS} times (then CONFIGURATION_CHANGED).
   */
  default CompletionStage<NamedCreate> createDatasetIfNameUnused(CreateDatasetRequest request) {
    return NamedCreates.byTag(this, request, NAMED_CREATE_ATTEMPTS);
  }

  /**
   * The change feed (docs/control-api-extensions.md §4): with {@code since} empty, the version to
   * start from (do one full read after it); else every dataset whose configuration, state or lease
   * holder changed after {@code since}, held up to {@code timeout} when none has, and the next
   * version; {@link ChangeFeedAnswer.Gone} when the service no longer reaches back that far.
   * Fallback: {@link ChangeFeedAnswer.NotOffered}, and the caller watches and re-reads lists.
   */
  default CompletionStage<ChangeFeedAnswer> changesSince(Optional<String> since,
      Duration timeout) {
    return CompletableFuture.completedFuture(ChangeFeedAnswer.NotOffered.INSTANCE);
  }

  /**
   * The live dataset named {@code name} and its lease (null if none), empty when no live dataset
   * has that name. With the extension one small read; fallback: the whole configuration, and the
   * leases when the dataset exists.
   */
  default CompletionStage<Optional<NamedDataset>> datasetByName(String name) {
    return byNameFromLists(this, name);
  }

  /** The fallback of {@link #datasetByName}: the configuration, then the leases if found. */
  static CompletionStage<Optional<NamedDataset>> byNameFromLists(FlockerClient c, String name) {
    return c.listDatasetsConfiguration().thenCompose(config -> config.byName(name)
        .map(d -> c.listLeases().thenApply(leases -> Optional.of(new NamedDataset(d,
            leases.stream().filter(l -> l.datasetId().equals(d.datasetId())).findFirst()
                .orElse(null)))))
        .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty())));
  }

  /** Tries of the fallback create before it gives up under a busy configuration. */
  int NAMED_CREATE_ATTEMPTS = 20;
}
