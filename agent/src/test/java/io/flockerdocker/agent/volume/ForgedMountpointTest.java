package io.flockerdocker.agent.volume;

import static io.flockerdocker.agent.volume.VolumeTestConfig.NODE1;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: a Mountpoint from the control service's state is never handed to dockerd unless it
 * is a normalised path under this host's dataset root (here /flocker, the fake's).
 */
@ExtendWith(LogCapturingExtension.class)
class ForgedMountpointTest {
  static final ActorTestKit testKit = ActorTestKit.create("ForgedMountpointTest",
      VolumeTestConfig.config(Path.of(System.getProperty("java.io.tmpdir"), "forged-test"),
          "flocker-docker.flocker.poll-interval = 100ms\n"
              + "flocker-docker.flocker.poll-interval-busy = 10ms"));
  static final ExecutorService io = Executors.newSingleThreadExecutor();

  @TempDir Path dir;
  VolumeEntityFixture fx;
  ActorRef<VolumeCommands.Command> demo;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
    io.shutdownNow();
  }

  @BeforeEach
  void setUp() {
    fx = new VolumeEntityFixture(testKit, dir, io);
    demo = fx.entity("demo");
  }

  @AfterEach
  void tearDown() {
    fx.stop();
  }

  @Test
  void aStatePathOutsideTheRootIsRefusedWithAnErr() {
    String id = forged("/etc");
    String err = err(fx.mount(demo, fx.node1, "A"));
    assertThat(err).contains("'/etc'").contains("outside this host's dataset root /flocker");
    assertThat(fx.count(fx.node1, "demo")).isZero();
    assertThat(fx.leaseHolder(id)).as("the refused mount gives its lease back").isEmpty();
    assertThat(fx.deps.catalog().get("demo").orElseThrow().mountpoint())
        .as("Get never shows it either").isEmpty();
  }

  @Test
  void aStatePathClimbingOutOfTheRootIsRefused() {
    String id = forged("/flocker/../etc");
    assertThat(err(fx.mount(demo, fx.node1, "A"))).contains("'/flocker/../etc' is not normalised");
    assertThat(fx.leaseHolder(id)).isEmpty();
    assertThat(fx.deps.catalog().list()).allSatisfy(v -> assertThat(v.mountpoint()).isEmpty());
  }

  @Test
  void theRootItselfIsNoDatasetDirectory() {
    forged("/flocker");
    assertThat(err(fx.mount(demo, fx.node1, "A"))).contains("outside this host's dataset root");
  }

  /** Creates demo on node1, makes the state report {@code path}, waits until the view has it. */
  private String forged(String path) {
    VolumeCommands.CreateReply created = fx.create(demo, fx.node1, VolumeOptions.none());
    assertThat(created).isInstanceOf(VolumeCommands.Created.class);
    String id = ((VolumeCommands.Created) created).dataset().datasetId();
    fx.fake.forgePath(id, path);
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
      assertThat(fx.deps.catalog().snapshot().manifestPath(id, NODE1)).contains(path);
      return null;
    });
    return id;
  }

  private static String err(VolumeCommands.Reply r) {
    assertThat(r).isInstanceOf(VolumeCommands.Refused.class);
    return ((VolumeCommands.Refused) r).failure().message();
  }
}
