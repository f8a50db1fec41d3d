package io.flockerdocker.agent.flocker;

import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.flocker.FlockerException.Kind;
import io.flockerdocker.agent.flocker.FlockerReplies.Reply;
import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.NamedDataset;
import io.flockerdocker.protocol.flocker.Node;
import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.UpdateDatasetRequest;
import io.flockerdocker.protocol.flocker.VersionResponse;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * {@link FlockerClient} over Pekko HTTP's pooled client, plain HTTP or mutual TLS ({@link
 * FlockerTls}). Every call is bounded by the request timeout, a missing answer is UNREACHABLE, and
 * every other failure is classified by {@link FlockerReplies} ({@link FlockerHttp}). Never blocks.
 * The scale extensions are used when the service advertises them ({@link HttpExtensions}).
 */
public final class HttpFlockerClient implements FlockerClient {
  static final String TAG = FlockerHttp.TAG;
  static final String IF_MATCHES = "X-If-Configuration-Matches";

  private final FlockerHttp http;
  private final HttpExtensions extensions;

  /**
   * @param baseUrl the control service, e.g. {@code https://control:4523} ({@code /v1} is added)
   * @param tls mutual TLS for https URLs; empty means the JDK default context (plain http only)
   */
  public HttpFlockerClient(
      ClassicActorSystemProvider system, URI baseUrl, Optional<FlockerTls> tls, Duration timeout) {
    this.http = new FlockerHttp(system, baseUrl.toString().replaceAll("/+$", ""), tls, timeout);
    this.extensions = new HttpExtensions(http, this);
  }

  /** The production client: URL, TLS files and timeout from the agent settings. */
  public static HttpFlockerClient create(ClassicActorSystemProvider system, AgentSettings s) {
    return new HttpFlockerClient(
        system, s.flockerUrl(), s.flockerTls().map(FlockerTls::load), s.flockerRequestTimeout());
  }

  @Override
  public CompletionStage<String> version() {
    return http.get("/v1/version",
            r -> FlockerReplies.object(r, "GET /v1/version", VersionResponse.class))
        .thenApply(VersionResponse::flocker);
  }

  @Override
  public CompletionStage<DatasetsConfiguration> listDatasetsConfiguration() {
    return listAllDatasetsConfiguration().thenApply(all -> new DatasetsConfiguration(
        all.tag(), all.datasets().stream().filter(d -> !d.deleted()).toList()));
  }

  @Override
  public CompletionStage<DatasetsConfiguration> listAllDatasetsConfiguration() {
    return http.get("/v1/configuration/datasets", HttpFlockerClient::configuration);
  }

  @Override
  public CompletionStage<DatasetConfiguration> createDataset(
      CreateDatasetRequest request, Optional<String> ifConfigurationMatches) {
    HttpRequest req = http.post("/v1/configuration/datasets", request);
    if (ifConfigurationMatches.isPresent()) {
      req = req.addHeader(RawHeader.create(IF_MATCHES, ifConfigurationMatches.get()));
    }
    return http.call(req, Kind.DATASET_EXISTS, DatasetConfiguration.class);
  }

  @Override
  public CompletionStage<DatasetConfiguration> moveDataset(String datasetId, String primaryUuid) {
    HttpRequest req =
        http.post("/v1/configuration/datasets/" + FlockerHttp.segment(datasetId),
            new UpdateDatasetRequest(primaryUuid));
    return http.call(req, Kind.SERVER_ERROR, DatasetConfiguration.class);
  }

  @Override
  public CompletionStage<DatasetConfiguration> deleteDataset(String datasetId) {
    HttpRequest req = http.request(HttpMethods.DELETE,
        "/v1/configuration/datasets/" + FlockerHttp.segment(datasetId));
    return http.call(req, Kind.SERVER_ERROR, DatasetConfiguration.class);
  }

  @Override
  public CompletionStage<List<DatasetState>> listDatasetsState() {
    return getList("/v1/state/datasets", DatasetState.class);
  }

  @Override
  public CompletionStage<List<Node>> listNodes() {
    return getList("/v1/state/nodes", Node.class);
  }

  @Override
  public CompletionStage<List<Lease>> listLeases() {
    return getList("/v1/configuration/leases", Lease.class);
  }

  @Override
  public CompletionStage<Lease> acquireLease(
      String datasetId, String nodeUuid, Optional<Double> expiresSeconds) {
    Lease body = new Lease(datasetId, nodeUuid, expiresSeconds.orElse(null));
    return http.call(http.post("/v1/configuration/leases", body), Kind.LEASE_HELD, Lease.class);
  }

  @Override
  public CompletionStage<Lease> releaseLease(String datasetId) {
    HttpRequest req = http.request(HttpMethods.DELETE,
        "/v1/configuration/leases/" + FlockerHttp.segment(datasetId));
    return http.call(req, Kind.SERVER_ERROR, Lease.class);
  }

  @Override
  public CompletionStage<Void> reportState(NodeReport report) {
    return extensions.report(report);
  }

  @Override
  public CompletionStage<Void> reportOrHeartbeat(NodeReport report) {
    return extensions.reportOrHeartbeat(report);
  }

  @Override
  public CompletionStage<List<NodeReport>> listReports() {
    return getList("/v1/state/reports", NodeReport.class);
  }

  @Override
  public CompletionStage<ControlExtensions> extensions() {
    return extensions.advertised();
  }

  @Override
  public CompletionStage<Optional<DatasetsConfiguration>> listAllDatasetsConfigurationIfChanged() {
    return extensions.ifChanged("/v1/configuration/datasets", HttpFlockerClient::configuration);
  }

  @Override
  public CompletionStage<Optional<List<DatasetState>>> listDatasetsStateIfChanged() {
    return extensions.ifChanged("/v1/state/datasets",
        r -> FlockerReplies.list(r, "GET /v1/state/datasets", DatasetState.class));
  }

  @Override
  public CompletionStage<Optional<List<Node>>> listNodesIfChanged() {
    return extensions.ifChanged("/v1/state/nodes",
        r -> FlockerReplies.list(r, "GET /v1/state/nodes", Node.class));
  }

  @Override
  public CompletionStage<Optional<List<Lease>>> listLeasesIfChanged() {
    return extensions.ifChanged("/v1/configuration/leases",
        r -> FlockerReplies.list(r, "GET /v1/configuration/leases", Lease.class));
  }

  @Override
  public CompletionStage<Optional<List<NodeReport>>> listReportsIfChanged() {
    return extensions.ifChanged("/v1/state/reports",
        r -> FlockerReplies.list(r, "GET /v1/state/reports", NodeReport.class));
  }

  @Override
  public CompletionStage<Boolean> awaitChange(Duration watchTimeout, Duration pollInterval) {
    return extensions.awaitChange(watchTimeout, pollInterval);
  }

  @Override
  public CompletionStage<NamedCreate> createDatasetIfNameUnused(CreateDatasetRequest request) {
    return extensions.createIfNameUnused(request);
  }

  @Override
  public CompletionStage<ChangeFeedAnswer> changesSince(Optional<String> since, Duration timeout) {
    return extensions.changesSince(since, timeout);
  }

  @Override
  public CompletionStage<Optional<NamedDataset>> datasetByName(String name) {
    return extensions.datasetByName(name);
  }

  /** Every dataset and Flocker's tag, which every answer of this list must carry. */
  private static DatasetsConfiguration configuration(Reply r) {
    String what = "GET /v1/configuration/datasets";
    List<DatasetConfiguration> all = FlockerReplies.list(r, what, DatasetConfiguration.class);
    if (r.configurationTag() == null) {
      throw new FlockerException(
          Kind.SERVER_ERROR, r.status(), "control service sent no " + TAG + " to " + what);
    }
    return new DatasetsConfiguration(r.configurationTag(), all);
  }

  private <T> CompletionStage<List<T>> getList(String path, Class<T> type) {
    return http.get(path, r -> FlockerReplies.list(r, "GET " + path, type));
  }
}
