package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.mounts.MountTable;
import io.flockerdocker.agent.volume.VolumeCommands.Command;
import io.flockerdocker.agent.volume.VolumeCommands.HostCount;
import io.flockerdocker.agent.volume.VolumeCommands.Request;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.BehaviorBuilder;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The one actor per volume name in the whole cluster (Cluster Sharding), one behavior per phase:
 * idle; recovering (its state from Flocker and the holder's MountTable, before its first command);
 * awaiting the holder (it has just restarted, at recovery or when another node's Mount would be
 * refused on its count: until its table pushes or is announced); busy (one Flocker
 * operation in flight, others wait in a bounded stash); releasing (a holder's MountTable pushed 0
 * mounts: the lease goes back, retried on a timer if that fails). Every step is a pipeToSelf
 * message, every wait a timer. Sharding's HandOff stops it at once when idle, else once the step
 * in flight is done.
 */
public final class VolumeEntity {
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "flocker-volume");
  static final Duration RETRY_RELEASE = Duration.ofSeconds(2);
  /** How long an entity waits for a just-restarted holder's start push. */
  static final Duration HOLDER_ANNOUNCE = Duration.ofSeconds(5);
  /** How often it looks whether that holder's table has been announced meanwhile. */
  static final Duration HOLDER_CHECK = Duration.ofMillis(250);

  private record Recovered(VolumeState state, Throwable failure)
      implements VolumeCommands.Internal {}

  private record Finished(Request command, VolumeOperations.Step<?> step, Throwable failure)
      implements VolumeCommands.Internal {}

  private record Released(VolumeState state, Throwable failure)
      implements VolumeCommands.Internal {}

  private enum RetryRelease implements VolumeCommands.Internal { INSTANCE }

  private enum HolderSilent implements VolumeCommands.Internal { INSTANCE }

  private enum HolderCheck implements VolumeCommands.Internal { INSTANCE }

  private final String name;
  private final VolumeDeps deps;
  private final ActorContext<Command> ctx;
  private final VolumeOperations ops;
  private final MountOperations mounts;
  private final StashBuffer<Command> stash;
  private final TimerScheduler<Command> timers;
  private final ParkedMounts parked;
  private final EntityReplies replies;
  private final EntityStatus status;
  /** The newest count push seen per node (or granted Mount's reservation): older ones are stale. */
  private final Map<String, Long> seen = new HashMap<>();
  private VolumeState state = VolumeState.UNKNOWN;

  public static Behavior<Command> create(String name, VolumeDeps deps) {
    return Behaviors.withStash(deps.settings().stashSize(), stash -> Behaviors.setup(ctx ->
        Behaviors.withTimers(timers -> new VolumeEntity(ctx, name, deps, stash, timers).idle())));
  }

  private VolumeEntity(ActorContext<Command> ctx, String name, VolumeDeps deps,
      StashBuffer<Command> stash, TimerScheduler<Command> timers) {
    this.ctx = ctx;
    this.name = name;
    this.deps = deps;
    this.stash = stash;
    this.timers = timers;
    this.ops = new VolumeOperations(name, deps, ctx.getSystem().scheduler(), ctx.getLog());
    this.mounts = new MountOperations(name, deps, ctx.getSystem().scheduler(), ctx.getLog());
    this.parked = new ParkedMounts(timers);
    this.replies = new EntityReplies(name, deps);
    this.status = new EntityStatus(name, deps);
  }

  // ---- idle: nothing in flight

  private Behavior<Command> idle() {
    return Behaviors.receive(Command.class)
        .onMessage(VolumeCommands.Inspect.class, m -> inspect(m, null))
        .onMessage(HostCount.class, this::onHostCount)
        .onMessage(Request.class, this::onRequest)
        .onMessageEquals(RetryRelease.INSTANCE,
            () -> holderWithoutMounts() ? release() : Behaviors.same())
        .onMessage(ParkedMounts.CheckParked.class, c -> expireParked())
        .onMessageEquals(VolumeCommands.HandOff.INSTANCE, Behaviors::stopped)
        .onAnyMessage(m -> Behaviors.same()) // a timer or step result of a phase left behind
        .build();
  }

  private Behavior<Command> onRequest(Request c) {
    if (replies.repeat(c)) {
      return Behaviors.same();
    }
    if (c instanceof VolumeCommands.Mount m && parked.replace(m)) {
      return Behaviors.same();
    }
    if (deps.clock().millis() > c.deadline()) {
      replies.error(c, new VolumeFailure.TimedOut(name, VolumeFailure.TimedOut.Waiting.QUEUE,
          null, 0));
      return Behaviors.same();
    }
    if (!state.recovered() && !(c instanceof VolumeCommands.Create)) {
      // a Create reads the configuration itself: recovering first would read it twice, and
      // with every docker volume create that doubles the control service's load
      stash.stash(c);
      return recover();
    }
    if (!deps.nodes().inMajority()) {
      replies.error(c, new VolumeFailure.Minority(name, null));
      return Behaviors.same();
    }
    if (c instanceof VolumeCommands.Mount m && waitsForHolder(m)) {
      stash.stash(c);
      return awaitHolder();
    }
    ctx.pipeToSelf(start(c), (step, failure) -> new Finished(c, step, failure));
    return busy(EntityStatus.phaseOf(c));
  }

  private CompletionStage<? extends VolumeOperations.Step<?>> start(Request c) {
    if (c instanceof VolumeCommands.Create m) {
      return ops.create(state, m, 1);
    } else if (c instanceof VolumeCommands.Mount m) {
      return mounts.mount(state, m);
    } else if (c instanceof VolumeCommands.Remove m) {
      return ops.remove(state, m);
    } else if (c instanceof VolumeCommands.Release m) {
      return ops.release(state, m);
    }
    throw new IllegalArgumentException("unexpected command " + c);
  }

  /**
   * The one repair of a lease without mounts: a node's MountTable pushed its count. Stale pushes
   * (older than one seen from that node, or than the reservation of a Mount granted to it) and
   * pushes from a node that does not hold the lease change nothing; a holder's 0 gives the lease
   * back.
   */
  private Behavior<Command> onHostCount(HostCount h) {
    if (!state.recovered()) {
      stash.stash(h);
      return recover();
    }
    h.ackTo().tell(new MountTable.Ack(name, h.seq()));
    if (h.seq() < seen.getOrDefault(h.nodeUuid(), Long.MIN_VALUE)) {
      ctx.getLog().debug("volume [{}]: stale count {} from [{}] ignored", name, h.count(),
          deps.nodes().nameOf(h.nodeUuid()));
      return Behaviors.same();
    }
    seen.put(h.nodeUuid(), h.seq());
    if (!state.mountedOn(h.nodeUuid())) {
      // a Mount in flight there, or ids left from an earlier holding: the lease decides
      return Behaviors.same();
    }
    state = state.withMounts(h.count());
    if (h.count() == 0) {
      ctx.getLog().info("volume [{}]: no mount left on holder [{}]; giving its lease back", name,
          deps.nodes().nameOf(h.nodeUuid()));
      return release();
    }
    return Behaviors.same();
  }

  // ---- recovering: the state is rebuilt before the first command that needs it

  private Behavior<Command> recover() {
    ctx.pipeToSelf(ops.recover(), Recovered::new);
    return waiting("recovering")
        .onMessage(Recovered.class, this::onRecovered)
        .onAnyMessage(this::stashOrRefuse)
        .build();
  }

  private Behavior<Command> onRecovered(Recovered r) {
    if (r.failure() != null) {
      // nothing is known: fail what waited, and try again with the next command (the tables
      // send their unacknowledged pushes again)
      VolumeFailure failure = VolumeError.of(name, r.failure());
      status.noteError(failure.message());
      ctx.getLog().warn("volume [{}] cannot load its state: {}", name, failure.message());
      stash.unstashAll(Behaviors.receive(Command.class).onAnyMessage(c -> {
        replies.error(c, failure);
        return Behaviors.same();
      }).build());
      return idle();
    }
    state = r.state();
    String holder = state.holderUuid();
    if (holder != null && state.holderMounts() < 0 && ops.announcing(holder)
        && !stash.anyMatch(c -> c instanceof HostCount h && h.nodeUuid().equals(holder))) {
      return awaitHolder();
    }
    return settled();
  }

  /**
   * A Mount from another node that the holder's count would refuse, while the holder has just
   * restarted (Up, its table not announced here yet): that count may be its previous
   * incarnation's, and so may the table its pushes came from. It waits for the holder instead.
   */
  private boolean waitsForHolder(VolumeCommands.Mount m) {
    String holder = state.holderUuid();
    return holder != null && !state.mountedOn(m.node().uuid()) && state.holderMounts() != 0
        && ops.announcing(holder);
  }

  /**
   * The holder has just restarted: its MountTable pushes its count as it starts, and this node
   * learns where that table is. Until the push, the announcement or the timer, the entity cannot
   * tell "in use there" from "a lease left behind".
   */
  private Behavior<Command> awaitHolder() {
    ctx.getLog().info("volume [{}]: holder [{}] has just restarted; waiting for its mount count",
        name, deps.nodes().nameOf(state.holderUuid()));
    timers.startSingleTimer(HolderSilent.INSTANCE, HOLDER_ANNOUNCE);
    timers.startTimerWithFixedDelay(HolderCheck.INSTANCE, HOLDER_CHECK);
    return Behaviors.receive(Command.class)
        .onMessage(VolumeCommands.Inspect.class, m -> inspect(m, "recovering"))
        .onMessage(HostCount.class, h -> h.nodeUuid().equals(state.holderUuid())
            ? holderAnnounced(h) : stashOrRefuse(h))
        .onMessageEquals(HolderCheck.INSTANCE, () -> ops.announcing(state.holderUuid())
            ? Behaviors.same() : holderHeardOf())
        .onMessageEquals(HolderSilent.INSTANCE, () -> {
          ctx.getLog().warn("volume [{}]: holder [{}] did not tell its mount count within {}s",
              name, deps.nodes().nameOf(state.holderUuid()), HOLDER_ANNOUNCE.toSeconds());
          return holderHeardOf();
        })
        .onMessageEquals(VolumeCommands.HandOff.INSTANCE, Behaviors::stopped)
        .onAnyMessage(this::stashOrRefuse)
        .build();
  }

  private Behavior<Command> holderAnnounced(HostCount h) {
    h.ackTo().tell(new MountTable.Ack(name, h.seq()));
    if (h.seq() < seen.getOrDefault(h.nodeUuid(), Long.MIN_VALUE)) {
      return Behaviors.same(); // its previous incarnation's, overtaken
    }
    seen.put(h.nodeUuid(), h.seq());
    state = state.withMounts(h.count());
    return holderHeardOf();
  }

  /** The wait for the holder is over (its push, its table announced, or the timer). */
  private Behavior<Command> holderHeardOf() {
    timers.cancel(HolderSilent.INSTANCE);
    timers.cancel(HolderCheck.INSTANCE);
    return settled();
  }

  // ---- busy: one Create, Mount, Remove or Release in flight

  private Behavior<Command> busy(String phase) {
    return waiting(phase)
        .onMessage(Finished.class, f -> {
          finish(f);
          return settled();
        })
        .onAnyMessage(this::stashOrRefuse)
        .build();
  }

  private void finish(Finished f) {
    if (f.failure() == null) {
      state = f.step().next();
      if (f.command() instanceof VolumeCommands.Mount m) {
        // pushes older than the reservation of this grant no longer speak for that node
        seen.merge(m.node().uuid(), m.seq(), Math::max);
      }
      replies.announce(f.command(), f.step().value());
      replies.answer(f.command(), f.step().value());
      return;
    }
    VolumeState after = VolumeError.stateAfter(f.failure());
    if (after != null) {
      state = after;
    }
    // a Mount refused by a holder without mounts waits for the release that follows (settled)
    if (VolumeError.heldElsewhere(f.failure())
        && (deps.settings().waitForRelease() || holderWithoutMounts())
        && f.command() instanceof VolumeCommands.Mount m) {
      parked.park(m);
      return;
    }
    VolumeFailure failure = VolumeError.of(name, f.failure());
    status.noteError(failure.message());
    replies.answer(f.command(), new VolumeCommands.Refused(failure));
  }

  // ---- releasing: a holder without mounts gives its lease back

  private Behavior<Command> release() {
    timers.cancel(RetryRelease.INSTANCE);
    ctx.pipeToSelf(ops.releaseHolder(state), Released::new);
    return waiting("releasing")
        .onMessage(Released.class, this::onReleased)
        .onAnyMessage(this::stashOrRefuse)
        .build();
  }

  private Behavior<Command> onReleased(Released r) {
    if (r.failure() == null) {
      state = r.state();
      return settled();
    }
    ctx.getLog().warn("volume [{}]: lease release failed, retrying in {}s: {}", name,
        RETRY_RELEASE.toSeconds(), VolumeError.of(name, r.failure()).message());
    timers.startSingleTimer(RetryRelease.INSTANCE, RETRY_RELEASE);
    return stash.unstashAll(idle());
  }

  // ---- shared by the phases

  /** After every step: give back a lease left without mounts, wake parked Mounts, unstash. */
  private Behavior<Command> settled() {
    if (holderWithoutMounts()) {
      return release();
    }
    if (state.holderUuid() == null) {
      parked.wake(ctx.getSelf());
    }
    return stash.unstashAll(idle());
  }

  private boolean holderWithoutMounts() {
    return state.holderUuid() != null && state.holderMounts() == 0;
  }

  /** What every phase with a step in flight does besides awaiting that step's result. */
  private BehaviorBuilder<Command> waiting(String phase) {
    return Behaviors.receive(Command.class)
        .onMessage(VolumeCommands.Inspect.class, m -> inspect(m, phase))
        .onMessage(ParkedMounts.CheckParked.class, c -> expireParked())
        .onMessageEquals(RetryRelease.INSTANCE, Behaviors::same) // the step's end decides
        .onMessageEquals(VolumeCommands.HandOff.INSTANCE, () -> stopAfter(phase));
  }

  /**
   * Sharding asked this incarnation to stop while a step is in flight: it finishes that step
   * (an actor that simply stopped would leave its Flocker calls running, overlapping its next
   * incarnation's) and stops. What waited is dropped: the routes repeat their requests to the
   * next incarnation, the tables their unacknowledged pushes.
   */
  private Behavior<Command> stopAfter(String phase) {
    ctx.getLog().info("volume [{}]: handing off once its {} is done", name, phase);
    return Behaviors.receive(Command.class)
        .onMessage(VolumeCommands.Inspect.class, m -> inspect(m, phase))
        .onMessage(Finished.class, f -> {
          finish(f);
          return Behaviors.stopped();
        })
        .onMessage(Recovered.class, r -> Behaviors.stopped())
        .onMessage(Released.class, r -> Behaviors.stopped())
        .onAnyMessage(m -> Behaviors.same())
        .build();
  }

  /** Keeps a command for after the step; a full stash refuses a request (a push is re-sent). */
  private Behavior<Command> stashOrRefuse(Command c) {
    if (!stash.isFull()) {
      stash.stash(c);
    } else if (c instanceof Request r) {
      replies.error(r, new VolumeFailure.Busy(name));
    }
    return Behaviors.same();
  }

  private Behavior<Command> expireParked() {
    parked.expire(deps.clock().millis(), m -> replies.error(m, mounts.heldElsewhere(state)
        .asked(VolumeFailure.HeldElsewhere.Asked.MOUNT_AFTER_WAITING)));
    return Behaviors.same();
  }

  private Behavior<Command> inspect(VolumeCommands.Inspect m, String phase) {
    m.replyTo().tell(status.of(state, phase));
    return Behaviors.same();
  }
}
