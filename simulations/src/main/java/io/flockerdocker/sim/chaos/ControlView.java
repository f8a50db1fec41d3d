package io.flockerdocker.sim.chaos;

import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the control service says, read over its HTTP API exactly as an operator would:
 * configuration (dataset ids by volume name), observed state (where each dataset is mounted)
 * and leases.
 */
record ControlView(List<DatasetConfiguration> config, List<DatasetState> state,
    List<Lease> leases) {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static ControlView read(String baseUrl) throws IOException, InterruptedException {
    try {
      return new ControlView(
          Json.readList(get(baseUrl, "/v1/configuration/datasets"), DatasetConfiguration.class),
          Json.readList(get(baseUrl, "/v1/state/datasets"), DatasetState.class),
          Json.readList(get(baseUrl, "/v1/configuration/leases"), Lease.class));
    } catch (io.flockerdocker.protocol.ProtocolException e) {
      throw new IOException("control service sent an invalid body: " + e.getMessage(), e);
    }
  }

  Optional<String> datasetId(String volume) {
    return config.stream().filter(d -> !d.deleted() && volume.equals(d.name()))
        .map(DatasetConfiguration::datasetId).findFirst();
  }

  Optional<DatasetState> stateOf(String datasetId) {
    return state.stream().filter(s -> s.datasetId().equals(datasetId)).findFirst();
  }

  Optional<Lease> leaseOf(String datasetId) {
    return leases.stream().filter(l -> l.datasetId().equals(datasetId)).findFirst();
  }

  /** The volume name of a dataset id, or the id itself for datasets no plugin made. */
  String nameOf(String datasetId) {
    return config.stream().filter(d -> d.datasetId().equals(datasetId))
        .map(d -> d.name() == null ? datasetId : d.name()).findFirst().orElse(datasetId);
  }

  private static byte[] get(String baseUrl, String path) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + r.statusCode());
    }
    return r.body();
  }
}
