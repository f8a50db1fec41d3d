package io.flockerdocker.agent.catalog;

import io.flockerdocker.agent.flocker.FlockerClient;
import io.flockerdocker.agent.flocker.FlockerException;
import io.flockerdocker.agent.flocker.FlockerSnapshot;
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
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The node's one poller of the control service: a single timer, re-armed after each reply
 * (never at a fixed rate), reads configuration, state and leases and publishes them to the
 * {@link VolumeCatalog}. Entities waiting for a dataset to land on a node subscribe here instead
 * of polling themselves; while anyone waits, the timer runs at the busy interval.
 */
public final class StateWatcher extends AbstractBehavior<StateWatcher.Command> {

  /** Everything a StateWatcher accepts; node-local (only this node's entities ask it). */
  public sealed interface Command extends NoSerializationVerificationNeeded {}

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

  private record Polled(FlockerSnapshot snapshot, Throwable failure) implements Command {}

  private static final Object TIMER = "poll";
  private static final Duration NODES_EVERY = Duration.ofSeconds(30);
  /** While busy, every this many polls one is a full read (configuration and leases too). */
  private static final int FULL_READ_EVERY = 25;

  private final FlockerClient flocker;
  private final VolumeCatalog catalog;
  private final Duration idle;
  private final Duration busy;
  private final TimerScheduler<Command> timers;
  private final List<AwaitManifest> waiters = new ArrayList<>();
  private boolean polling;
  private int statePollsInARow;
  private boolean reachable = true;
  private Instant nodesFetchedAt = Instant.EPOCH;

  public static Behavior<Command> create(
      FlockerClient flocker, VolumeCatalog catalog, Duration idle, Duration busy) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new StateWatcher(ctx, timers, flocker, catalog, idle, busy)));
  }

  private StateWatcher(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      FlockerClient flocker,
      VolumeCatalog catalog,
      Duration idle,
      Duration busy) {
    super(ctx);
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
        .onMessage(AwaitManifest.class, this::onAwait)
        .build();
  }

  private Behavior<Command> poll() {
    if (polling) {
      return this;
    }
    polling = true;
    timers.cancel(TIMER);
    Instant started = Instant.now();
    FlockerSnapshot previous = catalog.snapshot();
    CompletionStage<FlockerSnapshot> read;
    if (!waiters.isEmpty() && statePollsInARow < FULL_READ_EVERY
        && previous.startedAt().isAfter(Instant.EPOCH)) {
      // someone waits for a move to land: only the state can say so, one request instead of
      // four; configuration and leases stay those of the last full read, and so does its start
      // time, so the catalog's overlays of fresh creates and removes are not dropped early
      statePollsInARow++;
      read = flocker.listDatasetsState().thenApply(states -> new FlockerSnapshot(previous.tag(),
          previous.datasets(), states, previous.leases(), previous.nodes(),
          previous.startedAt()));
    } else {
      statePollsInARow = 0;
      boolean withNodes = started.isAfter(nodesFetchedAt.plus(NODES_EVERY));
      read = flocker.listDatasetsConfiguration().thenCompose(config ->
          flocker.listDatasetsState().thenCompose(states ->
              flocker.listLeases().thenCompose(leases ->
                  (withNodes ? flocker.listNodes()
                      : CompletableFuture.completedFuture(previous.nodes()))
                      .thenApply(nodes -> new FlockerSnapshot(config.tag(), config.datasets(),
                          states, leases, nodes, started)))));
    }
    getContext().pipeToSelf(read, Polled::new);
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
      if (p.snapshot().nodes() != catalog.snapshot().nodes()) {
        nodesFetchedAt = p.snapshot().startedAt();
      }
      catalog.update(p.snapshot());
      answerWaiters(p.snapshot());
    }
    timers.startSingleTimer(TIMER, Tick.INSTANCE, waiters.isEmpty() ? idle : busy);
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
