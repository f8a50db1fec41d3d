package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.volume.VolumeCommands.Command;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The one actor per volume name in the whole cluster (Cluster Sharding). It runs one command at
 * a time: while a Flocker operation is in flight, others wait in a bounded stash. It rebuilds its
 * state from Flocker and the holder's MountTable before its first command, gives back a lease
 * with no mounts behind it when told (CheckLease, sent after a node's last Unmount, which itself
 * never comes here), retries a lease release that failed, and (if configured) lets a Mount wait
 * for another node's release.
 */
public final class VolumeEntity extends AbstractBehavior<Command> {
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "flocker-volume");
  private static final Duration RETRY_RELEASE = Duration.ofSeconds(2);

  private record Recovered(VolumeState state, Throwable failure)
      implements VolumeCommands.Internal {}

  private record Finished(Command command, VolumeOperations.Step<?> step, Throwable failure)
      implements VolumeCommands.Internal {}

  private record Released(VolumeState state, Throwable failure)
      implements VolumeCommands.Internal {}

  private enum RetryRelease implements VolumeCommands.Internal { INSTANCE }

  private final String name;
  private final VolumeDeps deps;
  private final VolumeOperations ops;
  private final MountOperations mounts;
  private final StashBuffer<Command> stash;
  private final TimerScheduler<Command> timers;
  private final ParkedMounts parked;
  private final EntityReplies replies;
  private final EntityStatus status;
  private VolumeState state = VolumeState.UNKNOWN;
  private String busyWith;
  /** Sharding asked this incarnation to stop: it does so once the operation in flight is done. */
  private boolean stopping;

  public static Behavior<Command> create(String name, VolumeDeps deps) {
    return Behaviors.withStash(deps.settings().stashSize(), stash -> Behaviors.setup(ctx ->
        Behaviors.withTimers(timers -> new VolumeEntity(ctx, name, deps, stash, timers))));
  }

  private VolumeEntity(ActorContext<Command> ctx, String name, VolumeDeps deps,
      StashBuffer<Command> stash, TimerScheduler<Command> timers) {
    super(ctx);
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

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(VolumeCommands.Inspect.class, this::onInspect)
        .onMessage(Recovered.class, this::onRecovered)
        .onMessage(Finished.class, this::onFinished)
        .onMessage(Released.class, this::onReleased)
        .onMessage(ParkedMounts.CheckParked.class, c -> expireParked())
        .onMessageEquals(VolumeCommands.HandOff.INSTANCE, this::onHandOff)
        .onAnyMessage(this::onCommand)
        .build();
  }

  private Behavior<Command> onCommand(Command c) {
    if (busyWith != null) {
      if (stash.isFull()) {
        replies.error(c, new VolumeFailure.Busy(name));
      } else {
        stash.stash(c);
      }
      return this;
    }
    if (replies.repeat(c)) {
      return this;
    }
    if (c instanceof VolumeCommands.Mount m && parked.replace(m)) {
      return this;
    }
    if (deps.clock().millis() > c.deadline()) {
      replies.error(c, new VolumeFailure.TimedOut(name, VolumeFailure.TimedOut.Waiting.QUEUE,
          null, 0));
      return this;
    }
    if (!state.recovered() && !(c instanceof VolumeCommands.Create)) {
      // a Create reads the configuration itself: recovering first would read it twice, and
      // with every docker volume create that doubles the control service's load
      stash.stash(c);
      busyWith = "recovering";
      getContext().pipeToSelf(ops.recover(), Recovered::new);
      return this;
    }
    if (c == RetryRelease.INSTANCE || c instanceof VolumeCommands.CheckLease) {
      busyWith = "releasing";
      getContext().pipeToSelf(ops.retryRelease(state), Released::new);
      return this;
    }
    if (!deps.nodes().inMajority()) {
      replies.error(c, new VolumeFailure.Minority(name, null));
      return this;
    }
    busyWith = EntityStatus.phaseOf(c);
    getContext().pipeToSelf(start(c), (step, failure) -> new Finished(c, step, failure));
    return this;
  }

  private CompletionStage<? extends VolumeOperations.Step<?>> start(Command c) {
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

  private Behavior<Command> onRecovered(Recovered r) {
    busyWith = null;
    if (r.failure() != null) {
      // nothing is known: fail what waited, and try again with the next command
      VolumeFailure failure = VolumeFailures.of(name, r.failure());
      status.noteError(failure.message());
      getContext().getLog().warn("volume [{}] cannot load its state: {}", name,
          failure.message());
      stash.unstashAll(Behaviors.receive(Command.class).onAnyMessage(c -> {
        replies.error(c, failure);
        return Behaviors.same();
      }).build());
      return stopping ? Behaviors.stopped() : this;
    }
    state = r.state();
    return settled();
  }

  private Behavior<Command> onFinished(Finished f) {
    busyWith = null;
    if (f.failure() == null) {
      state = f.step().next();
      replies.announce(f.command(), f.step().value());
      replies.answer(f.command(), f.step().value());
    } else {
      VolumeState after = VolumeFailures.stateAfter(f.failure());
      if (after != null) {
        state = after;
      }
      if (VolumeFailures.heldElsewhere(f.failure()) && deps.settings().waitForRelease()
          && f.command() instanceof VolumeCommands.Mount m) {
        parked.park(m);
        return settled();
      }
      VolumeFailure failure = VolumeFailures.of(name, f.failure());
      status.noteError(failure.message());
      replies.answer(f.command(), new VolumeCommands.Refused(failure));
    }
    return settled();
  }

  private Behavior<Command> onReleased(Released r) {
    busyWith = null;
    if (r.failure() == null) {
      state = r.state();
    } else {
      getContext().getLog().warn("volume [{}]: lease release still failing: {}", name,
          VolumeFailures.of(name, r.failure()).message());
    }
    return settled();
  }

  /** After every step: schedule a lease retry if one is owed, wake parked Mounts, unstash. */
  private Behavior<Command> settled() {
    if (stopping) {
      // what is stashed is lost with this incarnation: the routes repeat their requests to the
      // next one, and the LeaseJanitor its lease checks
      return Behaviors.stopped();
    }
    if (state.holderUuid() != null && state.holderMounts() == 0) {
      timers.startSingleTimer(RetryRelease.INSTANCE, RetryRelease.INSTANCE, RETRY_RELEASE);
    }
    if (state.holderMounts() == 0) {
      parked.wake(getContext().getSelf());
    }
    return stash.unstashAll(this);
  }

  private Behavior<Command> onHandOff() {
    if (busyWith == null) {
      return Behaviors.stopped();
    }
    getContext().getLog().info("volume [{}]: handing off once its {} is done", name, busyWith);
    stopping = true;
    return this;
  }

  private Behavior<Command> expireParked() {
    parked.expire(deps.clock().millis(), m -> replies.error(m, mounts.heldElsewhere(state)
        .asked(VolumeFailure.HeldElsewhere.Asked.MOUNT_AFTER_WAITING)));
    return this;
  }

  private Behavior<Command> onInspect(VolumeCommands.Inspect m) {
    m.replyTo().tell(status.of(state, busyWith));
    return this;
  }
}
