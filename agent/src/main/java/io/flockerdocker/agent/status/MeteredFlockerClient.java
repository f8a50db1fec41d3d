package io.flockerdocker.agent.status;

import io.flockerdocker.agent.flocker.ChangeFeedAnswer;
import io.flockerdocker.agent.flocker.ControlExtensions;
import io.flockerdocker.agent.flocker.DatasetsConfiguration;
import io.flockerdocker.agent.flocker.FlockerClient;
import io.flockerdocker.agent.flocker.FlockerException;
import io.flockerdocker.agent.flocker.NamedCreate;
import io.flockerdocker.agent.metrics.AgentMetrics;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.NamedDataset;
import io.flockerdocker.protocol.flocker.Node;
import io.flockerdocker.protocol.flocker.NodeReport;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Counts every control-service call by REST endpoint (ids folded into {@code {id}}, so the label
 * set stays small) and outcome ({@code ok} or the FlockerException kind); wraps any client.
 */
public final class MeteredFlockerClient implements FlockerClient {
  private final FlockerClient inner;
  private final AgentMetrics metrics;

  public MeteredFlockerClient(FlockerClient inner, AgentMetrics metrics) {
    this.inner = inner;
    this.metrics = metrics;
  }

  @Override
  public CompletionStage<String> version() {
    return count("GET /v1/version", inner.version());
  }

  @Override
  public CompletionStage<DatasetsConfiguration> listDatasetsConfiguration() {
    return count("GET /v1/configuration/datasets", inner.listDatasetsConfiguration());
  }

  @Override
  public CompletionStage<DatasetConfiguration> createDataset(
      CreateDatasetRequest request, Optional<String> ifConfigurationMatches) {
    return count("POST /v1/configuration/datasets",
        inner.createDataset(request, ifConfigurationMatches));
  }

  @Override
  public CompletionStage<DatasetConfiguration> moveDataset(String datasetId, String primaryUuid) {
    return count("POST /v1/configuration/datasets/{id}",
        inner.moveDataset(datasetId, primaryUuid));
  }

  @Override
  public CompletionStage<DatasetConfiguration> deleteDataset(String datasetId) {
    return count("DELETE /v1/configuration/datasets/{id}", inner.deleteDataset(datasetId));
  }

  @Override
  public CompletionStage<DatasetsConfiguration> listAllDatasetsConfiguration() {
    return count("GET /v1/configuration/datasets", inner.listAllDatasetsConfiguration());
  }

  @Override
  public CompletionStage<Void> reportState(NodeReport report) {
    return count("PUT /v1/state/nodes/{uuid}", inner.reportState(report));
  }

  @Override
  public CompletionStage<Void> reportOrHeartbeat(NodeReport report) {
    return count("PUT /v1/state/nodes/{uuid} or heartbeat", inner.reportOrHeartbeat(report));
  }

  @Override
  public CompletionStage<List<NodeReport>> listReports() {
    return count("GET /v1/state/reports", inner.listReports());
  }

  @Override
  public CompletionStage<List<DatasetState>> listDatasetsState() {
    return count("GET /v1/state/datasets", inner.listDatasetsState());
  }

  @Override
  public CompletionStage<List<Node>> listNodes() {
    return count("GET /v1/state/nodes", inner.listNodes());
  }

  @Override
  public CompletionStage<List<Lease>> listLeases() {
    return count("GET /v1/configuration/leases", inner.listLeases());
  }

  @Override
  public CompletionStage<Lease> acquireLease(
      String datasetId, String nodeUuid, Optional<Double> expiresSeconds) {
    return count("POST /v1/configuration/leases",
        inner.acquireLease(datasetId, nodeUuid, expiresSeconds));
  }

  @Override
  public CompletionStage<Lease> releaseLease(String datasetId) {
    return count("DELETE /v1/configuration/leases/{id}", inner.releaseLease(datasetId));
  }

  @Override
  public CompletionStage<ControlExtensions> extensions() {
    return inner.extensions();
  }

  @Override
  public CompletionStage<Optional<DatasetsConfiguration>> listAllDatasetsConfigurationIfChanged() {
    return count("GET /v1/configuration/datasets", inner.listAllDatasetsConfigurationIfChanged());
  }

  @Override
  public CompletionStage<Optional<List<DatasetState>>> listDatasetsStateIfChanged() {
    return count("GET /v1/state/datasets", inner.listDatasetsStateIfChanged());
  }

  @Override
  public CompletionStage<Optional<List<Node>>> listNodesIfChanged() {
    return count("GET /v1/state/nodes", inner.listNodesIfChanged());
  }

  @Override
  public CompletionStage<Optional<List<Lease>>> listLeasesIfChanged() {
    return count("GET /v1/configuration/leases", inner.listLeasesIfChanged());
  }

  @Override
  public CompletionStage<Optional<List<NodeReport>>> listReportsIfChanged() {
    return count("GET /v1/state/reports", inner.listReportsIfChanged());
  }

  @Override
  public CompletionStage<Boolean> awaitChange(Duration watchTimeout, Duration pollInterval) {
    // the fallback is a timed wait, no request: nothing to count
    return inner.extensions().thenCompose(x -> x.has(ControlExtensions.WATCH)
        ? count("GET /v1/x/watch", inner.awaitChange(watchTimeout, pollInterval))
        : FlockerClient.super.awaitChange(watchTimeout, pollInterval));
  }

  @Override
  public CompletionStage<NamedCreate> createDatasetIfNameUnused(CreateDatasetRequest request) {
    // the fallback's read and conditional POSTs go through this wrapper, each counted as itself
    return inner.extensions().thenCompose(x -> x.has(ControlExtensions.CREATE_IF_NAME_UNUSED)
        ? count("PUT /v1/x/datasets-by-name/{name}", inner.createDatasetIfNameUnused(request))
        : FlockerClient.super.createDatasetIfNameUnused(request));
  }

  @Override
  public CompletionStage<ChangeFeedAnswer> changesSince(Optional<String> since,
      Duration timeout) {
    // the fallback sends nothing: nothing to count
    return inner.extensions().thenCompose(x -> x.has(ControlExtensions.CHANGES)
        ? count("GET /v1/x/changes", inner.changesSince(since, timeout))
        : FlockerClient.super.changesSince(since, timeout));
  }

  @Override
  public CompletionStage<Optional<NamedDataset>> datasetByName(String name) {
    // the fallback's list reads go through this wrapper, each counted as itself
    return inner.extensions().thenCompose(x -> x.has(ControlExtensions.DATASETS_BY_NAME)
        ? count("GET /v1/x/datasets-by-name/{name}", inner.datasetByName(name))
        : FlockerClient.super.datasetByName(name));
  }

  private <T> CompletionStage<T> count(String endpoint, CompletionStage<T> call) {
    return call.whenComplete((v, e) -> metrics.flockerCall(endpoint, e == null ? "ok"
        : FlockerException.of(e).map(f -> f.kind().name().toLowerCase(Locale.ROOT))
            .orElse("error")));
  }
}
