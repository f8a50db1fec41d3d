package io.flockerdocker.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.AgentConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.remote.RemoteActorRefProvider;
import org.apache.pekko.remote.artery.ArteryTransport;
import org.junit.jupiter.api.Test;

class BoundedRemotingShutdownTest {
  /** A guard against hanging the build, not a speed check. */
  static final long GUARD_SECONDS = 60;

  @Test
  void aRemotingShutdownThatNeverCompletesIsCutOffAtTheBound() throws Exception {
    CompletableFuture<Done> never = new CompletableFuture<>();
    assertThat(BoundedRemotingShutdown.bounded(() -> never, Duration.ofMillis(100), "test")
        .toCompletableFuture().get(GUARD_SECONDS, TimeUnit.SECONDS)).isEqualTo(Done.getInstance());
    assertThat(never).isNotDone();
  }

  @Test
  void aFailedOrThrowingRemotingShutdownCountsAsDone() throws Exception {
    assertThat(BoundedRemotingShutdown.bounded(
        () -> CompletableFuture.failedFuture(new IllegalStateException("boom")),
        Duration.ofMinutes(10), "test").toCompletableFuture().get(GUARD_SECONDS, TimeUnit.SECONDS))
        .isEqualTo(Done.getInstance());
    assertThat(BoundedRemotingShutdown.bounded(() -> {
      throw new IllegalStateException("boom");
    }, Duration.ofMinutes(10), "test").toCompletableFuture().get(GUARD_SECONDS, TimeUnit.SECONDS))
        .isEqualTo(Done.getInstance());
  }

  /**
   * Pekko itself shuts Artery down only after the actor-system-terminate phase has started
   * (RemotingTerminator, without a deadline); an agent system has done it, bounded, one phase
   * earlier. A probe phase between the two sees the transport already shut down.
   */
  @Test
  void anAgentSystemShutsArteryDownBeforeTheActorSystemTerminatePhase() throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "flocker-docker",
        AgentConfig.load(ConfigFactory.parseString("""
            pekko.coordinated-shutdown.phases {
              probe { depends-on = [before-actor-system-terminate] }
              actor-system-terminate { depends-on = [probe] }
            }
            """).withFallback(ConfigFactory.parseMap(Map.of(
            "flocker-docker.cluster.tls", "off",
            "pekko.remote.artery.canonical.port", 0,
            "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on")))));
    CompletableFuture<Boolean> shutDownBeforeTerminate = new CompletableFuture<>();
    try {
      assertThat(Adapter.toClassic(system).hasExtension(BoundedRemotingShutdown.ID)).isTrue();
      ArteryTransport artery = (ArteryTransport) ((RemoteActorRefProvider)
          Adapter.toClassic(system).provider()).transport();
      CoordinatedShutdown.get(system).addTask("probe", "probe", () -> {
        shutDownBeforeTerminate.complete(artery.isShutdown());
        return CompletableFuture.completedFuture(Done.getInstance());
      });
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(GUARD_SECONDS, TimeUnit.SECONDS);
    }
    assertThat(shutDownBeforeTerminate.get(GUARD_SECONDS, TimeUnit.SECONDS)).isTrue();
  }
}
