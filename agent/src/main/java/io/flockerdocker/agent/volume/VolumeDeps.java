package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.catalog.StateWatcher;
import io.flockerdocker.agent.catalog.VolumeCatalog;
import io.flockerdocker.agent.catalog.VolumeEvents;
import io.flockerdocker.agent.cluster.Nodes;
import io.flockerdocker.agent.flocker.FlockerClient;
import io.flockerdocker.agent.metrics.AgentMetrics;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * What a volume entity needs from the node hosting it: that node's Flocker client and
 * StateWatcher, the read models, the settings, a clock (injected so tests control time) and the
 * agent's metrics (null: nothing is counted), the cluster-wide topic on which creates and
 * removes are announced to every node's catalog (null: not announced), and the node's
 * {@link CreateQueue}.
 */
public record VolumeDeps(
    FlockerClient flocker,
    ActorRef<StateWatcher.Command> watcher,
    VolumeCatalog catalog,
    Nodes nodes,
    AgentSettings settings,
    Clock clock,
    AgentMetrics metrics,
    ActorRef<Topic.Command<VolumeEvents.Event>> events,
    CreateQueue creates) {

  /** Without metrics and without telling other nodes (unit tests of one entity). */
  public VolumeDeps(FlockerClient flocker, ActorRef<StateWatcher.Command> watcher,
      VolumeCatalog catalog, Nodes nodes, AgentSettings settings, Clock clock) {
    this(flocker, watcher, catalog, nodes, settings, clock, null, null, new CreateQueue());
  }
}
