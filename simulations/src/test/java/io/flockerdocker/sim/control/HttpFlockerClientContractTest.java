package io.flockerdocker.sim.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.flocker.FlockerClient;
import io.flockerdocker.agent.flocker.FlockerClientContract;
import io.flockerdocker.agent.flocker.HttpFlockerClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole FlockerClient contract against the agent's real HttpFlockerClient and the embedded
 * control service over real HTTP on loopback: the fake and the real client must agree.
 */
class HttpFlockerClientContractTest extends FlockerClientContract {
  @TempDir static Path dir;
  static ActorTestKit testKit;
  static ControlService service;
  static ControlSettings settings;
  static FlockerClient client;

  @BeforeAll
  static void start() throws Exception {
    settings = ControlSettings.defaults(dir.resolve("data"));
    service = ControlService.start(settings).toCompletableFuture().get();
    testKit = ActorTestKit.create("HttpFlockerClientContractTest");
    client = new HttpFlockerClient(testKit.system(), URI.create(service.url()), Optional.empty(),
        Duration.ofSeconds(10));
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

  /** The embedded agents converge every 25 ms; poll (30 s cap catches a hang, not slowness). */
  @Override
  protected void converge() {
    Instant limit = Instant.now().plusSeconds(30);
    while (!stateMatchesConfiguration()) {
      assertThat(Instant.now()).as("state never matched configuration").isBefore(limit);
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Override
  protected String nodeA() {
    return settings.nodes().get(0).uuid();
  }

  @Override
  protected String nodeB() {
    return settings.nodes().get(1).uuid();
  }
}
