package io.flockerdocker.agent.plugin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.mounts.MountTable;
import io.flockerdocker.agent.volume.NodeRef;
import io.flockerdocker.agent.volume.VolumeCommands;
import io.flockerdocker.agent.volume.VolumeFailure;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;

/**
 * What the plugin tests share: a cluster-free testkit config, settings with short budgets, this
 * node's NodeRef, and PluginRoutes wired to a TestProbe standing in for every volume entity.
 */
final class PluginFixture {
  /** The seq this fixture's MountTable answers every Reserve with. */
  static final long RESERVATION_SEQ = 42;

  final ActorTestKit testKit;
  final AgentSettings settings;
  final TestProbe<VolumeCommands.Command> entity;
  final TestProbe<MountTable.Command> mountTable;
  final NodeRef self;
  final InMemoryVolumeView view = new InMemoryVolumeView();
  /** Names the routes looked an entity up for, in order. */
  final List<String> askedFor = new CopyOnWriteArrayList<>();
  final PluginRoutes routes;

  PluginFixture(ActorTestKit testKit) {
    this.testKit = testKit;
    this.settings = AgentSettings.create(testKit.system().settings().config());
    this.entity = testKit.createTestProbe(VolumeCommands.Command.class);
    this.mountTable = testKit.createTestProbe(MountTable.Command.class);
    // the probe sees every message; a Reserve (which the route asks) is answered at once
    var table = testKit.spawn(Behaviors.monitor(MountTable.Command.class, mountTable.ref(),
        Behaviors.receive(MountTable.Command.class)
            .onMessage(MountTable.Reserve.class, r -> {
              r.replyTo().tell(new MountTable.Reserved(RESERVATION_SEQ));
              return Behaviors.same();
            })
            .onAnyMessage(m -> Behaviors.same())
            .build()));
    this.self = new NodeRef(settings.nodeUuid(), settings.nodeName(), table,
        settings.dataset().root().toString());
    this.routes = new PluginRoutes(testKit.system(), settings, self, view, name -> {
      askedFor.add(name);
      return entity.ref();
    });
  }

  /**
   * Plays this node's MountTable for a granted Mount: takes the reservation made before the ask
   * and answers the record that follows the grant; returns the record.
   */
  MountTable.Record recordGrant() {
    mountTable.expectMessageClass(MountTable.Reserve.class);
    MountTable.Record r = mountTable.expectMessageClass(MountTable.Record.class);
    r.replyTo().tell(StatusReply.success(new MountTable.Count(r.volume(), 1, false)));
    return r;
  }

  /** The entity's grant of demo's dataset 7a1f to this node. */
  static VolumeCommands.Granted granted() {
    return new VolumeCommands.Granted("7a1f", "/flocker/7a1f", true);
  }

  /** The entity's refusal of a request, for {@code failure}. */
  static VolumeCommands.Refused refused(VolumeFailure failure) {
    return new VolumeCommands.Refused(failure);
  }

  static Config config() {
    return ConfigFactory.parseResources("plugin-test.conf").withFallback(ConfigFactory.load())
        .resolve();
  }
}
