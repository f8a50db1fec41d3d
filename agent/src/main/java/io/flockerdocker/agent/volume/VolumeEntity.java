package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.flocker.FlockerException;
import io.flockerdocker.agent.volume.VolumeCommands.Command;
import io.flockerdocker.agent.volume.VolumeCommands.VolumeStatus;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;

/**
 * The one actor per volume name in the whole cluster (Cluster Sharding). It runs one command at
 * a time: while a Flocker operation is in flight, others wait in a bounded stash. It rebuilds its
 * state from Flocker and the holder's MountTable before its first command, so a restart or a
 * rebalance never forgets who holds the volume.
 */
public final class VolumeEntity extends AbstractBehavior<Command> {
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "flocker-volume");

  private record Recovered(VolumeState state, Throwable failure)
      implements VolumeCommands.Internal {}

  private record Finished(Command command, VolumeOperations.Step<?> step, Throwable failure)
      implements VolumeCommands.Internal {}

  private final String name;
  private final VolumeDeps deps;
  private final VolumeOperations ops;
  private final StashBuffer<Command> stash;
  private VolumeState state = VolumeState.UNKNOWN;
  private String busyWith;
  private String lastError;
  private Instant lastErrorAt;

  public static Behavior<Command> create(String name, VolumeDeps deps) {
    return Behaviors.withStash(deps.settings().stashSize(),
        stash -> Behaviors.setup(ctx -> new VolumeEntity(ctx, name, deps, stash)));
  }

  private VolumeEntity(ActorContext<Command> ctx, String name, VolumeDeps deps,
      StashBuffer<Command> stash) {
    super(ctx);
    this.name = name;
    this.deps = deps;
    this.stash = stash;
    this.ops = new VolumeOperations(name, deps, ctx.getSystem().scheduler(), ctx.getLog());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(VolumeCommands.Inspect.class, this::onInspect)
        .onMessage(Recovered.class, this::onRecovered)
        .onMessage(Finished.class, this::onFinished)
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
    if (deps.clock().millis() > c.deadline()) {
      replyError(c, "request for volume " + name + " expired while queued behind others");
      return this;
    }
    if (!state.recovered()) {
      stash.stash(c);
      busyWith = "recovering";
      getContext().pipeToSelf(ops.recover(), Recovered::new);
      return this;
    }
    if (!(c instanceof VolumeCommands.Unmount) && !deps.nodes().inMajority()) {
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
      return ops.mount(state, m);
    } else if (c instanceof VolumeCommands.Unmount m) {
      return ops.unmount(state, m);
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
      String message = describe(r.failure());
      noteError(message);
      getContext().getLog().warn("volume [{}] cannot load its state: {}", name, message);
      stash.unstashAll(Behaviors.receive(Command.class).onAnyMessage(c -> {
        replyError(c, message);
        return Behaviors.same();
      }).build());
      return this;
    }
    state = r.state();
    return stash.unstashAll(this);
  }

  private Behavior<Command> onFinished(Finished f) {
    busyWith = null;
    if (f.failure() == null) {
      state = f.step().next();
      reply(f.command(), StatusReply.success(f.step().value()));
    } else {
      Throwable cause = unwrap(f.failure());
      if (cause instanceof VolumeError ve && ve.state() != null) {
        state = ve.state();
      }
      String message = describe(cause);
      noteError(message);
      reply(f.command(), StatusReply.error(message));
    }
    return stash.unstashAll(this);
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
    return state.exists() ? "ready" : (lastError != null ? "failed" : "ready");
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

  private void noteError(String message) {
    lastError = message;
    lastErrorAt = deps.clock().instant();
  }

  private String describe(Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof VolumeError) {
      return cause.getMessage();
    }
    var flocker = FlockerException.of(cause);
    if (flocker.isPresent()) {
      FlockerException f = flocker.get();
      return f.is(FlockerException.Kind.UNREACHABLE)
          ? "control service unreachable, volume " + name + " unchanged: " + f.getMessage()
          : "control service refused the change to volume " + name + ": " + f.getMessage();
    }
    if (cause instanceof TimeoutException) {
      return "a node did not answer in time while handling volume " + name + "; retry";
    }
    getContext().getLog().error("volume [{}] failed unexpectedly", name, cause);
    return "internal error on volume " + name + ": " + cause;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException
        || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
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
    } else if (c instanceof VolumeCommands.Unmount m) {
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
