package io.flockerdocker.agent.volume;

import static io.flockerdocker.agent.volume.VolumeTestConfig.NODE1;
import static io.flockerdocker.agent.volume.VolumeTestConfig.NODE2;
import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.cluster.TestNodes;
import io.flockerdocker.agent.mounts.MountTable;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One volume's entity, spawned directly (no sharding), against the fake control service with
 * real MountTables for two nodes: the semantics of issue 3.
 */
@ExtendWith(LogCapturingExtension.class)
class VolumeEntityTest {
  static final ActorTestKit testKit = ActorTestKit.create("VolumeEntityTest",
      VolumeTestConfig.config(Path.of(System.getProperty("java.io.tmpdir"), "entity-test"),
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

  static <T> T ok(StatusReply<T> r) {
    assertThat(r.isSuccess()).as("expected success, got %s", r).isTrue();
    return r.getValue();
  }

  static VolumeCommands.Created ok(VolumeCommands.CreateReply r) {
    assertThat(r).isInstanceOf(VolumeCommands.Created.class);
    return (VolumeCommands.Created) r;
  }

  static VolumeCommands.Granted ok(VolumeCommands.MountReply r) {
    assertThat(r).isInstanceOf(VolumeCommands.Granted.class);
    return (VolumeCommands.Granted) r;
  }

  static VolumeCommands.Removed ok(VolumeCommands.RemoveReply r) {
    assertThat(r).isInstanceOf(VolumeCommands.Removed.class);
    return (VolumeCommands.Removed) r;
  }

  static String err(StatusReply<?> r) {
    assertThat(r.isError()).as("expected an error, got %s", r).isTrue();
    return r.getError().getMessage();
  }

  /** The Err a refusal renders; its failure type is checked by {@link #failure}. */
  static String err(VolumeCommands.Reply r) {
    return failure(r).message();
  }

  static VolumeFailure failure(VolumeCommands.Reply r) {
    assertThat(r).as("expected a refusal").isInstanceOf(VolumeCommands.Refused.class);
    return ((VolumeCommands.Refused) r).failure();
  }

  String created(String name, ActorRef<VolumeCommands.Command> e) {
    return ok(fx.create(e, fx.node1, VolumeOptions.none())).dataset().datasetId();
  }

  @Test
  void createIsIdempotentByName() {
    DatasetConfiguration first = ok(fx.create(demo, fx.node1, VolumeOptions.none())).dataset();
    DatasetConfiguration second = ok(fx.create(demo, fx.node2, VolumeOptions.none())).dataset();
    assertThat(second.datasetId()).isEqualTo(first.datasetId());
    // a new incarnation of the entity finds it in Flocker too
    DatasetConfiguration third =
        ok(fx.create(fx.entity("demo"), fx.node2, VolumeOptions.none())).dataset();
    assertThat(third.datasetId()).isEqualTo(first.datasetId());
    assertThat(fx.datasetsNamed("demo")).hasSize(1);
    assertThat(first.primary()).isEqualTo(NODE1);
  }

  @Test
  void createWithSizeAndProfile() {
    VolumeOptions o = VolumeOptions.parse(Map.of("size", "512MiB", "profile", "gold"));
    ok(fx.create(demo, fx.node1, o));
    DatasetConfiguration d = fx.datasetsNamed("demo").get(0);
    assertThat(d.maximumSize()).isEqualTo(512L * 1024 * 1024);
    assertThat(d.metadata()).containsEntry("clusterhq:flocker:profile", "gold");
  }

  @Test
  void mountOnTheNodeThatHoldsItRepliesItsPathAndLeasesIt() {
    String id = created("demo", demo);
    String path = ok(fx.mount(demo, fx.node1, "A")).mountpoint();
    assertThat(path).isEqualTo("/flocker/" + id);
    assertThat(fx.leaseHolder(id)).contains(NODE1);
    assertThat(fx.count(fx.node1, "demo")).isEqualTo(1);
  }

  @Test
  void mountFromAnotherNodeWhileFreeMovesItThere() {
    String id = created("demo", demo);
    ok(fx.mount(demo, fx.node1, "A"));
    ok(fx.unmount(demo, fx.node1, "A"));
    assertThat(fx.leaseHolder(id)).isEmpty();

    String path = ok(fx.mount(demo, fx.node2, "B")).mountpoint();
    assertThat(path).isEqualTo("/flocker/" + id);
    assertThat(fx.manifestOn(id)).contains(NODE2);
    assertThat(fx.leaseHolder(id)).contains(NODE2);
    assertThat(fx.count(fx.node2, "demo")).isEqualTo(1);
    assertThat(fx.count(fx.node1, "demo")).isZero();
  }

  @Test
  void mountWhileMountedOnAnotherNodeIsRefusedNamingIt() {
    String id = created("demo", demo);
    ok(fx.mount(demo, fx.node1, "A"));
    assertThat(failure(fx.mount(demo, fx.node2, "B"))).isEqualTo(new VolumeFailure.HeldElsewhere(
        "demo", "node1", VolumeFailure.HeldElsewhere.Holder.USING_IT, null, 0,
        VolumeFailure.HeldElsewhere.Asked.MOUNT));
    assertThat(fx.leaseHolder(id)).contains(NODE1);
    assertThat(fx.manifestOn(id)).contains(NODE1);
    assertThat(fx.count(fx.node2, "demo")).isZero();
  }

  @Test
  void aLeaseHeldOutsideTheClusterRefusesTheMountAndIsLeftAlone() {
    String id = created("demo", demo);
    String outsider = "0b0e7c1c-0000-4000-8000-00000000beef"; // a Flocker client, not an agent
    fx.fake.acquireLease(id, outsider, java.util.Optional.empty()).toCompletableFuture().join();
    VolumeFailure refused = failure(fx.mount(demo, fx.node2, "B"));
    assertThat(refused).isInstanceOf(VolumeFailure.HeldElsewhere.class);
    assertThat(refused.message()).contains(outsider);
    // the refused Mount's clean-up must not give back a lease that was never this Mount's
    assertThat(fx.leaseHolder(id)).contains(outsider);
    assertThat(fx.count(fx.node2, "demo")).isZero();
  }

  @Test
  void unmountOfAnUnknownIdIsOkAndChangesNothing() {
    String id = created("demo", demo);
    ok(fx.mount(demo, fx.node1, "A"));
    ok(fx.unmount(demo, fx.node1, "never-mounted"));
    ok(fx.unmount(demo, fx.node2, "A"));
    assertThat(fx.count(fx.node1, "demo")).isEqualTo(1);
    assertThat(fx.leaseHolder(id)).contains(NODE1);
    assertThat(err(fx.mount(demo, fx.node2, "B"))).contains("node1");
  }

  @Test
  void unmountToZeroReleasesTheLease() {
    String id = created("demo", demo);
    ok(fx.mount(demo, fx.node1, "A"));
    ok(fx.mount(demo, fx.node1, "A"));
    ok(fx.unmount(demo, fx.node1, "A"));
    assertThat(fx.count(fx.node1, "demo")).isEqualTo(1);
    assertThat(fx.leaseHolder(id)).contains(NODE1);
    ok(fx.unmount(demo, fx.node1, "A"));
    assertThat(fx.count(fx.node1, "demo")).isZero();
    assertThat(fx.leaseHolder(id)).isEmpty();
    ok(fx.unmount(demo, fx.node1, "A")); // a repeated Unmount after the last one
    assertThat(fx.count(fx.node1, "demo")).isZero();
  }

  @Test
  void removeWhileMountedIsRefusedNamingTheHolder() {
    String id = created("demo", demo);
    ok(fx.mount(demo, fx.node1, "A"));
    assertThat(err(fx.remove(demo, fx.node2)))
        .isEqualTo("volume demo is in use on node1; it cannot be removed while mounted");
    assertThat(fx.datasetsNamed("demo")).hasSize(1);
    ok(fx.unmount(demo, fx.node1, "A"));
    ok(fx.remove(demo, fx.node2));
    assertThat(fx.datasetsNamed("demo")).isEmpty();
    assertThat(fx.leaseHolder(id)).isEmpty();
  }

  @Test
  void removeOfAnUnknownNameIsOk() {
    ok(fx.remove(fx.entity("nobody"), fx.node1));
    ok(fx.remove(fx.entity("nobody"), fx.node1));
  }

  @Test
  void anUnreachableControlServiceFailsCreateAndMountWithAClearError() {
    created("demo", demo);
    fx.fake.setUnreachable(true);
    assertThat(err(fx.create(fx.entity("fresh"), fx.node1, VolumeOptions.none())))
        .contains("control service unreachable");
    assertThat(err(fx.mount(fx.entity("demo"), fx.node1, "A")))
        .contains("control service unreachable");
    // a recovered entity fails the same way, and counts nothing
    assertThat(err(fx.create(demo, fx.node1, VolumeOptions.none())))
        .contains("control service unreachable");
    assertThat(failure(fx.mount(demo, fx.node2, "B")))
        .isInstanceOf(VolumeFailure.ControlUnreachable.class);
    assertThat(fx.count(fx.node2, "demo")).isZero();
    fx.fake.setUnreachable(false);
    ok(fx.mount(demo, fx.node2, "B"));
  }

  @Test
  void aRestartedEntityRebuildsItsStateFromFlockerAndTheMountTable() {
    String id = created("demo", demo);
    ok(fx.mount(demo, fx.node1, "A"));
    ok(fx.mount(demo, fx.node1, "A"));
    testKit.stop(demo);

    ActorRef<VolumeCommands.Command> again = fx.entity("demo");
    assertThat(err(fx.mount(again, fx.node2, "B"))).contains("in use on node1");
    assertThat(err(fx.remove(again, fx.node2))).contains("in use on node1");
    ok(fx.unmount(again, fx.node1, "A"));
    assertThat(fx.leaseHolder(id)).contains(NODE1);
    ok(fx.unmount(again, fx.node1, "A"));
    assertThat(fx.leaseHolder(id)).isEmpty();
    assertThat(ok(fx.mount(again, fx.node2, "B")).mountpoint()).isEqualTo("/flocker/" + id);
  }

  @Test
  void aRequestIsKnownByItsIdNotByItsDeadline() {
    created("demo", demo);
    long deadline = VolumeEntityFixture.deadline();
    TestProbe<VolumeCommands.MountReply> p = testKit.createTestProbe();
    // two docker requests (docker cp mounts a running container's id again) that happen to
    // share their deadline to the millisecond: both are granted, the first as a take-over
    demo.tell(new VolumeCommands.Mount("request-1", fx.node1, "A", 0, deadline, p.ref()));
    assertThat(ok(p.receiveMessage(VolumeEntityFixture.WAIT)).takeOver()).isTrue();
    demo.tell(new VolumeCommands.Mount("request-2", fx.node1, "A", 0, deadline, p.ref()));
    VolumeCommands.Granted second = ok(p.receiveMessage(VolumeEntityFixture.WAIT));
    assertThat(second.takeOver()).isFalse();

    // the route's resend of request-2 (its answer was late) gets the same grant again
    demo.tell(new VolumeCommands.Mount("request-2", fx.node1, "A", 0, deadline + 5, p.ref()));
    assertThat(ok(p.receiveMessage(VolumeEntityFixture.WAIT))).isEqualTo(second);
    assertThat(fx.count(fx.node1, "demo")).as("the entity records nothing itself").isZero();
  }

  @Test
  void aVolumeGrantedButNotYetRecordedStaysWithTheNodeItWasGrantedTo() {
    String id = created("demo", demo);
    // node1's route reserved the volume and has the grant, but has not recorded it yet
    fx.reserve(fx.node1, demo, "request-1");
    VolumeCommands.Granted granted =
        ok(fx.grant(demo, fx.node1, "A", "request-1"));
    assertThat(fx.count(fx.node1, "demo")).as("the reservation counts").isEqualTo(1);

    // meanwhile node2 asks: it must not find node1 empty and take the volume away
    assertThat(err(fx.mount(demo, fx.node2, "B"))).contains("in use on node1");
    assertThat(fx.leaseHolder(id)).contains(NODE1);

    ok(fx.record(demo, fx.node1, "A", "request-1", granted));
    assertThat(fx.count(fx.node1, "demo")).as("recorded in place of the reservation")
        .isEqualTo(1);
    assertThat(err(fx.mount(demo, fx.node2, "B"))).contains("in use on node1");
    ok(fx.unmount(demo, fx.node1, "A"));
    assertThat(fx.leaseHolder(id)).isEmpty();
    assertThat(ok(fx.mount(demo, fx.node2, "B")).mountpoint()).isEqualTo("/flocker/" + id);
  }

  @Test
  void aGrantNeverRecordedLeavesALeaseThatIsGivenBack() {
    String id = created("demo", demo);
    fx.reserve(fx.node1, demo, "request-1");
    ok(fx.grant(demo, fx.node1, "A", "request-1"));
    // node1's Mount fails after the grant: its reservation goes, the lease has no mount behind it
    TestProbe<MountTable.Count> dropped = testKit.createTestProbe();
    fx.node1.mountTable().tell(new MountTable.Unreserve("demo", "request-1", dropped.ref()));
    assertThat(dropped.receiveMessage().mounts()).isZero();
    // node1's table pushes its 0: the entity gives the lease back
    fx.awaitCount(demo, fx.node1, 0);
    assertThat(fx.leaseHolder(id)).isEmpty();
    assertThat(ok(fx.mount(demo, fx.node2, "B")).mountpoint()).isEqualTo("/flocker/" + id);
    assertThat(fx.leaseHolder(id)).contains(NODE2);
  }

  @Test
  void aMountOvertakingTheHoldersLastPushWaitsForTheReleaseInsteadOfBeingRefused() {
    String id = mountedOnNode1();
    // node1's last Unmount: its table's push of 0 is still on its way when node2's Mount arrives
    node1UnmountsWithItsPushLost();
    assertThat(ok(fx.mount(demo, fx.node2, "B")).mountpoint()).isEqualTo("/flocker/" + id);
    assertThat(fx.leaseHolder(id)).contains(NODE2);
  }

  @Test
  void aMountWhileTheHolderIsNotAnnouncedYetWaitsForItsLastPush() throws Exception {
    String id = mountedOnNode1();
    // node1 has just restarted: Up again, its table not announced to this node yet, and its
    // last Unmount's push still on its way when node2's Mount arrives
    node1NotAnnounced();
    node1UnmountsWithItsPushLost();
    CompletableFuture<VolumeCommands.MountReply> b = node2MountWaitingForNode1();
    fx.losePushes.set(false); // the table sends its push again on its timer
    assertGrantedToNode2(b, id);
  }

  @Test
  void aMountWhileTheHolderRestartedWaitsForItsNewTableNeverAsksItsPreviousOne()
      throws Exception {
    String id = mountedOnNode1();
    // node1 crashed and restarts: its previous table (whose pushes this entity has seen) is
    // dead, the new one is not announced here yet and has not pushed
    ActorRef<MountTable.Command> restarted =
        fx.restartTable(NODE1, fx.node1.mountTable(), dir.resolve("n1-again"), io);
    node1NotAnnounced();
    CompletableFuture<VolumeCommands.MountReply> b = node2MountWaitingForNode1();
    // the new table learns the node holds the lease and pushes its count: 0, nothing mounted
    restarted.tell(new MountTable.Leased(java.util.List.of("demo")));
    assertGrantedToNode2(b, id);
  }

  @Test
  void aMountWhileTheHolderRestartedGoesOnOnceItsTableIsAnnounced() throws Exception {
    String id = mountedOnNode1();
    fx.losePushes.set(true); // no push of the new table arrives: only the announcement helps
    ActorRef<MountTable.Command> restarted =
        fx.restartTable(NODE1, fx.node1.mountTable(), dir.resolve("n1-again"), io);
    node1NotAnnounced();
    CompletableFuture<VolumeCommands.MountReply> b = node2MountWaitingForNode1();
    TestNodes.publish(fx.deps.nodes(), new NodeRef(NODE1, "node1", restarted, "/flocker"),
        fx.node2);
    assertGrantedToNode2(b, id);
  }

  /** "demo" created and mounted on node1 (id A), its count pushed; returns its dataset id. */
  private String mountedOnNode1() {
    String id = created("demo", demo);
    ok(fx.mount(demo, fx.node1, "A"));
    fx.awaitCount(demo, fx.node1, 1);
    return id;
  }

  /** As this entity sees it, node1 has just restarted: Up again, its table not announced. */
  private void node1NotAnnounced() {
    TestNodes.publish(fx.deps.nodes(), new NodeRef(NODE1, "node1", null, "/flocker"), fx.node2);
  }

  /** node2's Mount (id B), sent on its own thread; returns once the entity waits for node1. */
  private CompletableFuture<VolumeCommands.MountReply> node2MountWaitingForNode1() {
    return LoggingTestKit.info("waiting for its mount count").expect(testKit.system(),
        () -> CompletableFuture.supplyAsync(() -> fx.mount(demo, fx.node2, "B")));
  }

  private void assertGrantedToNode2(CompletableFuture<VolumeCommands.MountReply> b, String id)
      throws Exception {
    assertThat(ok(b.get(30, TimeUnit.SECONDS)).mountpoint()).isEqualTo("/flocker/" + id);
    assertThat(fx.leaseHolder(id)).contains(NODE2);
  }

  @Test
  void aMountThatTimesOutWaitingForTheMoveLeavesNoLeaseBehind() {
    String id = created("demo", demo);
    fx.flocker.convergeOnStateRead(false); // the dataset agents stall: it never arrives
    TestProbe<VolumeCommands.MountReply> p = testKit.createTestProbe();
    demo.tell(new VolumeCommands.Mount(VolumeEntityFixture.requestId(), fx.node1, "A", 0,
        System.currentTimeMillis() + 300, p.ref()));
    assertThat(failure(p.receiveMessage(java.time.Duration.ofSeconds(10))))
        .isInstanceOf(VolumeFailure.TimedOut.class);
    assertThat(fx.count(fx.node1, "demo")).isZero();

    fx.flocker.convergeOnStateRead(true);
    assertThat(ok(fx.mount(demo, fx.node2, "B")).mountpoint()).isEqualTo("/flocker/" + id);
    assertThat(fx.leaseHolder(id)).contains(NODE2);
  }

  /** node1's last Unmount of "demo" (id A): its table's push of 0 is lost on the way. */
  private void node1UnmountsWithItsPushLost() {
    fx.losePushes.set(true);
    TestProbe<StatusReply<MountTable.Count>> dropped = testKit.createTestProbe();
    fx.node1.mountTable().tell(new MountTable.Drop("demo", "A", dropped.ref()));
    assertThat(dropped.receiveMessage().getValue().mounts()).isZero();
  }
}
