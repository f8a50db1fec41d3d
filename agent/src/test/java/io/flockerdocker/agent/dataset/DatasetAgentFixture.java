package io.flockerdocker.agent.dataset;

import io.flockerdocker.agent.catalog.StateWatcher;
import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.catalog.VolumeCatalog;
import io.flockerdocker.agent.cluster.Nodes;
import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.config.DatasetSettings;
import io.flockerdocker.agent.flocker.FakeFlockerClient;
import io.flockerdocker.agent.metrics.AgentMetrics;
import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;

/** One host's DatasetAgent in a test: its directory root, backend, metrics and actor. */
final class DatasetAgentFixture {
  final String uuid;
  final String name;
  final Path root;
  final AgentMetrics metrics;
  final ServedCopies served = new ServedCopies();
  final ActorRef<DatasetAgent.Command> agent;

  DatasetAgentFixture(ActorTestKit kit, String name, String uuid, Path root,
      FakeFlockerClient fake, LocalCopyClient client, Executor io) {
    this.uuid = uuid;
    this.name = name;
    this.root = root;
    VolumeCatalog catalog = new VolumeCatalog(uuid, Path.of("/flocker"), new Nodes());
    this.metrics = new AgentMetrics(uuid, new Nodes(), catalog);
    DatasetSettings settings = AgentSettings.create(DatasetSettingsTest.with(Map.of(
        "flocker-docker.dataset.root", root.toString(),
        "flocker-docker.dataset.tls", "off",
        "flocker-docker.dataset.port", "0"))).dataset();
    client.host(uuid, root);
    // the node's reader, as the Guardian wires it: the fake has no watch, so it polls each second
    kit.spawn(StateWatcher.create(fake, catalog, Duration.ofSeconds(1), Duration.ofMillis(100),
        true));
    DatasetAgentDeps deps = new DatasetAgentDeps(settings, uuid, name, 4524, fake, catalog,
        new DirectoryBackend(root, 1 << 20, Clock.systemUTC()), client, served, metrics, io,
        u -> u.equals(uuid) ? name : "node-" + u.substring(0, 4), 1000);
    this.agent = kit.spawn(DatasetAgent.create(deps), "dataset-agent-" + name + "-"
        + java.util.UUID.randomUUID());
  }

  /** This host's copy of {@code datasetId} in its last report, if any. */
  Optional<ReportedDataset> reported(FakeFlockerClient fake, String datasetId) {
    return fake.listReports().toCompletableFuture().join().stream()
        .filter(r -> r.uuid().equals(uuid)).findFirst()
        .flatMap(r -> r.datasets().stream().filter(d -> d.datasetId().equals(datasetId))
            .findFirst());
  }

  Optional<NodeReport> report(FakeFlockerClient fake) {
    return fake.listReports().toCompletableFuture().join().stream()
        .filter(r -> r.uuid().equals(uuid)).findFirst();
  }
}
