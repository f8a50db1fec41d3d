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
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The node's one reader of the control service, here polling it (a control service without the
 * change feed; with it, {@link FeedWatcher} reads): reads configuration, state and leases and
 * publishes them to the {@link VolumeCatalog}. Its phases: {@code waiting} (no read in flight)
 * and {@code reading} (one read in flight; what is asked for meanwhile is read right after it).
 * Between reads it waits on the control service's watch (docs/control-api-extensions.md §2), at
 * most one outstanding, and reads again when the watch says something changed; every read is
 * conditional, so an unchanged list costs a 304 and an idle node's traffic does not grow with the
 * number of volumes. Against a plain Flocker control service (no {@code watch} advertised) a timer
 * reads again at the idle interval. Entities waiting for a dataset to land on a node subscribe
 * here instead of polling themselves; while anyone waits, state is also read at the busy
 * interval. With {@code withReports} (this node runs the dataset agent role) every host's report
 * is read too, and the snapshot keeps the deleted datasets: the dataset agent converges from the
 * catalog's snapshots ({@link VolumeCatalog#subscribe}) instead of reading the control service
 * itself.
 */
public final class StateWatcher {

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

  /** What was asked for while a read was in flight, for the read after it. */
  private enum Next {
    NOTHING, POLL, FULL;

    Next and(Next other) {
      return compareTo(other) >= 0 ? this : other;
    }
  }

  private final ActorContext<Command> ctx;
  private final FlockerClient flocker;
  private final VolumeCatalog catalog;
  private final Duration idle;
  private final Duration busy;
  private final boolean withReports;
  private final TimerScheduler<Command> timers;
  private final List<AwaitManifest> waiters = new ArrayList<>();
  /** The one outstanding watch: it runs beside the reads, never two at once. */
  private boolean watching;
  private int statePollsInARow;
  /** So that an outage is logged once, and its end once. */
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
    return w.read(false);
  }

  private StateWatcher(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      FlockerClient flocker,
      VolumeCatalog catalog,
      Duration idle,
      Duration busy,
      boolean withReports) {
    this.ctx = ctx;
    this.withReports = withReports;
    this.timers = timers;
    this.flocker = flocker;
    this.catalog = catalog;
    this.idle = idle;
    this.busy = busy;
  }

  /** No read in flight: a tick, a nudge, a new waiter or a watch that saw a change starts one. */
  private Behavior<Command> waiting() {
    return Behaviors.receive(Command.class)
        .onMessage(Tick.class, t -> read(false))
        .onMessage(Nudge.class, n -> read(false))
        .onMessage(Watched.class, w -> switch (onWatched(w)) {
          case NOTHING -> Behaviors.same();
          case POLL -> read(false);
          case FULL -> read(true);
        })
        .onMessage(AwaitManifest.class, m -> answered(m) ? Behaviors.same() : read(false))
        .build();
  }

  /**
   * One read in flight; what is asked for meanwhile is remembered in {@code next} and read right
   * after it, so something changed while a read was under way is never missed.
   */
  private Behavior<Command> reading(Next next) {
    return Behaviors.receive(Command.class)
        .onMessage(Tick.class, t -> reading(next.and(Next.POLL)))
        .onMessage(Nudge.class, n -> reading(next.and(Next.POLL)))
        .onMessage(Watched.class, w -> reading(next.and(onWatched(w))))
        .onMessage(AwaitManifest.class, m -> answered(m) ? Behaviors.same()
            : reading(next.and(Next.POLL)))
        .onMessage(Polled.class, p -> onPolled(p, next))
        .build();
  }

  /** {@code full}: read every list (conditionally), even while someone waits for a move. */
  private Behavior<Command> read(boolean full) {
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
      return reading(Next.NOTHING);
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
    return reading(Next.NOTHING);
  }

  private CompletionStage<Optional<List<NodeReport>>> reports() {
    return withReports ? flocker.listReportsIfChanged()
        : CompletableFuture.completedFuture(Optional.empty());
  }

  /** Hands a read to this actor, with what the service offers (asked once, then cached). */
  private void pipe(CompletionStage<FlockerSnapshot> read, boolean withNodes) {
    ctx.pipeToSelf(read.thenCompose(s -> flocker.extensions().thenApply(
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
    ctx.pipeToSelf(flocker.awaitChange(WATCH, idle), Watched::new);
  }

  /** What the watch's answer asks for: a full read if something changed, else nothing more. */
  private Next onWatched(Watched w) {
    watching = false;
    if (w.failure() != null) {
      // unreachable or refused: read again after a while (the read logs the outage once)
      timers.startSingleTimer(TIMER, Tick.INSTANCE, waiters.isEmpty() ? idle : busy);
      return Next.NOTHING;
    }
    if (w.changed()) {
      return Next.FULL;
    }
    watch();
    return Next.NOTHING;
  }

  private Behavior<Command> onPolled(Polled p, Next next) {
    if (p.failure() != null) {
      if (reachable) {
        ctx.getLog().warn("control service unreachable, serving the last known "
            + "volumes: {}", FlockerException.of(p.failure()).map(Throwable::getMessage)
            .orElse(String.valueOf(p.failure())));
      }
      reachable = false;
    } else {
      if (!reachable) {
        ctx.getLog().info("control service reachable again");
      }
      reachable = true;
      if (p.withNodes()) {
        nodesFetchedAt = p.snapshot().startedAt();
      }
      catalog.update(p.snapshot());
      answerWaiters(p.snapshot());
      if (next != Next.NOTHING) {
        return read(next == Next.FULL);
      }
    }
    boolean watched = p.extensions().has(ControlExtensions.WATCH);
    if (p.failure() != null || !waiters.isEmpty() || !watched) {
      timers.startSingleTimer(TIMER, Tick.INSTANCE, waiters.isEmpty() ? idle : busy);
    }
    if (watched) {
      watch();
    }
    return waiting();
  }

  /** Answers a waiter whose dataset is already there; else keeps it (false) for the next reads. */
  private boolean answered(AwaitManifest m) {
    Optional<String> path = catalog.snapshot().manifestPath(m.datasetId(), m.nodeUuid());
    if (path.isPresent()) {
      m.replyTo().tell(new Manifest(m.datasetId(), m.nodeUuid(), path.get()));
      return true;
    }
    waiters.add(m);
    return false;
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
