package io.flockerdocker.agent.mounts;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Whether this node's MountTable serves, for readiness, and how it is kept serving: a failure
 * restarts it from its journal (at most {@link #RESTARTS} times a {@link #WITHIN}), then it
 * stays stopped and readiness says so.
 */
public final class MountTableHealth {
  static final int RESTARTS = 10;
  static final Duration WITHIN = Duration.ofMinutes(1);

  private final AtomicReference<String> problem = new AtomicReference<>("mount table not started");

  /** Why the MountTable does not serve, or null when it does. */
  public String problem() {
    return problem.get();
  }

  void serving() {
    problem.set(null);
  }

  void down(String why) {
    problem.set(why);
  }

  /**
   * Restart, not resume: the journal on disk is exactly the acknowledged table (the table in
   * memory is replaced only after its write is fsynced), so a fresh incarnation from it can hold
   * nothing a failure half-changed, and a lost in-flight write answers its asker by timeout,
   * never with a count that is not on disk. The first incarnation uses the table loaded at start.
   */
  static Behavior<MountTable.Command> supervised(MountJournal journal,
      Map<String, Map<String, Integer>> loaded, MountTableHealth health,
      Function<Map<String, Map<String, Integer>>, Behavior<MountTable.Command>> incarnation) {
    AtomicBoolean first = new AtomicBoolean(true);
    Behavior<MountTable.Command> restartable = Behaviors.setup(ctx -> {
      Map<String, Map<String, Integer>> table = loaded;
      if (!first.getAndSet(false)) {
        // a tiny file read once per restart: blocking here keeps commands behind the reload
        table = journal.load();
        ctx.getLog().warn("mount table restarted after a failure; reloaded [{}] volume(s) from "
            + "[{}]", table.size(), journal.file());
      }
      health.serving();
      return incarnation.apply(table);
    });
    return Behaviors.supervise(restartable)
        .onFailure(SupervisorStrategy.restart().withLimit(RESTARTS, WITHIN));
  }

  /** Marks the table down for good once it has stopped (restart limit reached, or shutdown). */
  public static Behavior<Void> watch(ActorRef<?> table, MountTableHealth health) {
    return Behaviors.<Void>setup(ctx -> {
      ctx.watch(table);
      return Behaviors.receive(Void.class)
          .onSignal(Terminated.class, t -> {
            health.down("mount table stopped (it failed " + RESTARTS + " times within "
                + WITHIN.toMinutes() + " min, or the agent is shutting down); see the agent log");
            return Behaviors.stopped();
          })
          .build();
    });
  }
}
