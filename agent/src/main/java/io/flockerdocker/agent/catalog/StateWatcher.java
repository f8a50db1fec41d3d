package io.flockerdocker.agent.catalog;

import io.flockerdocker.agent.flocker.ControlExtensions;
import io.flockerdocker.agent.flocker.DatasetsConfiguration;
import io.flockerdocker.agent.flocker.FlockerClient;
import io.flockerdocker.agent.flocker.FlockerException;
import io.flockerdocker.agent.flocker.FlockerSnapshot;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.Node;
import io.flockerdocker.protocol.flocker.NodeReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The node's one reader of the control service, here in its polling phase (a control service
 * without the change feed; with it, {@link FeedWatcher} reads): reads configuration, state and
 * leases and publishes them to the {@link VolumeCatalog}. Between reads it waits on the control
 * service's watch (docs/control-api-extensions.md §2), at most one outstanding, and reads again when the
 * watch says something changed; every read is conditional, so an unchanged list costs a 304
 * and an idle node's traffic does not grow with the number of volumes. Against a plain Flocker
 * control service (no {@code watch} advertised) a timer reads again at the idle interval.
 * Entities waiting for a dataset to land on a node subscribe here instead
 * of polling themselves; while anyone waits, state is also read at the busy interval. With
 * {@code withReports} (this node runs the dataset agent role) every host's report is read too, and
 * the snapshot keeps the deleted datasets: the dataset agent converges from the catalog's
 * snapshots ({@link VolumeCatalog#subscribe}) instead of reading the control service itself.
 */
public final class StateWatcher extends AbstractBehavior<StateWatcher.Command> {

  /** Everything a StateWatcher accepts; node-local (only this node's entities ask it). */
  public sealed interface Command extends NoSerializationVerificationNeeded
      permits AwaitManifest, Nudge, Tick, Polled, Watched, FeedWatcher.Internal {}

  /**
   * Tell {@code replyTo} once {@code datasetId} is mounted on {@code nodeUuid}, with its path.
   * Dropped silently at {@code deadline}: the waiter keeps its own timer.
   */
  public record AwaitManifest(
      String datasetId, String nodeUuid, Instant deadline, ActorRef<Manifest> replyTo)
      implements Command {}

  /** Poll as soon as possible (after this node changed something). */
  public enum Nudge implements Command {
    INSTANCE
  }

  /** Answer of AwaitManifest. */
  public record Manifest(String datasetId, String nodeUuid, String path)
      implements NoSerializationVerificationNeeded {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record Polled(FlockerSnapshot snapshot, ControlExtensions extensions,
      boolean withNodes, Throwable failure) implements Command {}

  private record Read(FlockerSnapshot snapshot, ControlExtensions extensions) {}

  /** The watch answered: {@code changed} (re-read), or timed out, or failed. */
  private record Watched(Boolean changed, Throwable failure) implements Command {}

  private static final Object TIMER = "poll";
  /** A long-poll's longest wait; the control service caps it (watch.max-timeout, 50 s). */
  static final Duration WATCH = Duration.ofSeconds(25);
  private static final Duration NODES_EVERY = Duration.ofSeconds(30);
  /** While busy, every this many polls one is a full read (configuration and leases too). */
  private static final int FULL_READ_EVERY = 25;

  private final FlockerClient flocker;
  private final VolumeCatalog catalog;
  private final Duration idle;
  private final Duration busy;
  private final boolean withReports;
  private final TimerScheduler<Command> timers;
  private final List<AwaitManifest> waiters = new ArrayList<>();
  private boolean polling;
  /** Something may have changed while a read was in flight: read once more after it. */
  private boolean pollAgain;
  private boolean pollAgainFull;
  private boolean watching;
  private int statePollsInARow;
  private boolean reachable = true;
  private Instant nodesFetchedAt = Instant.EPOCH;

  /** Follows the change feed when the control service offers it, else polls (this class). */
  public static Behavior<Command> create(
      FlockerClient flocker, VolumeCatalog catalog, Duration idle, Duration busy) {
    return create(flocker, catalog, idle, busy, false);
  }

  /**
   * {@code withReports}: also keep every host's report and the deleted datasets (the dataset
   * agent role converges from them).
   */
  public static Behavior<Command> create(FlockerClient flocker, VolumeCatalog catalog,
      Duration idle, Duration busy, boolean withReports) {
    return create(flocker, catalog, idle, busy, withReports,
        CompletableFuture.completedFuture(Optional.empty()));
  }

  /**
   * {@code saved}: the catalog this node saved as it last ran ({@link CatalogFile}, read while it
   * started); with the feed, the first start asks only for what changed since.
   */
  public static Behavior<Command> create(FlockerClient flocker, VolumeCatalog catalog,
      Duration idle, Duration busy, boolean withReports,
      CompletionStage<Optional<CatalogFile.Saved>> saved) {
    return FeedWatcher.create(flocker, catalog, idle, busy, withReports, saved);
  }

  /** The polling phase, for a control service without the change feed. */
  static Behavior<Command> polling(ActorContext<Command> ctx, TimerScheduler<Command> timers,
      FlockerClient flocker, VolumeCatalog catalog, Duration idle, Duration busy,
      boolean withReports, List<AwaitManifest> waiting) {
    StateWatcher w = new StateWatcher(ctx, timers, flocker, catalog, idle, busy, withReports);
    w.waiters.addAll(waiting);
    return w;
  }

  private StateWatcher(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      FlockerClient flocker,
      VolumeCatalog catalog,
      Duration idle,
      Duration busy,
      boolean withReports) {
    super(ctx);
    this.withReports = withReports;
    this.timers = timers;
    this.flocker = flocker;
    this.catalog = catalog;
    this.idle = idle;
    this.busy = busy;
    ctx.getSelf().tell(Tick.INSTANCE);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Tick.class, t -> poll())
        .onMessage(Nudge.class, n -> poll())
        .onMessage(Polled.class, this::onPolled)
        .onMessage(Watched.class, this::onWatched)
        .onMessage(AwaitManifest.class, this::onAwait)
        .build();
  }

  private Behavior<Command> poll() {
    return poll(false);
  }

  /** {@code full}: read every list (conditionally), even while someone waits for a move. */
  private Behavior<Command> poll(boolean full) {
    if (polling) {
      pollAgain = true;
      pollAgainFull |= full;
      return this;
    }
    polling = true;
    timers.cancel(TIMER);
    Instant started = Instant.now();
    FlockerSnapshot previous = catalog.snapshot();
    CompletionStage<FlockerSnapshot> read;
    // a watch that says something changed gets a full (conditional) read: the dataset agent
    // converges from these snapshots, and a move needs fresh configuration as much as state
    if (!full && !waiters.isEmpty() && statePollsInARow < FULL_READ_EVERY
        && previous.startedAt().isAfter(Instant.EPOCH)) {
      // someone waits for a move to land: only the state can say so, one request instead of
      // four (two with reports, which a move changes as it goes); configuration and leases stay
      // those of the last full read, and so does its start time, so the catalog's overlays of
      // fresh creates and removes are not dropped early
      statePollsInARow++;
      read = flocker.listDatasetsStateIfChanged().thenCompose(states -> reports().thenApply(
          reports -> updated(previous, Optional.empty(), states, Optional.empty(), reports,
              Optional.empty(), previous.startedAt())));
      pipe(read, false);
      return this;
    }
    statePollsInARow = 0;
    boolean withNodes = started.isAfter(nodesFetchedAt.plus(NODES_EVERY));
    // each list read only if it changed since this client's last read of it (an ETag; a plain
    // Flocker answers in full): what did not change is the previous snapshot's part
    read = flocker.listAllDatasetsConfigurationIfChanged().thenCompose(config ->
        flocker.listDatasetsStateIfChanged().thenCompose(states ->
            flocker.listLeasesIfChanged().thenCompose(leases ->
                reports().thenCompose(reports ->
                (withNodes ? flocker.listNodesIfChanged()
                    : CompletableFuture.completedFuture(Optional.<List<Node>>empty()))
                    .thenApply(nodes -> updated(previous, config, states, leases, reports,
                        nodes, started))))));
    pipe(read, withNodes);
    return this;
  }

  private CompletionStage<Optional<List<NodeReport>>> reports() {
    return withReports ? flocker.listReportsIfChanged()
        : CompletableFuture.completedFuture(Optional.empty());
  }

  /** Hands a read to this actor, with what the service offers (asked once, then cached). */
  private void pipe(CompletionStage<FlockerSnapshot> read, boolean withNodes) {
    getContext().pipeToSelf(read.thenCompose(s -> flocker.extensions().thenApply(
            x -> new Read(s, x))),
        (r, f) -> f == null ? new Polled(r.snapshot(), r.extensions(), withNodes, null)
            : new Polled(null, ControlExtensions.NONE, withNodes, f));
  }

  /** {@code previous} with the lists a read found changed: the others keep their identity. */
  private static FlockerSnapshot updated(FlockerSnapshot previous,
      Optional<DatasetsConfiguration> config, Optional<List<DatasetState>> states,
      Optional<List<Lease>> leases, Optional<List<NodeReport>> reports,
      Optional<List<Node>> nodes, Instant started) {
    FlockerSnapshot s = config.map(c -> previous.withConfiguration(c.tag(), c.datasets()))
        .orElse(previous);
    s = states.isPresent() ? s.withStates(states.get()) : s;
    s = leases.isPresent() ? s.withLeases(leases.get()) : s;
    s = reports.isPresent() ? s.withReports(reports.get()) : s;
    s = nodes.isPresent() ? s.withNodes(nodes.get()) : s;
    return s.at(s.tag(), started);
  }

  /** At most one watch outstanding; it outlives reads, never the actor's interest in it. */
  private void watch() {
    if (watching) {
      return;
    }
    watching = true;
    getContext().pipeToSelf(flocker.awaitChange(WATCH, idle), Watched::new);
  }

  private Behavior<Command> onWatched(Watched w) {
    watching = false;
    if (w.failure() != null) {
      // unreachable or refused: read again after a while (the read logs the outage once)
      timers.startSingleTimer(TIMER, Tick.INSTANCE, waiters.isEmpty() ? idle : busy);
      return this;
    }
    if (w.changed()) {
      return poll(true);
    }
    watch();
    return this;
  }

  private Behavior<Command> onPolled(Polled p) {
    polling = false;
    if (p.failure() != null) {
      if (reachable) {
        getContext().getLog().warn("control service unreachable, serving the last known "
            + "volumes: {}", FlockerException.of(p.failure()).map(Throwable::getMessage)
            .orElse(String.valueOf(p.failure())));
      }
      reachable = false;
    } else {
      if (!reachable) {
        getContext().getLog().info("control service reachable again");
      }
      reachable = true;
      if (p.withNodes()) {
        nodesFetchedAt = p.snapshot().startedAt();
      }
      catalog.update(p.snapshot());
      answerWaiters(p.snapshot());
    }
    boolean full = pollAgainFull;
    pollAgainFull = false;
    if (pollAgain && p.failure() == null) {
      pollAgain = false;
      return poll(full);
    }
    pollAgain = false;
    boolean watched = p.extensions().has(ControlExtensions.WATCH);
    if (p.failure() != null || !waiters.isEmpty() || !watched) {
      timers.startSingleTimer(TIMER, Tick.INSTANCE, waiters.isEmpty() ? idle : busy);
    }
    if (watched) {
      watch();
    }
    return this;
  }

  private Behavior<Command> onAwait(AwaitManifest m) {
    Optional<String> path = catalog.snapshot().manifestPath(m.datasetId(), m.nodeUuid());
    if (path.isPresent()) {
      m.replyTo().tell(new Manifest(m.datasetId(), m.nodeUuid(), path.get()));
      return this;
    }
    waiters.add(m);
    return poll();
  }

  private void answerWaiters(FlockerSnapshot s) {
    Instant now = Instant.now();
    waiters.removeIf(
        w -> {
          Optional<String> path = s.manifestPath(w.datasetId(), w.nodeUuid());
          path.ifPresent(p -> w.replyTo().tell(new Manifest(w.datasetId(), w.nodeUuid(), p)));
          return path.isPresent() || now.isAfter(w.deadline());
        });
  }

}
