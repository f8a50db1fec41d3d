package io.flockerdocker.agent.mounts;

import io.flockerdocker.agent.CborSerializable;
import io.flockerdocker.agent.LogText;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.pattern.StatusReply;

/**
 * This node's mount ids per volume, as a multiset ({@code docker cp} mounts a running
 * container's id a second time). Every change is journaled to disk before it is acknowledged,
 * one write at a time; commands arriving meanwhile wait in a stash. Counts never go negative.
 */
public final class MountTable extends AbstractBehavior<MountTable.Command> {

  /** Everything a MountTable accepts. */
  public sealed interface Command extends CborSerializable {}

  /** A command that may change the table; it is answered with the volume's new count. */
  public sealed interface Change extends Command {
    ActorRef<StatusReply<Count>> replyTo();
  }

  /**
   * Count one more mount of {@code mountId}; replies the volume's count on this node. {@code
   * requestId} identifies the Docker Mount this comes from (VolumeCommands.Request; null = none):
   * a repeat of a request already counted here changes nothing. The routes repeat a Mount that
   * got no answer, and a repeat can reach a new incarnation of the volume's actor (after a
   * hand-off) that no longer remembers answering it; without this it counted the id twice.
   */
  public record Add(String volume, String mountId, String requestId,
      ActorRef<StatusReply<Count>> replyTo) implements Change {
    public Add(String volume, String mountId, ActorRef<StatusReply<Count>> replyTo) {
      this(volume, mountId, null, replyTo);
    }
  }

  /** Drop one occurrence of {@code mountId}; unknown ids change nothing ({@code known=false}). */
  public record Drop(String volume, String mountId, ActorRef<StatusReply<Count>> replyTo)
      implements Change {}

  /**
   * The first mount of {@code volume} since this node took it over: ids left from an earlier
   * holding (a forced release, a missed Unmount) are dropped, then {@code mountId} is counted.
   * {@code known} in the reply says whether there were leftovers. {@code requestId}: as for Add.
   */
  public record Start(String volume, String mountId, String requestId,
      ActorRef<StatusReply<Count>> replyTo) implements Change {}

  /** Forget every mount of {@code volume} here (operator release, reconciliation). */
  public record Forget(String volume, ActorRef<StatusReply<Count>> replyTo) implements Change {}

  /** The volume's count on this node, without changing anything. */
  public record Get(String volume, ActorRef<Count> replyTo) implements Command {}

  /** Every volume's count on this node. */
  public record Snapshot(ActorRef<Counts> replyTo) implements Command {}

  /** A volume's mount count on this node after a command; {@code known} is false for a no-op. */
  public record Count(String volume, int mounts, boolean known) implements CborSerializable {}

  /** Counts of all volumes with mounts on this node. */
  public record Counts(Map<String, Integer> mounts) implements CborSerializable {}

  private record Saved(
      Map<String, Map<String, Integer>> table, Change cause, Count result, Throwable failure)
      implements Command {}

  private final MountJournal journal;
  private final Executor io;
  private final IntConsumer totalMounts;
  private final StashBuffer<Command> stash;
  private Map<String, Map<String, Integer>> table;
  private final CountedRequests counted = new CountedRequests();

  /** Commands waiting while one journal write is in flight; beyond it a change is refused. */
  static final int STASH = 1000;

  public static Behavior<Command> create(
      MountJournal journal, Map<String, Map<String, Integer>> loaded, Executor io) {
    return create(journal, loaded, io, total -> { }, new MountTableHealth());
  }

  /**
   * {@code totalMounts} hears the node's total mount count after every change; {@code health}
   * whether the table serves (supervised: see MountTableHealth#supervised).
   */
  public static Behavior<Command> create(MountJournal journal,
      Map<String, Map<String, Integer>> loaded, Executor io, IntConsumer totalMounts,
      MountTableHealth health) {
    return create(journal, loaded, io, totalMounts, health, STASH);
  }

  static Behavior<Command> create(MountJournal journal, Map<String, Map<String, Integer>> loaded,
      Executor io, IntConsumer totalMounts, MountTableHealth health, int stashCapacity) {
    return MountTableHealth.supervised(journal, loaded, health,
        table -> Behaviors.withStash(stashCapacity, stash -> Behaviors.setup(
            ctx -> new MountTable(ctx, journal, table, io, stash, totalMounts))));
  }

  private MountTable(ActorContext<Command> ctx, MountJournal journal,
      Map<String, Map<String, Integer>> loaded, Executor io, StashBuffer<Command> stash,
      IntConsumer totalMounts) {
    super(ctx);
    this.journal = journal;
    this.io = io;
    this.stash = stash;
    this.table = MountCounts.copy(loaded);
    this.totalMounts = totalMounts;
    totalMounts.accept(MountCounts.total(table));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Add.class, m -> alreadyCounted(m.volume(), m.mountId(), m.requestId(),
                m.replyTo())
            ? this : change(m, m.volume(), m.mountId(), +1))
        .onMessage(Drop.class, m -> change(m, m.volume(), m.mountId(), -1))
        .onMessage(Forget.class, this::onForget)
        .onMessage(Start.class, this::onStart)
        .onMessage(Get.class, m -> reply(m.replyTo(), count(m.volume(), true)))
        .onMessage(Snapshot.class,
            m -> reply(m.replyTo(), new Counts(MountCounts.perVolume(table))))
        .build();
  }

  private Behavior<Command> change(Change cause, String volume, String id, int delta) {
    Map<String, Map<String, Integer>> next = MountCounts.add(table, volume, id, delta);
    if (next == null) {
      cause.replyTo().tell(StatusReply.success(count(volume, false)));
      return this;
    }
    return persist(next, cause,
        new Count(volume, MountCounts.of(next.getOrDefault(volume, Map.of())), true));
  }

  /** Answers a repeat of a request already counted with the current count, changing nothing. */
  private boolean alreadyCounted(String volume, String id, String request,
      ActorRef<StatusReply<Count>> replyTo) {
    if (!counted.contains(request)) {
      return false;
    }
    getContext().getLog().info("mount request [{}] of volume [{}] id [{}] is already counted; "
        + "a repeat changes nothing", request, volume, LogText.escape(id));
    replyTo.tell(StatusReply.success(count(volume, true)));
    return true;
  }

  private Behavior<Command> onForget(Forget m) {
    Map<String, Map<String, Integer>> next = MountCounts.copy(table);
    Map<String, Integer> dropped = next.remove(m.volume());
    if (dropped == null) {
      m.replyTo().tell(StatusReply.success(new Count(m.volume(), 0, false)));
      return this;
    }
    return persist(next, m, new Count(m.volume(), 0, true));
  }

  private Behavior<Command> onStart(Start m) {
    if (alreadyCounted(m.volume(), m.mountId(), m.requestId(), m.replyTo())) {
      return this;
    }
    Map<String, Map<String, Integer>> next = MountCounts.copy(table);
    boolean leftovers = next.remove(m.volume()) != null;
    next.put(m.volume(), new TreeMap<>(Map.of(m.mountId(), 1)));
    return persist(next, m, new Count(m.volume(), 1, leftovers));
  }

  private Behavior<Command> persist(
      Map<String, Map<String, Integer>> next, Change cause, Count result) {
    getContext()
        .pipeToSelf(
            CompletableFuture.runAsync(() -> journal.saveUnchecked(next), io),
            (ok, failure) -> new Saved(next, cause, result, failure));
    return saving();
  }

  /** One journal write in flight: everything else waits, so writes land in order. */
  private Behavior<Command> saving() {
    return Behaviors.receive(Command.class)
        .onMessage(Saved.class, this::onSaved)
        .onAnyMessage(this::waitForSave)
        .build();
  }

  /**
   * Stashes {@code m} behind the write in flight; a full stash answers instead of stopping the
   * table (a StashOverflowException would fail it): changes get an error to retry, reads the
   * table as it is (the same answer they would get before the write lands).
   */
  private Behavior<Command> waitForSave(Command m) {
    if (!stash.isFull()) {
      stash.stash(m);
    } else if (m instanceof Change c) {
      String why = "this node's mount table is overloaded (" + stash.size() + " commands wait "
          + "for the journal); retry";
      getContext().getLog().warn("{}: change refused", why);
      c.replyTo().tell(StatusReply.error(why));
    } else if (m instanceof Get g) {
      g.replyTo().tell(count(g.volume(), true));
    } else if (m instanceof Snapshot sn) {
      sn.replyTo().tell(new Counts(MountCounts.perVolume(table)));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onSaved(Saved s) {
    ActorRef<StatusReply<Count>> replyTo = s.cause().replyTo();
    if (s.failure() != null) {
      getContext().getLog().error("mount journal write to [{}] failed; change refused",
          journal.file(), s.failure());
      replyTo.tell(StatusReply.error("cannot record the mount on this node: "
          + rootMessage(s.failure())));
    } else {
      table = s.table();
      if (s.cause() instanceof Add a) {
        counted.add(a.requestId());
      } else if (s.cause() instanceof Start st) {
        counted.add(st.requestId());
      }
      totalMounts.accept(MountCounts.total(table));
      replyTo.tell(StatusReply.success(s.result()));
    }
    return stash.unstashAll(this);
  }

  private static String rootMessage(Throwable t) {
    return t.getCause() == null ? t.getMessage() : rootMessage(t.getCause());
  }

  private <T> Behavior<Command> reply(ActorRef<T> to, T value) {
    to.tell(value);
    return this;
  }

  private Count count(String volume, boolean known) {
    return new Count(volume, MountCounts.of(table.getOrDefault(volume, Map.of())), known);
  }
}
