package io.flockerdocker.agent;

import io.flockerdocker.agent.catalog.CatalogFeed;
import io.flockerdocker.agent.catalog.CatalogFile;
import io.flockerdocker.agent.catalog.CatalogSaver;
import io.flockerdocker.agent.catalog.StateWatcher;
import io.flockerdocker.agent.catalog.VolumeEvents;
import io.flockerdocker.agent.cluster.NodeDirectory;
import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.dataset.DatasetRole;
import io.flockerdocker.agent.flocker.FlockerClient;
import io.flockerdocker.agent.mounts.MountJournal;
import io.flockerdocker.agent.mounts.MountTable;
import io.flockerdocker.agent.mounts.MountTableHealth;
import io.flockerdocker.agent.status.MeteredFlockerClient;
import io.flockerdocker.agent.volume.CreateQueue;
import io.flockerdocker.agent.volume.LeaseKeeper;
import io.flockerdocker.agent.volume.NodeRef;
import io.flockerdocker.agent.volume.VolumeCommands;
import io.flockerdocker.agent.volume.VolumeDeps;
import io.flockerdocker.agent.volume.VolumeEntity;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * Wires one node agent and does nothing else: the MountTable (from the journal loaded before
 * start), the node directory, the StateWatcher, the sharded volume entities, the dataset agent
 * role (when AgentDeps carries a data plane), and then the
 * plugin and status servers, which open last so dockerd is never answered from an empty view.
 */
public final class Guardian {
  private Guardian() {}

  /** What the servers need once the actors exist. */
  public record Wiring(
      AgentDeps deps,
      NodeRef self,
      FlockerClient flocker,
      ActorRef<StateWatcher.Command> watcher,
      ClusterSharding sharding) {}

  /** Starts the servers; given the wiring, returns nothing (servers register their own stop). */
  public interface Servers {
    void start(org.apache.pekko.actor.typed.ActorSystem<?> system, Wiring wiring);
  }

  public static Behavior<Void> create(AgentDeps deps, Servers servers) {
    return Behaviors.setup(ctx -> {
      AgentSettings s = deps.settings();
      Cluster cluster = Cluster.get(ctx.getSystem());
      if (ctx.getSystem().settings().config().getStringList("pekko.cluster.seed-nodes")
          .isEmpty()) {
        // no seeds configured: a single-node cluster is still a cluster
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
      }
      Executor io = ctx.getSystem().dispatchers()
          .lookup(DispatcherSelector.fromConfig("flocker-docker-io-dispatcher"));
      FlockerClient flocker =
          new MeteredFlockerClient(deps.flockerFactory().apply(ctx.getSystem()), deps.metrics());
      // the dataset agent role converges from the watcher's snapshots, reports included
      ActorRef<StateWatcher.Command> watcher = ctx.spawn(StateWatcher.create(flocker,
          deps.catalog(), s.pollInterval(), s.pollIntervalBusy(), deps.dataPlane().isPresent(),
          deps.savedCatalog()), "state-watcher");
      s.catalogSaveInterval().ifPresent(every -> {
        ActorRef<CatalogSaver.Command> saver = ctx.spawn(CatalogSaver.create(deps.catalog(),
            new CatalogFile(s.stateDir()), every, io), "catalog-saver");
        // after the plugin socket closed: the last catalog this node saw, for its next start
        CoordinatedShutdown.get(ctx.getSystem()).addTask(CoordinatedShutdown.PhaseServiceStop(),
            "save-catalog", () -> AskPattern.ask(saver, CatalogSaver.SaveNow::new,
                Duration.ofSeconds(4), ctx.getSystem().scheduler()));
      });
      ActorRef<Topic.Command<VolumeEvents.Event>> events =
          ctx.spawn(Topic.create(VolumeEvents.Event.class, VolumeEvents.TOPIC), "volume-events");
      ctx.spawn(CatalogFeed.create(events, deps.catalog()), "catalog-feed");
      VolumeDeps volumeDeps = new VolumeDeps(flocker, watcher, deps.catalog(), deps.nodes(), s,
          deps.clock(), deps.metrics(), events, new CreateQueue());
      // sharding first: the table pushes its counts to the volumes' entities from its start
      ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
      sharding.init(Entity.<VolumeCommands.Command>of(VolumeEntity.TYPE_KEY,
              entity -> VolumeEntity.create(entity.getEntityId(), volumeDeps))
          .withStopMessage(VolumeCommands.HandOff.INSTANCE));
      String selfUuid = s.nodeUuid();
      ActorRef<MountTable.Command> table = ctx.spawn(
          MountTable.create(new MountJournal(s.stateDir()), deps.journaledMounts(), io,
              deps.metrics()::mountsActive, deps.mountTableHealth(),
              (volume, count, seq, ackTo) -> sharding.entityRefFor(VolumeEntity.TYPE_KEY, volume)
                  .tell(new VolumeCommands.HostCount(selfUuid, count, seq, ackTo))),
          "mount-table");
      // leases this node holds with nothing in its table (a grant it never recorded) get a 0
      deps.catalog().loaded().thenRun(() -> table.tell(
          new MountTable.Leased(deps.catalog().snapshot().leasedBy(selfUuid))));
      ctx.spawn(MountTableHealth.watch(table, deps.mountTableHealth()), "mount-table-watch");
      ctx.getSystem().receptionist().tell(Receptionist.register(NodeDirectory.MOUNT_TABLES,
          table));
      ctx.spawn(NodeDirectory.create(deps.nodes(), deps.clock()), "node-directory");
      s.leaseTtl().ifPresent(ttl -> ctx.spawn(
          LeaseKeeper.create(s.nodeUuid(), ttl, flocker, deps.catalog(), table), "lease-keeper"));
      deps.dataPlane().ifPresentOrElse(
          plane -> DatasetRole.start(ctx, s, plane, flocker, deps.catalog(), deps.metrics(), io,
              deps.nodes()::nameOf, deps.clock()),
          () -> ctx.getLog().info("agent [{}]: no data plane given, dataset agent role off",
              s.nodeName()));
      NodeRef self = new NodeRef(s.nodeUuid(), s.nodeName(), table,
          s.dataset().root().toString());
      servers.start(ctx.getSystem(), new Wiring(deps, self, flocker, watcher, sharding));
      ctx.getLog().info("agent [{}] ({}) started; control service {}", s.nodeName(),
          s.nodeUuid(), s.flockerUrl());
      return Behaviors.empty();
    });
  }
}
