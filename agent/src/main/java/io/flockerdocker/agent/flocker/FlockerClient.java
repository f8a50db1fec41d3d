package io.flockerdocker.agent.flocker;

import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.Node;
import io.flockerdocker.protocol.flocker.NodeReport;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The Flocker control service REST API v1 as the agent uses it. Every call completes (never
 * hangs: implementations bound each request) and fails only with a {@link FlockerException}.
 * Implementations: {@code HttpFlockerClient} (production, mTLS) and {@code FakeFlockerClient}
 * (unit tests); one contract suite holds both to the same behaviour.
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

  /** Every host's last report ({@code GET /v1/state/reports}). */
  CompletionStage<List<NodeReport>> listReports();
}
