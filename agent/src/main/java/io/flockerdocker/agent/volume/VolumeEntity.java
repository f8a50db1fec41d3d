package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.volume.VolumeCommands.Command;
import io.flockerdocker.agent.volume.VolumeCommands.VolumeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;

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
  private static final Duration CHECK_PARKED = Duration.ofSeconds(1);

  private record Recovered(VolumeState state, Throwable failure)
      implements VolumeCommands.Internal {}

  private record Finished(Command command, VolumeOperations.Step<?> step, Throwable failure)
      implements VolumeCommands.Internal {}

  private record Released(VolumeState state, Throwable failure)
      implements VolumeCommands.Internal {}

  private enum RetryRelease implements VolumeCommands.Internal { INSTANCE }

  private enum CheckParked implements VolumeCommands.Internal { INSTANCE }

  private final String name;
  private final VolumeDeps deps;
  private final VolumeOperations ops;
  private final MountOperations mounts;
  private final StashBuffer<Command> stash;
  private final TimerScheduler<Command> timers;
  private final List<VolumeCommands.Mount> parked = new ArrayList<>();
  private final RecentReplies recent = new RecentReplies();
  private VolumeState state = VolumeState.UNKNOWN;
  private String busyWith;
  /** Sharding asked this incarnation to stop: it does so once the operation in flight is done. */
  private boolean stopping;
  private String lastError;
  private Instant lastErrorAt;

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
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(VolumeCommands.Inspect.class, this::onInspect)
        .onMessage(Recovered.class, this::onRecovered)
        .onMessage(Finished.class, this::onFinished)
        .onMessage(Released.class, this::onReleased)
        .onMessage(CheckParked.class, c -> expireParked())
        .onMessageEquals(VolumeCommands.HandOff.INSTANCE, this::onHandOff)
        .onAnyMessage(this::onCommand)
        .build();
  }

  private Behavior<Command> onCommand(Command c) {
    if (busyWith != null) {
      if (stash.isFull()) {
        replyError(c, "too many requests queued for volume " + name + "; retry later");
      } else {
        stash.stash(c);
      }
      return this;
    }
    StatusReply<?> earlier = recent.get(c);
    if (earlier != null) {
      reply(c, earlier);
      return this;
    }
    if (c instanceof VolumeCommands.Mount m && replaceParked(m)) {
      return this;
    }
    if (deps.clock().millis() > c.deadline()) {
      replyError(c, "request for volume " + name + " expired while queued behind others");
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
      replyError(c, "this node cannot reach a majority of the cluster; refusing to change volume "
          + name + " until the partition heals");
      return this;
    }
    busyWith = phaseOf(c);
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
      String message = VolumeFailures.describe(name, r.failure());
      noteError(message);
      getContext().getLog().warn("volume [{}] cannot load its state: {}", name, message);
      stash.unstashAll(Behaviors.receive(Command.class).onAnyMessage(c -> {
        replyError(c, message);
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
      announce(f.command(), f.step().value());
      answer(f.command(), StatusReply.success(f.step().value()));
    } else {
      VolumeState after = VolumeFailures.stateAfter(f.failure());
      if (after != null) {
        state = after;
      }
      if (VolumeFailures.heldElsewhere(f.failure()) && deps.settings().waitForRelease()
          && f.command() instanceof VolumeCommands.Mount m) {
        parked.add(m);
        timers.startTimerWithFixedDelay(CheckParked.INSTANCE, CHECK_PARKED);
        return settled();
      }
      String message = VolumeFailures.describe(name, f.failure());
      noteError(message);
      answer(f.command(), StatusReply.error(message));
    }
    return settled();
  }

  private Behavior<Command> onReleased(Released r) {
    busyWith = null;
    if (r.failure() == null) {
      state = r.state();
    } else {
      getContext().getLog().warn("volume [{}]: lease release still failing: {}", name,
          VolumeFailures.describe(name, r.failure()));
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
    if (!parked.isEmpty() && state.holderMounts() == 0) {
      parked.forEach(m -> getContext().getSelf().tell(m));
      parked.clear();
      timers.cancel(CheckParked.INSTANCE);
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
    long now = deps.clock().millis();
    parked.removeIf(m -> {
      // leave a second for the answer to travel back before dockerd's own deadline
      if (now + 1000 < m.deadline()) {
        return false;
      }
      replyError(m, mounts.heldMessage(state) + " (waited for its release until the deadline)");
      return true;
    });
    if (parked.isEmpty()) {
      timers.cancel(CheckParked.INSTANCE);
    }
    return this;
  }

  private Behavior<Command> onInspect(VolumeCommands.Inspect m) {
    m.replyTo().tell(new VolumeStatus(name, state.datasetId(),
        deps.nodes().nameOf(state.primaryUuid()), deps.nodes().nameOf(state.holderUuid()),
        Math.max(state.holderMounts(), 0), phase(), lastError,
        lastErrorAt == null ? null : lastErrorAt.toString()));
    return this;
  }

  private String phase() {
    if (busyWith != null && !"recovering".equals(busyWith)) {
      return busyWith;
    }
    if (state.holderUuid() != null) {
      return "mounted";
    }
    return !state.exists() && lastError != null ? "failed" : "ready";
  }

  private static String phaseOf(Command c) {
    if (c instanceof VolumeCommands.Create) {
      return "creating";
    } else if (c instanceof VolumeCommands.Mount) {
      return "moving";
    } else if (c instanceof VolumeCommands.Remove) {
      return "removing";
    }
    return "mounted";
  }

  /** Tells every node's catalog about a create or remove that just succeeded. */
  private void announce(Command c, Object value) {
    if (deps.events() == null) {
      return;
    }
    if (c instanceof VolumeCommands.Create && value instanceof VolumeCommands.Created created) {
      deps.events().tell(Topic.publish(new VolumeEvents.Created(created.dataset())));
    } else if (c instanceof VolumeCommands.Remove) {
      deps.events().tell(Topic.publish(new VolumeEvents.Removed(name)));
    }
  }

  /** Replies and remembers the reply, so a repeat of the same request gets it too. */
  private void answer(Command c, StatusReply<?> reply) {
    recent.put(c, reply);
    reply(c, reply);
  }

  /** A repeat of a parked Mount takes its place (with its own replyTo) instead of queueing. */
  private boolean replaceParked(VolumeCommands.Mount m) {
    for (int i = 0; i < parked.size(); i++) {
      if (RecentReplies.sameRequest(m, parked.get(i))) {
        parked.set(i, m);
        return true;
      }
    }
    return false;
  }

  private void noteError(String message) {
    lastError = message;
    lastErrorAt = deps.clock().instant();
  }

  private void replyError(Command c, String message) {
    reply(c, StatusReply.error(message));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void reply(Command c, StatusReply<?> reply) {
    ActorRef to = null;
    if (c instanceof VolumeCommands.Create m) {
      to = m.replyTo();
    } else if (c instanceof VolumeCommands.Mount m) {
      to = m.replyTo();
    } else if (c instanceof VolumeCommands.Remove m) {
      to = m.replyTo();
    } else if (c instanceof VolumeCommands.Release m) {
      to = m.replyTo();
    }
    if (to != null) {
      to.tell(reply);
    }
  }
}
