package io.flockerdocker.sim.control;

import io.flockerdocker.agent.flocker.FlockerClient;
import io.flockerdocker.agent.flocker.FlockerClientContract;
import io.flockerdocker.agent.flocker.HttpFlockerClient;
import io.flockerdocker.control.ControlService;
import io.flockerdocker.control.ControlSettings;
import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole FlockerClient contract against a control service with its extensions off, i.e. a
 * plain Flocker v1 API: HttpFlockerClient's fallbacks (full reads, create by tag) must hold it.
 */
class PlainFlockerContractTest extends FlockerClientContract {
  @TempDir static Path dir;
  static ActorTestKit testKit;
  static ControlService service;
  static FlockerClient client;
  static HttpFlockerClientContractTest.Hosts hosts;

  @BeforeAll
  static void start() throws Exception {
    service = ControlService.start(ControlSettings.defaults(dir.resolve("data"))
        .withExtensions(false)).toCompletableFuture().get();
    testKit = ActorTestKit.create("PlainFlockerContractTest");
    client = new HttpFlockerClient(testKit.system(), URI.create(service.url()), Optional.empty(),
        Duration.ofSeconds(10));
    hosts = new HttpFlockerClientContractTest.Hosts(service.url(), UUID.randomUUID().toString(),
        UUID.randomUUID().toString());
    hosts.report();
  }

  @AfterAll
  static void stop() throws Exception {
    testKit.shutdownTestKit();
    service.stop().toCompletableFuture().get();
  }

  @org.junit.jupiter.api.Test
  void an_unchanged_report_is_sent_in_full_without_the_extension() {
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
        .as("the full report again (no heartbeat extension)").isGreaterThan(50L * 36);
  }

  @Override
  protected FlockerClient client() {
    return client;
  }

  @Override
  protected void converge() {
    hosts.converge(await(client.listDatasetsConfiguration()).datasets(),
        await(client.listLeases()));
    org.assertj.core.api.Assertions.assertThat(stateMatchesConfiguration())
        .as("state matches configuration").isTrue();
  }

  @Override
  protected String nodeA() {
    return hosts.a;
  }

  @Override
  protected String nodeB() {
    return hosts.b;
  }
}
