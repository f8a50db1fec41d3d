package io.flockerdocker.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.AgentConfig;
import io.flockerdocker.agent.flocker.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.ActorSystemImpl;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Real Artery TLS between ActorSystems of one JVM: nodes of the cluster CA form a cluster; a node
 * of another CA, or of the right CA but not pinned in allowed-nodes, never becomes a member.
 */
class ClusterTlsTest {
  static final Duration FORM = Duration.ofSeconds(60);
  /** Long enough for several join retries (retry-unsuccessful-join-after = 2 s). */
  static final Duration OUTSIDE = Duration.ofSeconds(12);
  /** Termination takes seconds (phase timeouts are 5-10 s); beyond this it is stuck. */
  static final Duration STOP = Duration.ofMinutes(2);
  @TempDir Path dir;
  final List<ActorSystem<Void>> systems = new ArrayList<>();
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  TestPki.Identity ca;

  @BeforeEach
  void setUp() {
    ca = TestPki.ca("cluster");
    logs.start();
    ((Logger) LoggerFactory.getLogger(NodeCertSslEngineProvider.class)).addAppender(logs);
  }

  @AfterEach
  void tearDown() {
    ((Logger) LoggerFactory.getLogger(NodeCertSslEngineProvider.class)).detachAppender(logs);
    systems.forEach(ActorSystem::terminate);
    // a hang guard, not a speed check: a system that does not stop fails the test with what is
    // still running in it instead of hanging the whole build
    List<String> stuck = new ArrayList<>();
    for (ActorSystem<Void> s : systems) {
      try {
        s.getWhenTerminated().toCompletableFuture().get(STOP.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        stuck.add(s.address() + " did not stop within " + STOP + "; still running:\n"
            + ((ActorSystemImpl) Adapter.toClassic(s)).printTree());
      } catch (InterruptedException | ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }
    assertThat(stuck).as("actor systems that did not stop").isEmpty();
  }

  @Test
  void nodesOfTheClusterCaFormAClusterAndANodeOfAnotherCaCannotJoin() throws Exception {
    ActorSystem<Void> first = node(UUID.randomUUID().toString(), ca, "");
    ActorSystem<Void> second = node(UUID.randomUUID().toString(), ca, "");
    joinAndAwaitUp(first, first, 1);
    joinAndAwaitUp(second, first, 2);

    // the rogue knows the cluster CA's public certificate but its own is from another CA
    ActorSystem<Void> rogue = node(UUID.randomUUID().toString(), TestPki.ca("rogue"), "");
    Cluster.get(rogue).manager().tell(Join.create(address(first)));
    assertNeverMember(first, rogue);
    assertThat(messages()).anyMatch(m -> m.contains("refused handshake"));
  }

  @Test
  void aNodeOfTheRightCaButNotPinnedCannotJoin() throws Exception {
    String one = UUID.randomUUID().toString();
    String two = UUID.randomUUID().toString();
    String pinned = "flocker-docker.cluster.allowed-nodes = [\"" + one + "\", \"" + two + "\"]";
    ActorSystem<Void> first = node(one, ca, pinned);
    ActorSystem<Void> second = node(two, ca, pinned);
    joinAndAwaitUp(first, first, 1);
    joinAndAwaitUp(second, first, 2);

    String stranger = UUID.randomUUID().toString();
    ActorSystem<Void> intruder = node(stranger, ca, "");
    Cluster.get(intruder).manager().tell(Join.create(address(first)));
    assertNeverMember(first, intruder);
    assertThat(messages()).anyMatch(m -> m.contains(stranger)
        && m.contains("not in flocker-docker.cluster.allowed-nodes"));
  }

  @Test
  void anApiUserCertificateOfTheClusterCaCannotJoin() throws Exception {
    ActorSystem<Void> first = node(UUID.randomUUID().toString(), ca, "");
    joinAndAwaitUp(first, first, 1);

    // plugin.crt (CN user-plugin) sits on every API client: it must not make a cluster member
    ActorSystem<Void> user = system("user-plugin", ca, "");
    Cluster.get(user).manager().tell(Join.create(address(first)));
    assertNeverMember(first, user);
    assertThat(messages()).anyMatch(m -> m.contains("not a node certificate"));
  }

  private ActorSystem<Void> node(String uuid, TestPki.Identity issuer, String extra)
      throws Exception {
    return system("node-" + uuid, issuer, extra);
  }

  /** One loopback agent config with cluster TLS on and a certificate {@code cn} of {@code issuer}. */
  private ActorSystem<Void> system(String cn, TestPki.Identity issuer, String extra)
      throws Exception {
    Path tls = Files.createDirectories(dir.resolve(cn));
    TestPki.writeCert(tls.resolve("cluster.crt"), ca);
    TestPki.Identity id = TestPki.issue(issuer, cn, Instant.now().minusSeconds(60),
        Duration.ofDays(1));
    TestPki.writeCert(tls.resolve("node.crt"), id);
    TestPki.writeKey(tls.resolve("node.key"), id, true);
    Config config = AgentConfig.load(ConfigFactory.parseString(extra).withFallback(
        ConfigFactory.parseMap(Map.of(
            "flocker-docker.cluster.tls", "on",
            "flocker-docker.flocker.tls.dir", tls.toString(),
            "pekko.remote.artery.canonical.port", 0,
            "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on"))));
    assertThat(config.getString("pekko.remote.artery.transport")).isEqualTo("tls-tcp");
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "flocker-docker", config);
    systems.add(system);
    return system;
  }

  private static void joinAndAwaitUp(ActorSystem<Void> node, ActorSystem<Void> seed, int size)
      throws InterruptedException {
    Cluster.get(node).manager().tell(Join.create(address(seed)));
    long end = System.nanoTime() + FORM.toNanos();
    while (!(upMembers(seed) == size && upMembers(node) == size)) {
      assertThat(System.nanoTime()).as("%s members Up within %s", size, FORM).isLessThan(end);
      Thread.sleep(100);
    }
  }

  private static void assertNeverMember(ActorSystem<Void> member, ActorSystem<Void> outsider)
      throws InterruptedException {
    long end = System.nanoTime() + OUTSIDE.toNanos();
    while (System.nanoTime() < end) {
      assertThat(StreamSupport.stream(Cluster.get(member).state().getMembers().spliterator(), false)
          .map(m -> m.address())).doesNotContain(address(outsider));
      Thread.sleep(200);
    }
    assertThat(Cluster.get(outsider).selfMember().status()).isNotEqualTo(MemberStatus.up());
  }

  private static long upMembers(ActorSystem<Void> system) {
    return StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up()).count();
  }

  private static org.apache.pekko.actor.Address address(ActorSystem<Void> system) {
    return Cluster.get(system).selfMember().address();
  }

  private List<String> messages() {
    return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
