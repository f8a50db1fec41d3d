package io.flockerdocker.sim.control;

import io.flockerdocker.agent.flocker.FlockerClient;
import io.flockerdocker.agent.flocker.FlockerClientContract;
import io.flockerdocker.agent.flocker.HttpFlockerClient;
import io.flockerdocker.control.ControlService;
import io.flockerdocker.control.ControlSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
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
