package io.flockerdocker.agent.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.volume.NodeRef;
import io.flockerdocker.agent.volume.VolumeCommands;
import io.flockerdocker.agent.volume.VolumeError;
import io.flockerdocker.agent.volume.VolumeFailure;
import io.flockerdocker.agent.volume.VolumeOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** How the routes' asks end when nobody can answer them. */
class EntityAsksTest {
  static final ActorTestKit kit = ActorTestKit.create("EntityAsksTest");

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void anAskToAVolumeServiceThatIsGoneFailsAtOnceWithItsReason() throws Exception {
    // what sharding's region is after the split-brain resolver downed this node: terminated,
    // so every ask to it fails at once (it used to be resent in a tight loop until the doubled
    // wait overflowed a long, and dockerd got "internal error")
    ActorRef<VolumeCommands.Command> gone = kit.spawn(Behaviors.stopped());
    TestProbe<Object> probe = kit.createTestProbe();
    probe.expectTerminated(gone);
    NodeRef self = new NodeRef("uuid-1", "node1", null, "/flocker");
    EntityAsks asks = new EntityAsks(kit.system(), self, name -> gone, Clock.systemUTC(),
        () -> true);

    CompletableFuture<VolumeCommands.Created> created = asks.<VolumeCommands.CreateReply,
            VolumeCommands.Created>changeAsk("v", VolumeCommands.Created.class,
            replyTo -> new VolumeCommands.Create("req-1", self, VolumeOptions.none(),
                Clock.systemUTC().millis() + 60_000, replyTo), Duration.ofSeconds(60))
        .toCompletableFuture();

    Throwable failure = null;
    try {
      created.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      failure = e.getCause();
    }
    assertThat(failure).isInstanceOf(VolumeError.class);
    assertThat(((VolumeError) failure).failure())
        .isEqualTo(new VolumeFailure.Stopping("v", "node1"));
    assertThat(failure.getMessage()).contains("node node1 is stopping or has left the cluster");
  }
}
