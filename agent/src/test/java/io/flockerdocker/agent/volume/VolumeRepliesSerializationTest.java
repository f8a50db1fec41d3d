package io.flockerdocker.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.volume.VolumeFailure.HeldElsewhere;
import io.flockerdocker.agent.volume.VolumeFailure.TimedOut;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every reply of a volume entity, and every failure a refusal carries, crosses nodes: each goes
 * through Pekko's serialization (the agent's bindings: jackson-cbor, never Java serialization)
 * and comes back equal.
 */
class VolumeRepliesSerializationTest {
  static final ActorTestKit testKit = ActorTestKit.create("VolumeRepliesSerializationTest",
      VolumeTestConfig.config(Path.of(System.getProperty("java.io.tmpdir"), "replies-test"), ""));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static List<VolumeFailure> everyFailure() {
    List<VolumeFailure> all = new ArrayList<>(List.of(
        new VolumeFailure.ControlUnreachable("demo", "connection refused", null),
        new VolumeFailure.ControlUnreachable("demo", "connection refused", "node2"),
        new VolumeFailure.ControlRefused("demo", "409 lease held"),
        new VolumeFailure.DataUnreachable("demo", "node3", "2026-12-04T10:00:00Z"),
        new VolumeFailure.DataUnreachable("demo", "node3", null),
        new VolumeFailure.Minority("demo", null),
        new VolumeFailure.Minority("demo", "node1"),
        new VolumeFailure.Busy("demo"),
        new VolumeFailure.Rejected("no such volume: demo"),
        new VolumeFailure.BadRequest("unknown option(s) sise"),
        new VolumeFailure.Internal()));
    for (HeldElsewhere.Holder h : HeldElsewhere.Holder.values()) {
      for (HeldElsewhere.Asked a : HeldElsewhere.Asked.values()) {
        all.add(new HeldElsewhere("demo", "node2", h, "2026-12-04T10:00:00Z", 5, a));
      }
    }
    for (TimedOut.Waiting w : EnumSet.allOf(TimedOut.Waiting.class)) {
      all.add(new TimedOut("demo", w, "node2", 2_500));
    }
    return all;
  }

  @Test
  void everyReplyAndFailureRoundTripsThroughJacksonCbor() {
    List<Object> replies = new ArrayList<>(List.of(
        new VolumeCommands.Created(new DatasetConfiguration("7a1f", VolumeTestConfig.NODE1,
            false, Map.of("name", "demo"), 64L * 1024 * 1024)),
        new VolumeCommands.Granted("7a1f", "/flocker/7a1f", true),
        VolumeCommands.Removed.INSTANCE,
        VolumeCommands.Released.INSTANCE));
    everyFailure().forEach(f -> replies.add(new VolumeCommands.Refused(f)));

    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    for (Object reply : replies) {
      Serializer serializer = serialization.findSerializerFor(reply);
      assertThat(serializer.getClass().getSimpleName()).as("%s", reply)
          .isEqualTo("JacksonCborSerializer");
      byte[] bytes = serialization.serialize(reply).get();
      Object back = serialization.deserialize(bytes, serializer.identifier(),
          Serializers.manifestFor(serializer, reply)).get();
      assertThat(back).as("%s", reply).isEqualTo(reply);
    }
  }

  @Test
  void aRefusalReachesAnAskerTyped() {
    // serialize-messages = on: every tell below is serialized and deserialized on its way
    TestProbe<VolumeCommands.MountReply> probe = testKit.createTestProbe();
    for (VolumeFailure f : everyFailure()) {
      probe.ref().tell(new VolumeCommands.Refused(f));
      assertThat(probe.receiveMessage()).isEqualTo(new VolumeCommands.Refused(f));
    }
  }
}
