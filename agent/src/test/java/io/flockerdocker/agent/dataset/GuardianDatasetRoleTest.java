package io.flockerdocker.agent.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.AgentConfig;
import io.flockerdocker.agent.AgentDeps;
import io.flockerdocker.agent.AgentServers;
import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.Guardian;
import io.flockerdocker.agent.dataset.transfer.DataClient;
import io.flockerdocker.agent.dataset.transfer.DataServer;
import io.flockerdocker.agent.dataset.transfer.SourceResolver;
import io.flockerdocker.agent.flocker.FakeFlockerClient;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.Node;
import io.flockerdocker.protocol.flocker.NodeReport;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Guardian starts the data server and the DatasetAgent, and stops the server at shutdown. */
class GuardianDatasetRoleTest {
  static final String SELF = UUID.randomUUID().toString();
  @TempDir Path dir;

  /** A data server that only records what it was given. */
  static final class StubServer implements DataServer {
    final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public int port() {
      return 45999;
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  @Test
  void theAgentReportsWithTheServersPortAndStopsTheServerAtShutdown() throws Exception {
    FakeFlockerClient fake = new FakeFlockerClient(List.of(new Node("127.0.0.1", SELF)));
    int statusPort;
    try (ServerSocket s = new ServerSocket(0)) {
      statusPort = s.getLocalPort();
    }
    // a loopback cluster of one: plain TCP, no node certificate needed
    Config config = AgentConfig.load(ConfigFactory.parseString("flocker-docker.cluster.tls = off")
        .withFallback(ConfigFactory.parseMap(Map.of(
        "flocker-docker.node.name", "node1",
        "flocker-docker.node.uuid", SELF,
        "flocker-docker.plugin.socket", dir.resolve("flocker.sock").toString(),
        "flocker-docker.flocker.url", "http://127.0.0.1:9",
        "flocker-docker.state-dir", dir.resolve("state").toString(),
        "flocker-docker.status.port", statusPort,
        "flocker-docker.dataset.root", dir.resolve("data").toString(),
        "flocker-docker.dataset.tls", "off",
        "pekko.remote.artery.canonical.port", 0,
        "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on"))
        // not the default /run/flocker-docker: tests must not share (or need) a system path
        .withFallback(ConfigFactory.parseMap(Map.of("flocker-docker.status.admin-socket",
            dir.resolve("adm/a.sock").toString())))
        .withFallback(ConfigFactory.parseString("flocker-docker.flocker.allow-plaintext = on"))));
    StubServer server = new StubServer();
    AtomicReference<SourceResolver> resolver = new AtomicReference<>();
    DataClient client = new LocalCopyClient();
    DataPlane plane = new DataPlane() {
      @Override
      public DataClient client() {
        return client;
      }

      @Override
      public DataServer serve(SourceResolver r) {
        resolver.set(r);
        return server;
      }
    };
    AgentDeps deps = AgentDeps.create(AgentSettings.create(config), Map.of(), sys -> fake,
        Optional.of(plane));
    ActorSystem<Void> system =
        ActorSystem.create(Guardian.create(deps, new AgentServers()), "dataset-role", config);
    try {
      String id = fake.createDataset(new CreateDatasetRequest(SELF, null, null,
          Map.of("name", "v1")), Optional.empty()).toCompletableFuture().join().datasetId();
      NodeReport r = awaitReport(fake, id, Duration.ofSeconds(20));
      assertThat(r.dataPort()).isEqualTo(45999);
      assertThat(r.backend()).isEqualTo("directory");
      assertThat(resolver.get().resolve(id, SELF).allowed()).isFalse(); // manifest: not served
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    assertThat(server.closed).isTrue();
  }

  private static NodeReport awaitReport(FakeFlockerClient fake, String id, Duration limit)
      throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < end) {
      Optional<NodeReport> r = fake.listReports().toCompletableFuture().join().stream()
          .filter(x -> x.uuid().equals(SELF)
              && x.datasets().stream().anyMatch(d -> d.datasetId().equals(id)))
          .findFirst();
      if (r.isPresent()) {
        return r.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no report of " + id + " from " + SELF + " within " + limit);
  }
}
