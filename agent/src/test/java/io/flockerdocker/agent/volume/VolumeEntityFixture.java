package io.flockerdocker.agent.volume;

import static io.flockerdocker.agent.volume.VolumeTestConfig.NODE1;
import static io.flockerdocker.agent.volume.VolumeTestConfig.NODE2;
import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.catalog.StateWatcher;
import io.flockerdocker.agent.catalog.VolumeCatalog;
import io.flockerdocker.agent.cluster.TestNodes;
import io.flockerdocker.agent.flocker.FakeFlockerClient;
import io.flockerdocker.agent.flocker.ObservedFlocker;
import io.flockerdocker.agent.mounts.MountJournal;
import io.flockerdocker.agent.mounts.MountTable;
import io.flockerdocker.agent.mounts.MountTableHealth;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.Node;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;

/**
 * Two nodes' worth of real parts for entity tests: the fake control service whose dataset agents
 * act on every state read, one StateWatcher and catalog, and a real MountTable per node.
 */
final class VolumeEntityFixture {
  static final Duration WAIT = Duration.ofSeconds(20);

  final ActorTestKit testKit;
  final FakeFlockerClient fake = new FakeFlockerClient(
      List.of(new Node("10.0.0.1", NODE1), new Node("10.0.0.2", NODE2)), "/flocker",
      Clock.systemUTC());
  final ObservedFlocker flocker = new ObservedFlocker(fake, s -> { });
  final ActorRef<MountTable.Command> table1;
  final ActorRef<MountTable.Command> table2;
  final NodeRef node1;
  final NodeRef node2;
  final ActorRef<StateWatcher.Command> watcher;
  final VolumeDeps deps;
  private final Map<ActorRef<VolumeCommands.Command>, String> names = new HashMap<>();
  /** The entity a table's count pushes reach, by volume (as sharding finds it in production). */
  private final Map<String, ActorRef<VolumeCommands.Command>> byName =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Long> reservations = new java.util.concurrent.ConcurrentHashMap<>();
  /** While set, the tables' pushes are lost on the way (they are sent again on their timer). */
  final java.util.concurrent.atomic.AtomicBoolean losePushes =
      new java.util.concurrent.atomic.AtomicBoolean();

  VolumeEntityFixture(ActorTestKit testKit, Path dir, Executor io) {
    this.testKit = testKit;
    flocker.convergeOnStateRead(true);
    table1 = testKit.spawn(MountTable.create(new MountJournal(dir.resolve("n1")), Map.of(), io,
        total -> { }, new MountTableHealth(), pushTo(NODE1)));
    table2 = testKit.spawn(MountTable.create(new MountJournal(dir.resolve("n2")), Map.of(), io,
        total -> { }, new MountTableHealth(), pushTo(NODE2)));
    node1 = new NodeRef(NODE1, "node1", table1, "/flocker");
    node2 = new NodeRef(NODE2, "node2", table2, "/flocker");
    AgentSettings settings = AgentSettings.create(testKit.system().settings().config());
    var nodes = TestNodes.of(node1, node2);
    VolumeCatalog catalog = new VolumeCatalog(NODE1, Path.of("/flocker"), nodes);
    watcher = testKit.spawn(StateWatcher.create(flocker, catalog, settings.pollInterval(),
        settings.pollIntervalBusy()));
    deps = new VolumeDeps(flocker, watcher, catalog, nodes, settings, Clock.systemUTC());
  }

  /**
   * {@code node}'s table after a crash that lost what it had not recorded: a new actor (the old
   * one is stopped, its ref dead) with the journal at {@code journalDir}.
   */
  ActorRef<MountTable.Command> restartTable(String node, ActorRef<MountTable.Command> old,
      Path journalDir, Executor io) {
    testKit.stop(old);
    return testKit.spawn(MountTable.create(new MountJournal(journalDir), Map.of(), io,
        total -> { }, new MountTableHealth(), pushTo(node)));
  }

  private MountTable.CountPush pushTo(String node) {
    return (volume, count, seq, ackTo) -> {
      ActorRef<VolumeCommands.Command> e = byName.get(volume);
      if (e != null && !losePushes.get()) {
        e.tell(new VolumeCommands.HostCount(node, count, seq, ackTo));
      }
    };
  }

  void stop() {
    testKit.stop(watcher);
    testKit.stop(table1);
    testKit.stop(table2);
  }

  ActorRef<VolumeCommands.Command> entity(String name) {
    ActorRef<VolumeCommands.Command> e = testKit.spawn(VolumeEntity.create(name, deps));
    names.put(e, name);
    byName.put(name, e);
    return e;
  }

  /** A fresh request id, as the plugin route makes one per Docker request. */
  static String requestId() {
    return java.util.UUID.randomUUID().toString();
  }

  static long deadline() {
    return System.currentTimeMillis() + 20_000;
  }

  VolumeCommands.CreateReply create(ActorRef<VolumeCommands.Command> e, NodeRef n,
      VolumeOptions o) {
    TestProbe<VolumeCommands.CreateReply> p = testKit.createTestProbe();
    e.tell(new VolumeCommands.Create(requestId(), n, o, deadline(), p.ref()));
    return p.receiveMessage(WAIT);
  }

  /**
   * What the plugin route does for a Mount: reserve the volume in {@code n}'s MountTable, ask the
   * entity, record the grant there (or drop the reservation on a refusal). A grant that cannot
   * be recorded is refused with the MountTable's message, as the route's Err mapper does.
   */
  VolumeCommands.MountReply mount(ActorRef<VolumeCommands.Command> e, NodeRef n, String id) {
    String request = requestId();
    reserve(n, e, request);
    VolumeCommands.MountReply r = grant(e, n, id, request);
    if (r instanceof VolumeCommands.Granted granted) {
      StatusReply<MountTable.Count> recorded = record(e, n, id, request, granted);
      return recorded.isSuccess() ? r : new VolumeCommands.Refused(
          new VolumeFailure.Rejected(recorded.getError().getMessage()));
    }
    TestProbe<MountTable.Count> dropped = testKit.createTestProbe();
    n.mountTable().tell(new MountTable.Unreserve(names.get(e), request, dropped.ref()));
    dropped.receiveMessage(WAIT);
    return r;
  }

  /** The route's first step of a Mount: the volume counts as mounted on {@code n} from now. */
  void reserve(NodeRef n, ActorRef<VolumeCommands.Command> e, String request) {
    TestProbe<MountTable.Reserved> p = testKit.createTestProbe();
    n.mountTable().tell(new MountTable.Reserve(names.get(e), request,
        System.currentTimeMillis() + 60_000, p.ref()));
    reservations.put(request, p.receiveMessage(WAIT).seq());
  }

  /** Only the entity's part of a Mount: its grant (nothing recorded). */
  VolumeCommands.MountReply grant(ActorRef<VolumeCommands.Command> e, NodeRef n, String id,
      String request) {
    TestProbe<VolumeCommands.MountReply> p = testKit.createTestProbe();
    e.tell(new VolumeCommands.Mount(request, n, id, reservations.getOrDefault(request, 0L),
        deadline(), p.ref()));
    return p.receiveMessage(WAIT);
  }

  /** The route's last step of a Mount: the grant recorded in {@code n}'s MountTable. */
  StatusReply<MountTable.Count> record(ActorRef<VolumeCommands.Command> e, NodeRef n, String id,
      String request, VolumeCommands.Granted granted) {
    TestProbe<StatusReply<MountTable.Count>> p = testKit.createTestProbe();
    n.mountTable().tell(new MountTable.Record(names.get(e), id, request, granted.takeOver(),
        p.ref()));
    return p.receiveMessage(WAIT);
  }

  /**
   * What the plugin route does for an Unmount: drop the id from {@code n}'s MountTable, which
   * pushes its new count to the entity; then wait until the entity has taken it in (the route
   * does not wait; a test must, to look at the lease).
   */
  StatusReply<Done> unmount(ActorRef<VolumeCommands.Command> e, NodeRef n, String id) {
    MountTable.Count count;
    try {
      count = AskPattern.<MountTable.Command, MountTable.Count>askWithStatus(n.mountTable(),
              r -> new MountTable.Drop(names.get(e), id, r), WAIT, testKit.scheduler())
          .toCompletableFuture().get(WAIT.toSeconds() + 1, TimeUnit.SECONDS);
    } catch (ExecutionException | InterruptedException | TimeoutException ex) {
      return StatusReply.error(ex.getCause() != null ? ex.getCause() : ex);
    }
    if (count.known()) {
      awaitCount(e, n, count(n, names.get(e)));
    }
    return StatusReply.ack();
  }

  /**
   * Waits until {@code e} shows {@code n}'s pushed count (or no longer shows {@code n} as the
   * holder, its lease given back), and is not releasing. Inspect is answered in every phase.
   */
  void awaitCount(ActorRef<VolumeCommands.Command> e, NodeRef n, int mounts) {
    TestProbe<VolumeCommands.VolumeStatus> p = testKit.createTestProbe();
    p.awaitAssert(WAIT, Duration.ofMillis(10), () -> {
      e.tell(new VolumeCommands.Inspect(Long.MAX_VALUE, p.ref()));
      VolumeCommands.VolumeStatus s = p.receiveMessage(WAIT);
      assertThat(s.state()).isNotIn("releasing", "recovering");
      assertThat(!n.name().equals(s.mountedOn()) || s.mounts() == mounts)
          .as("%s shows %s's count %s", s, n.name(), mounts).isTrue();
      return null;
    });
  }

  VolumeCommands.RemoveReply remove(ActorRef<VolumeCommands.Command> e, NodeRef n) {
    TestProbe<VolumeCommands.RemoveReply> p = testKit.createTestProbe();
    e.tell(new VolumeCommands.Remove(requestId(), n, deadline(), p.ref()));
    return p.receiveMessage(WAIT);
  }

  int count(NodeRef n, String volume) {
    TestProbe<MountTable.Count> p = testKit.createTestProbe();
    n.mountTable().tell(new MountTable.Get(volume, p.ref()));
    return p.receiveMessage().mounts();
  }

  List<DatasetConfiguration> datasetsNamed(String name) {
    return fake.listDatasetsConfiguration().toCompletableFuture().join().datasets().stream()
        .filter(d -> name.equals(d.name())).toList();
  }

  Optional<String> leaseHolder(String datasetId) {
    return fake.listLeases().toCompletableFuture().join().stream()
        .filter(l -> l.datasetId().equals(datasetId)).map(Lease::nodeUuid).findFirst();
  }

  Optional<String> manifestOn(String datasetId) {
    return fake.listDatasetsState().toCompletableFuture().join().stream()
        .filter(s -> s.datasetId().equals(datasetId) && s.path() != null)
        .map(s -> s.primary()).findFirst();
  }
}
