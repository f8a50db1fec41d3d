package io.flockerdocker.agent;

import io.flockerdocker.agent.catalog.CatalogFile;
import io.flockerdocker.agent.catalog.VolumeCatalog;
import io.flockerdocker.agent.cluster.Nodes;
import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.dataset.DataPlane;
import io.flockerdocker.agent.flocker.FlockerClient;
import io.flockerdocker.agent.metrics.AgentMetrics;
import io.flockerdocker.agent.mounts.MountTableHealth;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Everything the Guardian wires, built before the actor system starts (Main) or by a test: the
 * settings, the mount journal's loaded table, the saved catalog being read, and a factory for the Flocker client (it needs
 * the system for Pekko HTTP), the read models and this agent's metrics registry. Tests pass a
 * fake client here instead of HTTP, and their own data plane (empty: no dataset agent role, for
 * harnesses whose control service still simulates the hosts).
 */
public record AgentDeps(
    AgentSettings settings,
    Map<String, Map<String, Integer>> journaledMounts,
    Function<ActorSystem<?>, FlockerClient> flockerFactory,
    Nodes nodes,
    VolumeCatalog catalog,
    Clock clock,
    AgentMetrics metrics,
    Optional<DataPlane> dataPlane,
    MountTableHealth mountTableHealth,
    CompletionStage<Optional<CatalogFile.Saved>> savedCatalog) {

  /** Without the dataset agent role. */
  public static AgentDeps create(AgentSettings settings,
      Map<String, Map<String, Integer>> journaledMounts,
      Function<ActorSystem<?>, FlockerClient> flockerFactory) {
    return create(settings, journaledMounts, flockerFactory, Optional.empty());
  }

  public static AgentDeps create(AgentSettings settings,
      Map<String, Map<String, Integer>> journaledMounts,
      Function<ActorSystem<?>, FlockerClient> flockerFactory, Optional<DataPlane> dataPlane) {
    Nodes nodes = new Nodes();
    VolumeCatalog catalog =
        new VolumeCatalog(settings.nodeUuid(), settings.dataset().root(), nodes);
    // read while the actor system starts: the watcher follows the feed from it (CatalogFile)
    CompletionStage<Optional<CatalogFile.Saved>> saved = settings.catalogSaveInterval().isPresent()
        ? new CatalogFile(settings.stateDir()).readInBackground()
        : CompletableFuture.completedFuture(Optional.empty());
    return new AgentDeps(settings, journaledMounts, flockerFactory, nodes, catalog,
        Clock.systemUTC(), new AgentMetrics(settings.nodeUuid(), nodes, catalog), dataPlane,
        new MountTableHealth(), saved);
  }
}
