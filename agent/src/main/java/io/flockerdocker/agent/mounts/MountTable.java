package io.flockerdocker.agent.mounts;

import io.flockerdocker.agent.support.CborSerializable;
import io.flockerdocker.agent.support.LogText;
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
 * A Mount in flight from this node holds a reservation (see Reserve) that Get counts as a mount.
 * After every change of a volume's held count (recorded + reserved) the table pushes it to the
 * volume's entity until acknowledged (CountPushes): that push is how a lease with no mount
 * behind it gets given back. It pushes at start, and for the volumes whose lease the node holds
 * (Leased), 0 included: a grant never recorded because the node died is repaired that way.
 */
public final class MountTable extends AbstractBehavior<MountTable.Command> {

  /** Everything a MountTable accepts. */
  public sealed interface Command extends CborSerializable {}

  /**
   * How the table tells a volume's entity this node's held count; the Guardian builds it from
   * sharding (this package knows nothing of entities). The entity answers {@link Ack} to
   * {@code ackTo}.
   */
  public interface CountPush {
    void send(String volume, int count, long seq, ActorRef<Command> ackTo);
  }

  /** The entity of {@code volume} has the push {@code seq}: it is not sent again. */
  public record Ack(String volume, long seq) implements Command {}

  /**
   * The volumes whose lease this node holds (told once the catalog has loaded): their counts are
   * pushed, 0 included, so an entity gives back a lease nothing here uses.
   */
  public record Leased(java.util.List<String> volumes) implements Command {}

  /** A command that may change the table; it is answered with the volume's new count. */
  public sealed interface Change extends Command {
    ActorRef<StatusReply<Count>> replyTo();
  }

  /** Count one more mount of {@code mountId}; replies the volume's count on this node. */
  public record Add(String volume, String mountId, ActorRef<StatusReply<Count>> replyTo)
      implements Change {}

  /** Drop one occurrence of {@code mountId}; unknown ids change nothing ({@code known=false}). */
  public record Drop(String volume, String mountId, ActorRef<StatusReply<Count>> replyTo)
      implements Change {}

  /**
   * Hold {@code volume} on this node for the Docker Mount {@code requestId} while its entity is
   * asked for it (in memory only, never journaled): until the grant is recorded or the request
   * fails, the reservation counts as a mount here. That is what keeps the volume on one node
   * between the entity's grant and this node's record: another node's Mount asks this table, sees
   * a holder, and is refused, instead of seeing 0 and taking the volume away. A reservation not
   * recorded nor dropped by {@code untilMillis} (epoch millis; after the route has given up on
   * the request) no longer counts. A crash loses it: the lease left without a mount is given
   * back when the restarted table pushes its count. Replies the seq of the push that counted the
   * reservation: the Mount carries it, so its entity ignores any older push (a 0 sent before).
   */
  public record Reserve(String volume, String requestId, long untilMillis,
      ActorRef<Reserved> replyTo) implements Command {}

  /** Reply of Reserve: the seq of the push that counted it. */
  public record Reserved(long seq) implements CborSerializable {}

  private record Expire(String requestId) implements Command {}

  /** Timer message of CountPushes: re-send {@code volume}'s unacknowledged push. */
  record Resend(String volume) implements Command {}

  /** The Mount {@code requestId} failed: drop its reservation; replies as Get. */
  public record Unreserve(String volume, String requestId, ActorRef<Count> replyTo)
      implements Command {}

  /**
   * The volume's entity granted the Mount {@code requestId}: count {@code mountId} (journaled)
   * in place of its reservation. With {@code takeOver} (this node did not hold the volume before
   * the grant) the ids recorded here when the reservation was taken are left from an earlier
   * holding (a forced release, a missed Unmount) and are dropped first; ids recorded since then
   * (a later Mount of this holding that was recorded first) stay. {@code known} in the reply
   * says whether there were leftovers.
   */
  public record Record(String volume, String mountId, String requestId, boolean takeOver,
      ActorRef<StatusReply<Count>> replyTo) implements Change {}

  /** Forget every mount of {@code volume} here (operator release, reconciliation). */
  public record Forget(String volume, ActorRef<StatusReply<Count>> replyTo) implements Change {}

  /**
   * Whether the volume is held on this node, without changing anything: its recorded mounts
   * plus the reservations of Mounts in flight (see Reserve). Every other reply counts recorded
   * mounts only.
   */
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
  private final CountPushes pushes;
  private final org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers;
  private Map<String, Map<String, Integer>> table;

  /** A Mount in flight: its volume and that volume's ids here when it was reserved. */
  private record Reservation(String volume, Map<String, Integer> before, long untilMillis) {}

  /** Reservations by request id (see Reserve); in memory only. */
  private final Map<String, Reservation> reserved = new java.util.HashMap<>();

  /** Commands waiting while one journal write is in flight; beyond it a change is refused. */
  static final int STASH = 1000;

  public static Behavior<Command> create(
      MountJournal journal, Map<String, Map<String, Integer>> loaded, Executor io) {
    return create(journal, loaded, io, total -> { }, new MountTableHealth(),
        (volume, count, seq, ackTo) -> { });
  }

  /**
   * {@code totalMounts} hears the node's total mount count after every change; {@code health}
   * whether the table serves (supervised: see MountTableHealth#supervised); {@code push} carries
   * the held counts to the volumes' entities.
   */
  public static Behavior<Command> create(MountJournal journal,
      Map<String, Map<String, Integer>> loaded, Executor io, IntConsumer totalMounts,
      MountTableHealth health, CountPush push) {
    return create(journal, loaded, io, totalMounts, health, push, STASH);
  }

  static Behavior<Command> create(MountJournal journal, Map<String, Map<String, Integer>> loaded,
      Executor io, IntConsumer totalMounts, MountTableHealth health, CountPush push,
      int stashCapacity) {
    return MountTableHealth.supervised(journal, loaded, health,
        table -> Behaviors.withStash(stashCapacity, stash -> Behaviors.setup(
            ctx -> Behaviors.withTimers(timers ->
                new MountTable(ctx, journal, table, io, stash, totalMounts, push, timers)))));
  }

  private MountTable(ActorContext<Command> ctx, MountJournal journal,
      Map<String, Map<String, Integer>> loaded, Executor io, StashBuffer<Command> stash,
      IntConsumer totalMounts, CountPush push,
      org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers) {
    super(ctx);
    this.journal = journal;
    this.io = io;
    this.stash = stash;
    this.timers = timers;
    this.table = MountCounts.copy(loaded);
    this.totalMounts = totalMounts;
    this.pushes = new CountPushes(push, timers, ctx.getSelf());
    totalMounts.accept(MountCounts.total(table));
    // a restarted table tells every entity of a volume it has mounts of where things stand
    table.keySet().forEach(v -> pushes.send(v, held(v).mounts()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Add.class, m -> change(m, m.volume(), m.mountId(), +1))
        .onMessage(Record.class, this::onRecord)
        .onMessage(Reserve.class, this::onReserve)
        .onMessage(Unreserve.class, this::onUnreserve)
        .onMessage(Drop.class, m -> change(m, m.volume(), m.mountId(), -1))
        .onMessage(Forget.class, this::onForget)
        .onMessage(Get.class, m -> reply(m.replyTo(), held(m.volume())))
        .onMessage(Snapshot.class,
            m -> reply(m.replyTo(), new Counts(MountCounts.perVolume(table))))
        .onMessage(Ack.class, this::onAck)
        .onMessage(Resend.class, this::onResend)
        .onMessage(Expire.class, this::onExpire)
        .onMessage(Leased.class, this::onLeased)
        .build();
  }

  private Behavior<Command> onAck(Ack m) {
    pushes.acked(m);
    return Behaviors.same();
  }

  private Behavior<Command> onResend(Resend m) {
    pushes.resend(m.volume());
    return Behaviors.same();
  }

  private Behavior<Command> onLeased(Leased m) {
    m.volumes().forEach(v -> pushes.send(v, held(v).mounts()));
    return Behaviors.same();
  }

  /** A reservation's time is up (its route gave up): it no longer counts. */
  private Behavior<Command> onExpire(Expire m) {
    Reservation r = reserved.remove(m.requestId());
    if (r != null) {
      getContext().getLog().info("volume [{}]: reservation of mount request [{}] expired",
          r.volume(), m.requestId());
      pushes.changed(r.volume(), held(r.volume()).mounts());
    }
    return Behaviors.same();
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

  /** In memory: taken at once, even while a journal write is in flight. */
  private Behavior<Command> onReserve(Reserve m) {
    reserved.put(m.requestId(), new Reservation(m.volume(),
        MountCounts.copy(table).getOrDefault(m.volume(), Map.of()), m.untilMillis()));
    timers.startSingleTimer(new Expire(m.requestId()), new Expire(m.requestId()),
        java.time.Duration.ofMillis(Math.max(0, m.untilMillis() - System.currentTimeMillis())));
    // always a push: the Mount's entity must know a seq at least as new as this reservation
    m.replyTo().tell(new Reserved(pushes.send(m.volume(), held(m.volume()).mounts())));
    return Behaviors.same();
  }

  private Behavior<Command> onUnreserve(Unreserve m) {
    if (reserved.remove(m.requestId()) != null) {
      timers.cancel(new Expire(m.requestId()));
      getContext().getLog().info("volume [{}]: reservation of mount request [{}] dropped",
          m.volume(), m.requestId());
      pushes.changed(m.volume(), held(m.volume()).mounts());
    }
    m.replyTo().tell(held(m.volume()));
    return Behaviors.same();
  }

  private Behavior<Command> onRecord(Record m) {
    Map<String, Map<String, Integer>> next = MountCounts.copy(table);
    boolean leftovers = false;
    if (m.takeOver()) {
      Reservation r = reserved.get(m.requestId());
      // without its reservation (this table restarted, or it expired) every id is a leftover
      Map<String, Integer> before = r != null ? r.before()
          : table.getOrDefault(m.volume(), Map.of());
      leftovers = !before.isEmpty();
      next = MountCounts.subtract(next, m.volume(), before);
    }
    next = MountCounts.add(next, m.volume(), m.mountId(), +1);
    return persist(next, m,
        new Count(m.volume(), MountCounts.of(next.getOrDefault(m.volume(), Map.of())), leftovers));
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
    // reservations live in memory: taken and dropped at once, a full stash must not lose them
    if (m instanceof Reserve r) {
      return onReserve(r);
    } else if (m instanceof Unreserve u) {
      return onUnreserve(u);
    } else if (m instanceof Ack a) {
      return onAck(a);
    } else if (m instanceof Resend r) {
      return onResend(r);
    } else if (m instanceof Expire e) {
      return onExpire(e);
    } else if (m instanceof Leased l) {
      return onLeased(l);
    }
    if (!stash.isFull()) {
      stash.stash(m);
    } else if (m instanceof Change c) {
      String why = "this node's mount table is overloaded (" + stash.size() + " commands wait "
          + "for the journal); retry";
      getContext().getLog().warn("{}: change refused", why);
      c.replyTo().tell(StatusReply.error(why));
    } else if (m instanceof Get g) {
      g.replyTo().tell(held(g.volume()));
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
      if (s.cause() instanceof Record r) {
        reserved.remove(r.requestId());
        timers.cancel(new Expire(r.requestId()));
        if (s.result().known()) {
          getContext().getLog().warn("volume [{}]: dropped mount ids left on this node from an "
              + "earlier holding", r.volume());
        }
      }
      totalMounts.accept(MountCounts.total(table));
      pushes.changed(s.result().volume(), held(s.result().volume()).mounts());
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

  /** A volume's recorded mounts here. */
  private Count count(String volume, boolean known) {
    return new Count(volume, MountCounts.of(table.getOrDefault(volume, Map.of())), known);
  }

  /**
   * Who holds {@code volume} here, as the entities ask it (Get): its recorded mounts plus the
   * reservations of Mounts in flight (the count pushed to the entities). Only Get and the
   * pushes count reservations: the LeaseKeeper must not
   * renew (take) a lease for a Mount not granted yet, nor a route's Unmount mistake one for a
   * mount.
   */
  private Count held(String volume) {
    Count recorded = count(volume, true);
    return new Count(volume, recorded.mounts() + reservations(volume), true);
  }

  /**
   * Reservations of {@code volume} still in time (an expired one is dropped, and the drop pushed,
   * by its Expire timer).
   */
  private int reservations(String volume) {
    long now = System.currentTimeMillis();
    return (int) reserved.values().stream()
        .filter(r -> r.volume().equals(volume) && r.untilMillis() > now).count();
  }
}
