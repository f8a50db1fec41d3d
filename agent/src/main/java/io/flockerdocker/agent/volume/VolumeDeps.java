package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.AgentSettings;
import io.flockerdocker.agent.cluster.Nodes;
import io.flockerdocker.agent.flocker.FlockerClient;
import io.flockerdocker.agent.flocker.StateWatcher;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a volume entity needs from the node hosting it: that node's Flocker client and
 * StateWatcher, the read models, the settings and a clock (injected so tests control time).
 */
public record VolumeDeps(
    FlockerClient flocker,
    ActorRef<StateWatcher.Command> watcher,
    VolumeCatalog catalog,
    Nodes nodes,
    AgentSettings settings,
    Clock clock) {}
