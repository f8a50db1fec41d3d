package io.flockerdocker.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.AgentConfig;
import io.flockerdocker.agent.mounts.MountTable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two agents' ActorSystems in one JVM over real Artery: each node's directory shows the other's
 * MountTable once that table has answered, as it does for its own.
 */
class NodeDirectoryTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  final List<ActorSystem<Void>> systems = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    systems.forEach(ActorSystem::terminate);
    for (ActorSystem<Void> s : systems) {
      s.getWhenTerminated().toCompletableFuture().get(2, TimeUnit.MINUTES);
    }
  }

  record Agent(ActorSystem<Void> system, Nodes nodes, String uuid,
      ActorRef<MountTable.Command> table) {}

  Agent agent(String name) {
    String uuid = UUID.randomUUID().toString();
    Config config = ConfigFactory.parseMap(Map.of(
            "pekko.cluster.roles", List.of(NodeDirectory.NAME_ROLE + name,
                NodeDirectory.UUID_ROLE + uuid),
            "pekko.remote.artery.canonical.port", 0,
            "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on"))
        .withFallback(AgentConfig.load(ConfigFactory.parseMap(Map.of(
            "flocker-docker.cluster.tls", "off"))));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "flocker-docker", config);
    systems.add(system);
    Nodes nodes = new Nodes();
    ActorRef<MountTable.Command> table =
        system.systemActorOf(Behaviors.<MountTable.Command>ignore(), "mount-table",
            org.apache.pekko.actor.typed.Props.empty());
    system.receptionist().tell(Receptionist.register(NodeDirectory.MOUNT_TABLES, table));
    system.systemActorOf(NodeDirectory.create(nodes, Clock.systemUTC()), "node-directory",
        org.apache.pekko.actor.typed.Props.empty());
    return new Agent(system, nodes, uuid, table);
  }

  static NodeInfo await(Agent viewer, Agent of, Predicate<NodeInfo> wanted) throws Exception {
    long end = System.nanoTime() + WAIT.toNanos();
    Optional<NodeInfo> seen = Optional.empty();
    while (System.nanoTime() < end) {
      seen = viewer.nodes().get(of.uuid());
      if (seen.isPresent() && wanted.test(seen.get())) {
        return seen.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("waited " + WAIT.toSeconds() + " s; last seen: " + seen);
  }

  @Test
  void eachNodeSeesItsOwnAndTheOthersTableOnceTheyAnswer() throws Exception {
    Agent a = agent("a");
    Agent b = agent("b");
    Cluster.get(a.system()).manager().tell(Join.create(Cluster.get(a.system()).selfMember()
        .address()));
    Cluster.get(b.system()).manager().tell(Join.create(Cluster.get(a.system()).selfMember()
        .address()));

    NodeInfo bFromA = await(a, b, NodeInfo::available);
    NodeInfo aFromB = await(b, a, NodeInfo::available);
    assertThat(bFromA.name()).isEqualTo("b");
    assertThat(remote(bFromA.mountTable())).isEqualTo(remote(b));
    assertThat(remote(aFromB.mountTable())).isEqualTo(remote(a));
    assertThat(await(a, a, NodeInfo::available).mountTable()).isEqualTo(a.table());
  }

  /** A table ref as another node sees it: its agent's address, path and uid. */
  static String remote(Agent agent) {
    return agent.table().path().toSerializationFormatWithAddress(
        Cluster.get(agent.system()).selfMember().address());
  }

  static String remote(ActorRef<?> ref) {
    return ref.path().toSerializationFormat();
  }
}
