package io.flockerdocker.sim.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.flocker.FlockerClient;
import io.flockerdocker.agent.flocker.FlockerClientContract;
import io.flockerdocker.agent.flocker.HttpFlockerClient;
import io.flockerdocker.control.ControlService;
import io.flockerdocker.control.ControlSettings;
import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole FlockerClient contract against the agent's real HttpFlockerClient and the real
 * control service over HTTP on loopback. The hosts are played by {@link Hosts}: one converge
 * step reports every dataset manifest on its primary unless a lease holds it where it is.
 */
class HttpFlockerClientContractTest extends FlockerClientContract {
  @TempDir static Path dir;
  static ActorTestKit testKit;
  static ControlService service;
  static FlockerClient client;
  static Hosts hosts;

  @BeforeAll
  static void start() throws Exception {
    service = ControlService.start(ControlSettings.defaults(dir.resolve("data")))
        .toCompletableFuture().get();
    testKit = ActorTestKit.create("HttpFlockerClientContractTest");
    client = new HttpFlockerClient(testKit.system(), URI.create(service.url()), Optional.empty(),
        Duration.ofSeconds(10));
    hosts = new Hosts(service.url(), UUID.randomUUID().toString(), UUID.randomUUID().toString());
    hosts.report();
  }

  @AfterAll
  static void stop() throws Exception {
    testKit.shutdownTestKit();
    service.stop().toCompletableFuture().get();
  }

  @org.junit.jupiter.api.Test
  void an_unchanged_report_is_a_heartbeat_without_the_dataset_list() {
    String host = UUID.randomUUID().toString();
    List<ReportedDataset> held = java.util.stream.IntStream.range(0, 50).mapToObj(i -> {
      String id = UUID.randomUUID().toString();
      return new ReportedDataset(id, ReportedDataset.MANIFEST, "/data/" + id, 1, null, null);
    }).toList();
    await(client.reportOrHeartbeat(
        new NodeReport(host, "10.9.9.5", 4524, "directory", 1000, 1, held)));
    long before = service.requestBytes();
    await(client.reportOrHeartbeat(
        new NodeReport(host, "10.9.9.5", 4524, "directory", 1000, 2, held)));
    org.assertj.core.api.Assertions.assertThat(service.requestBytes() - before)
        .as("a heartbeat without the dataset list").isZero();
  }

  @Override
  protected FlockerClient client() {
    return client;
  }

  @Override
  protected void converge() {
    hosts.converge(await(client.listDatasetsConfiguration()).datasets(),
        await(client.listLeases()));
    assertThat(stateMatchesConfiguration()).as("state matches configuration").isTrue();
  }

  @Override
  protected String nodeA() {
    return hosts.a;
  }

  @Override
  protected String nodeB() {
    return hosts.b;
  }

  /** Two hosts' dataset agents reduced to the rule the contract relies on. */
  static final class Hosts {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String url;
    final String a;
    final String b;
    /** dataset id to the host that holds it manifest. */
    private final Map<String, String> holder = new HashMap<>();
    private long seq;

    Hosts(String url, String a, String b) {
      this.url = url;
      this.a = a;
      this.b = b;
    }

    /** A leased dataset never moves; an unleased one goes to its primary or, deleted, away. */
    synchronized void converge(List<DatasetConfiguration> live, List<Lease> leases) {
      Map<String, String> leased =
          leases.stream().collect(Collectors.toMap(Lease::datasetId, Lease::nodeUuid));
      Set<String> liveIds =
          live.stream().map(DatasetConfiguration::datasetId).collect(Collectors.toSet());
      holder.keySet().removeIf(id -> !liveIds.contains(id) && !leased.containsKey(id));
      for (DatasetConfiguration d : live) {
        String held = holder.get(d.datasetId());
        if (held == null || !held.equals(leased.get(d.datasetId()))) {
          holder.put(d.datasetId(), d.primary());
        }
      }
      report();
    }

    synchronized void report() {
      seq++;
      for (String node : List.of(a, b)) {
        List<ReportedDataset> mine = holder.entrySet().stream()
            .filter(e -> e.getValue().equals(node))
            .map(e -> new ReportedDataset(e.getKey(), ReportedDataset.MANIFEST,
                "/flocker/" + e.getKey(), 1, null, null))
            .toList();
        put(node, new NodeReport(node, "127.0.0.1", 4524, "directory", 1, seq, mine));
      }
    }

    private void put(String node, NodeReport report) {
      try {
        HttpResponse<String> r = http.send(
            HttpRequest.newBuilder(URI.create(url + "/v1/state/nodes/" + node))
                .PUT(HttpRequest.BodyPublishers.ofString(Json.write(report))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while reporting", e);
      }
    }
  }
}
