package io.flockerdocker.agent.cluster;

import io.flockerdocker.agent.mounts.MountTable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The receptionist's MountTables, and which of them are alive. A restarted agent reuses its
 * host:port, and the receptionist keeps listing its previous incarnation's table for a while
 * after that incarnation is gone: an address alone cannot tell the two apart, and a question
 * sent to the old one is never answered. So a listed table counts for its address only once it
 * has answered an Identify as alive; one whose system says it does not exist is never asked
 * again. When an incarnation at an address ends or begins, what answered there must answer
 * again. Owned by the NodeDirectory (one actor).
 */
final class MountTableRefs {
  private final Function<ActorRef<?>, Address> addressOf;
  private Set<ActorRef<MountTable.Command>> listed = Set.of();
  private final Set<ActorRef<MountTable.Command>> alive = new HashSet<>();
  private final Set<ActorRef<MountTable.Command>> gone = new HashSet<>();

  /** {@code addressOf}: the cluster address a ref lives at (a local ref: this node's). */
  MountTableRefs(Function<ActorRef<?>, Address> addressOf) {
    this.addressOf = addressOf;
  }

  /** The receptionist's new listing. */
  void listed(Set<ActorRef<MountTable.Command>> now) {
    listed = Set.copyOf(now);
    alive.retainAll(listed);
    gone.retainAll(listed);
  }

  /** An incarnation at {@code address} ended or began: its tables must answer again. */
  void suspect(Address address) {
    alive.removeIf(r -> addressOf.apply(r).equals(address));
  }

  /** A table's answer; ignored if it is no longer listed. */
  void answered(ActorRef<MountTable.Command> table, boolean isAlive) {
    if (listed.contains(table)) {
      (isAlive ? alive : gone).add(table);
    }
  }

  /** The listed tables to ask: neither alive nor gone yet. */
  List<ActorRef<MountTable.Command>> unanswered() {
    return listed.stream().filter(r -> !alive.contains(r) && !gone.contains(r)).toList();
  }

  /** The alive table at {@code address}, or null: none listed there has answered yet. */
  ActorRef<MountTable.Command> at(Address address) {
    return alive.stream().filter(r -> addressOf.apply(r).equals(address)).findFirst()
        .orElse(null);
  }
}
