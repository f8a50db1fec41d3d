package io.flockerdocker.agent.flocker;

import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.Node;
import io.flockerdocker.protocol.flocker.NodeReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A {@link FlockerClient} in front of the fake for tests that watch the calls: every
 * configuration read (the start of a poll) is reported, configuration replies can be held back
 * until the test releases them, and the fake can converge on every state read (dataset agents
 * that act as soon as anyone looks).
 */
public final class ObservedFlocker implements FlockerClient {
  private final FakeFlockerClient fake;
  private final Consumer<String> onConfigRead;
  private final List<CompletableFuture<Void>> held = new ArrayList<>();
  private volatile boolean hold;
  private volatile boolean convergeOnStateRead;

  public ObservedFlocker(FakeFlockerClient fake, Consumer<String> onConfigRead) {
    this.fake = fake;
    this.onConfigRead = onConfigRead;
  }

  public FakeFlockerClient fake() {
    return fake;
  }

  /** While on, configuration reads wait for {@link #release()}. */
  public void hold(boolean on) {
    hold = on;
  }

  /** Answers every held configuration read. */
  public void release() {
    List<CompletableFuture<Void>> now;
    synchronized (held) {
      now = new ArrayList<>(held);
      held.clear();
    }
    now.forEach(f -> f.complete(null));
  }

  public void convergeOnStateRead(boolean on) {
    convergeOnStateRead = on;
  }

  @Override
  public CompletionStage<DatasetsConfiguration> listDatasetsConfiguration() {
    return configurationRead(fake::listDatasetsConfiguration);
  }

  /** The StateWatcher's read: observed and held like {@link #listDatasetsConfiguration}. */
  @Override
  public CompletionStage<Optional<DatasetsConfiguration>> listAllDatasetsConfigurationIfChanged() {
    return configurationRead(() -> fake.listAllDatasetsConfiguration().thenApply(Optional::of));
  }

  private <T> CompletionStage<T> configurationRead(Supplier<CompletionStage<T>> read) {
    onConfigRead.accept("configuration");
    if (!hold) {
      return read.get();
    }
    CompletableFuture<Void> gate = new CompletableFuture<>();
    synchronized (held) {
      held.add(gate);
    }
    return gate.thenCompose(x -> read.get());
  }

  @Override
  public CompletionStage<List<DatasetState>> listDatasetsState() {
    if (convergeOnStateRead) {
      fake.converge();
    }
    return fake.listDatasetsState();
  }

  @Override
  public CompletionStage<DatasetsConfiguration> listAllDatasetsConfiguration() {
    return fake.listAllDatasetsConfiguration();
  }

  @Override
  public CompletionStage<Void> reportState(NodeReport report) {
    return fake.reportState(report);
  }

  @Override
  public CompletionStage<List<NodeReport>> listReports() {
    return fake.listReports();
  }

  @Override
  public CompletionStage<String> version() {
    return fake.version();
  }

  @Override
  public CompletionStage<DatasetConfiguration> createDataset(
      CreateDatasetRequest request, Optional<String> ifConfigurationMatches) {
    return fake.createDataset(request, ifConfigurationMatches);
  }

  @Override
  public CompletionStage<DatasetConfiguration> moveDataset(String datasetId, String primaryUuid) {
    return fake.moveDataset(datasetId, primaryUuid);
  }

  @Override
  public CompletionStage<DatasetConfiguration> deleteDataset(String datasetId) {
    return fake.deleteDataset(datasetId);
  }

  @Override
  public CompletionStage<List<Node>> listNodes() {
    return fake.listNodes();
  }

  @Override
  public CompletionStage<List<Lease>> listLeases() {
    return fake.listLeases();
  }

  @Override
  public CompletionStage<Lease> acquireLease(
      String datasetId, String nodeUuid, Optional<Double> expiresSeconds) {
    return fake.acquireLease(datasetId, nodeUuid, expiresSeconds);
  }

  @Override
  public CompletionStage<Lease> releaseLease(String datasetId) {
    return fake.releaseLease(datasetId);
  }
}
